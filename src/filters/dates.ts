import { DateTime } from "luxon";
import { TIME_ZONE } from "../schema/fields.ts";

const inTokyo = (dt: DateTime) => dt.setZone(TIME_ZONE).setLocale("ja");

/**
 * Entries' DateTime objects are shared by every page that lists them, and luxon formatting is
 * comparatively slow, so each formatter remembers its result per DateTime object.
 */
function memo<A extends unknown[]>(fn: (dt: DateTime, ...rest: A) => string): (dt: DateTime, ...rest: A) => string {
  const cache = new WeakMap<DateTime, Map<string, string>>();
  return (dt, ...rest) => {
    let byArgs = cache.get(dt);
    if (!byArgs) cache.set(dt, (byArgs = new Map()));
    const key = rest.length ? JSON.stringify(rest.map((r) => (r instanceof DateTime ? r.toMillis() : r))) : "";
    let value = byArgs.get(key);
    if (value === undefined) byArgs.set(key, (value = fn(dt, ...rest)));
    return value;
  };
}

/**
 * A calendar day as Japanese public sites write it.
 * @example jaDate(DateTime.fromISO("2026-11-26")) // "2026年11月26日（木）"
 */
export const jaDate = memo(function jaDate(dt: DateTime): string {
  return inTokyo(dt).toFormat("yyyy年M月d日（ccc）");
});

/** @example jaDateTime(DateTime.fromISO("2026-11-26T13:30:00+09:00")) // "2026年11月26日（木）13:30" */
export const jaDateTime = memo(function jaDateTime(dt: DateTime): string {
  return `${jaDate(dt)}${inTokyo(dt).toFormat("H:mm")}`;
});

/**
 * The period of an event: the end repeats only what differs from the start.
 * @example eventPeriod(start, end, false) // "2026年12月10日（木）13:30〜16:00"
 * @example eventPeriod(start, end, true)  // "2027年2月10日（水）〜2月11日（木）"
 */
export const eventPeriod = memo(function eventPeriod(start: DateTime, end: DateTime, allDay: boolean): string {
  const s = inTokyo(start);
  const e = inTokyo(end);
  const sameDay = s.hasSame(e, "day");
  const endDay = s.hasSame(e, "year") ? e.toFormat("M月d日（ccc）") : jaDate(e);
  if (allDay) return sameDay ? jaDate(s) : `${jaDate(s)}〜${endDay}`;
  if (sameDay) return `${jaDateTime(s)}〜${e.toFormat("H:mm")}`;
  return `${jaDateTime(s)}〜${endDay}${e.toFormat("H:mm")}`;
});

/** Machine-readable value for <time datetime>: a day, or a full offset date-time. */
export const isoDate = memo(function isoDate(dt: DateTime): string {
  return inTokyo(dt).toISODate() ?? "";
});

export const isoDateTime = memo(function isoDateTime(dt: DateTime): string {
  return inTokyo(dt).toISO({ suppressMilliseconds: true }) ?? "";
});

/** @example jaDateFromIso("2026-11-26") // "2026年11月26日（木）" */
export function jaDateFromIso(iso: string): string {
  return jaDate(DateTime.fromISO(iso, { zone: TIME_ZONE }));
}
