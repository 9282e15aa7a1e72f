import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { eventPeriod, isoDate, jaDate, jaDateTime } from "../../../src/filters/dates.ts";

const tokyo = (iso: string) => DateTime.fromISO(iso, { setZone: true });

describe("日付の表示（Asia/Tokyo）", () => {
  it("曜日つきの和文日付", () => {
    expect(jaDate(tokyo("2026-11-26T00:00:00+09:00"))).toBe("2026年11月26日（木）");
  });

  it("UTCの時刻も東京時間の日付で表示する", () => {
    // 2026-11-25T20:00Z is already the 26th in Tokyo.
    expect(jaDate(DateTime.fromISO("2026-11-25T20:00:00Z", { zone: "utc" }))).toBe("2026年11月26日（木）");
    expect(isoDate(DateTime.fromISO("2026-11-25T20:00:00Z", { zone: "utc" }))).toBe("2026-11-26");
  });

  it("日時", () => {
    expect(jaDateTime(tokyo("2026-12-10T13:30:00+09:00"))).toBe("2026年12月10日（木）13:30");
  });

  it("同じ日のイベントは終了時刻だけを添える", () => {
    expect(eventPeriod(tokyo("2026-12-10T13:30:00+09:00"), tokyo("2026-12-10T16:00:00+09:00"), false)).toBe(
      "2026年12月10日（木）13:30〜16:00",
    );
  });

  it("複数日・終日・年をまたぐ期間", () => {
    expect(eventPeriod(tokyo("2027-02-10T00:00:00+09:00"), tokyo("2027-02-11T23:59:00+09:00"), true)).toBe(
      "2027年2月10日（水）〜2月11日（木）",
    );
    expect(eventPeriod(tokyo("2027-02-10T00:00:00+09:00"), tokyo("2027-02-10T23:59:00+09:00"), true)).toBe("2027年2月10日（水）");
    expect(eventPeriod(tokyo("2026-12-31T22:00:00+09:00"), tokyo("2027-01-01T01:00:00+09:00"), false)).toBe(
      "2026年12月31日（木）22:00〜2027年1月1日（金）1:00",
    );
  });
});
