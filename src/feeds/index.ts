import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { DateTime } from "luxon";
import type { SiteContent } from "../content/site.ts";
import type { SiteSettings } from "../data/reference.ts";
import { isoDateTime } from "../filters/dates.ts";
import { icalendar } from "./ical.ts";
import { labsCsv, labsJson } from "./open-data.ts";
import { BuildMemo } from "../build/build-memo.ts";

/**
 * Machine-readable files for reuse by other sites: the events calendar (.ics, all events and one
 * "add to calendar" file per event) and the labs as open data (JSON, CSV). Atom feeds are
 * templates (src/templates/pages/*-feed.njk).
 */
export function writeDataFiles(out: string, site: SiteContent, settings: SiteSettings, now: DateTime, cache?: DataFileCache): void {
  const write = (file: string, text: string) => {
    const target = path.join(out, file);
    if (cache?.unchanged(target, text)) return;
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  };
  // What a calendar shows of an event (see ical.ts): the cache key of its calendar file.
  const keys = cache
    ? site.events.map((e) =>
        JSON.stringify([e.slug, e.url, e.title, e.summary, e.allDay, e.start, e.end, e.venue, e.online, e.organizer.name, e.organizer.contact.email]),
      )
    : [];
  const stamp = `${now.toISO()}\0${settings.url}\0${settings.name}`;
  const allEvents = () => icalendar(settings, site.events, `${settings.name} イベント`, now);
  write("events/events.ics", cache ? cache.calendars.get(`${stamp}\0${keys.join("\0")}`, allEvents) : allEvents());
  site.events.forEach((e, i) => {
    const calendar = () => icalendar(settings, [e], e.title, now);
    write(`${e.url}event.ics`, cache ? cache.calendars.get(`${stamp}\0${keys[i]}`, calendar) : calendar());
  });
  cache?.calendars.endBuild();
  write("labs/labs.json", labsJson(settings, site.labs, isoDateTime(now)));
  write("labs/labs.csv", labsCsv(settings, site.labs));
}

/**
 * npm start rebuilds after every save: each event's calendar is made again only when the event
 * changed, and files whose content is the same are not written again.
 */
export class DataFileCache {
  readonly calendars = new BuildMemo<string>();
  #written = new Map<string, string>();
  unchanged(file: string, text: string): boolean {
    if (this.#written.get(file) === text && existsSync(file)) return true;
    this.#written.set(file, text);
    return false;
  }
}
