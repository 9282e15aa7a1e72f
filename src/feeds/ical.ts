import ICAL from "ical.js";
import type { DateTime } from "luxon";
import type { SiteSettings } from "../data/reference.ts";
import type { EventItem } from "../content/site.ts";

/** An all-day event's DTEND is exclusive: the day after its last day. */
function dateValue(dt: DateTime, plusDays = 0) {
  const d = dt.setZone("Asia/Tokyo").plus({ days: plusDays });
  return ICAL.Time.fromData({ year: d.year, month: d.month, day: d.day, isDate: true });
}

function utcValue(dt: DateTime) {
  const d = dt.toUTC();
  return ICAL.Time.fromData({ year: d.year, month: d.month, day: d.day, hour: d.hour, minute: d.minute, second: d.second, isDate: false }, ICAL.Timezone.utcTimezone);
}

function vevent(site: SiteSettings, e: EventItem, stamp: DateTime) {
  const url = new URL(e.url, site.url).toString();
  const event = new ICAL.Component("vevent");
  event.addPropertyWithValue("uid", `${e.slug}@${new URL(site.url).host}`);
  event.addPropertyWithValue("dtstamp", utcValue(stamp));
  if (e.allDay) {
    event.addPropertyWithValue("dtstart", dateValue(e.start));
    event.addPropertyWithValue("dtend", dateValue(e.end, 1));
  } else {
    event.addPropertyWithValue("dtstart", utcValue(e.start));
    event.addPropertyWithValue("dtend", utcValue(e.end));
  }
  event.addPropertyWithValue("summary", e.title);
  event.addPropertyWithValue("description", `${e.summary}\n\n主催：${e.organizer.name}\n詳細：${url}`);
  const location = [e.venue?.name, e.venue?.address, e.online ? "オンライン" : undefined].filter(Boolean).join(" ");
  if (location) event.addPropertyWithValue("location", location);
  event.addPropertyWithValue("url", url);
  event.addPropertyWithValue("organizer", `mailto:${e.organizer.contact.email}`).setParameter("cn", e.organizer.name);
  return event;
}

/**
 * An iCalendar file (RFC 5545) with the given events, generated with ical.js so escaping and
 * line folding are right. Times are UTC; calendars show them in the reader's zone.
 */
export function icalendar(site: SiteSettings, events: EventItem[], name: string, stamp: DateTime): string {
  const cal = new ICAL.Component(["vcalendar", [], []]);
  cal.addPropertyWithValue("prodid", `-//${new URL(site.url).host}//${site.name}//JA`);
  cal.addPropertyWithValue("version", "2.0");
  cal.addPropertyWithValue("calscale", "GREGORIAN");
  cal.addPropertyWithValue("x-wr-calname", name);
  cal.addPropertyWithValue("x-wr-timezone", "Asia/Tokyo");
  for (const e of events) cal.addSubcomponent(vevent(site, e, stamp));
  return cal.toString().replace(/\r?\n/g, "\r\n") + "\r\n";
}
