import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { DateTime } from "luxon";
import type { SiteContent } from "../content/site.ts";
import type { SiteSettings } from "../data/reference.ts";
import { isoDateTime } from "../filters/dates.ts";
import { icalendar } from "./ical.ts";
import { labsCsv, labsJson } from "./open-data.ts";

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
  write("events/events.ics", icalendar(settings, site.events, `${settings.name} イベント`, now));
  for (const e of site.events) {
    const calendar = () => icalendar(settings, [e], e.title, now);
    write(`${e.url}event.ics`, cache ? cache.calendar(`${JSON.stringify(e)}\0${now.toISO()}`, calendar) : calendar());
  }
  write("labs/labs.json", labsJson(settings, site.labs, isoDateTime(now)));
  write("labs/labs.csv", labsCsv(settings, site.labs));
}

/**
 * npm start rebuilds after every save: each event's calendar is made again only when the event
 * changed, and files whose content is the same are not written again.
 */
export class DataFileCache {
  #calendars = new Map<string, string>();
  #written = new Map<string, string>();
  calendar(key: string, make: () => string): string {
    let text = this.#calendars.get(key);
    if (text === undefined) this.#calendars.set(key, (text = make()));
    return text;
  }
  unchanged(file: string, text: string): boolean {
    if (this.#written.get(file) === text && existsSync(file)) return true;
    this.#written.set(file, text);
    return false;
  }
}
