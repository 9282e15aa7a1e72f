import { mkdirSync, writeFileSync } from "node:fs";
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
export function writeDataFiles(out: string, site: SiteContent, settings: SiteSettings, now: DateTime): void {
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
    writeFileSync(path.join(out, file), text);
  };
  write("events/events.ics", icalendar(settings, site.events, `${settings.name} イベント`, now));
  for (const e of site.events) write(`${e.url}event.ics`, icalendar(settings, [e], e.title, now));
  write("labs/labs.json", labsJson(settings, site.labs, isoDateTime(now)));
  write("labs/labs.csv", labsCsv(settings, site.labs));
}
