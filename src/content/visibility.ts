import { DateTime } from "luxon";
import { TIME_ZONE } from "../schema/fields.ts";

/**
 * Whether an entry is on the public site at `now`: 非公開 (draft) wins; otherwise the optional
 * publication window [publishAt, unpublishAt) in Asia/Tokyo decides.
 */
export type Visibility = "public" | "draft" | "scheduled" | "expired";

function toDateTime(value: unknown): DateTime | undefined {
  if (value instanceof DateTime) return value;
  if (value instanceof Date) return DateTime.fromJSDate(value, { zone: TIME_ZONE });
  if (typeof value === "string" && value.trim()) {
    const dt = DateTime.fromISO(value.trim().replace(" ", "T"), { zone: TIME_ZONE });
    return dt.isValid ? dt : undefined;
  }
  return undefined;
}

export function visibilityOf(data: { draft?: unknown; publishAt?: unknown; unpublishAt?: unknown }, now: DateTime): Visibility {
  if (data.draft === true) return "draft";
  const from = toDateTime(data.publishAt);
  const until = toDateTime(data.unpublishAt);
  if (from && now < from) return "scheduled";
  if (until && now >= until) return "expired";
  return "public";
}
