import { describe, expect, it, vi } from "vitest";
import { fullTimestamp, relativeTime, rememberedLabel } from "./relative";

const now = new Date("2026-11-26T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const min = 60_000;
const hour = 60 * min;

describe("relativeTime", () => {
  const en = { locale: "en", timeZone: "UTC" };

  it("says now, minutes and hours within the day", () => {
    expect(relativeTime(ago(10_000), now, en)).toBe("now");
    expect(relativeTime(ago(5 * min), now, en)).toBe("5 minutes ago");
    expect(relativeTime(ago(3 * hour), now, en)).toBe("3 hours ago");
    expect(relativeTime(new Date(now.getTime() + 5 * min), now, en)).toBe("now"); // a clock a little ahead
  });

  it("counts calendar days in the reader's time zone", () => {
    expect(relativeTime(ago(13 * hour), now, en)).toBe("yesterday"); // 23:00 the day before
    expect(relativeTime(ago(3 * 24 * hour), now, en)).toBe("3 days ago");
    // 12:00 UTC is 01:00 on the 27th in Auckland (UTC+13): two hours earlier was the 26th there, but today in UTC.
    const auckland = { locale: "en", timeZone: "Pacific/Auckland" };
    expect(relativeTime(ago(2 * hour), now, en)).toBe("2 hours ago");
    expect(relativeTime(ago(2 * hour), now, auckland)).toBe("yesterday");
  });

  it("shows the date after a week, with the year only when it differs", () => {
    expect(relativeTime(new Date("2026-11-01T10:00:00Z"), now, en)).toBe("Nov 1");
    expect(relativeTime(new Date("2025-11-01T10:00:00Z"), now, en)).toBe("Nov 1, 2025");
  });

  it("speaks the reader's language", () => {
    expect(relativeTime(ago(13 * hour), now, { locale: "fr", timeZone: "UTC" })).toBe("hier");
    expect(relativeTime(ago(5 * min), now, { locale: "de", timeZone: "UTC" })).toBe("vor 5 Minuten");
  });

  it("gives the full timestamp for the tooltip", () => {
    expect(fullTimestamp(now, { locale: "en", timeZone: "UTC" })).toBe("Thursday, November 26, 2026 at 12:00 PM");
  });
});

describe("rememberedLabel", () => {
  it("labels an instant as its format does, from a Date or an ISO string, formatting each instant once", () => {
    const format = vi.fn((date: Date) => fullTimestamp(date, { locale: "en", timeZone: "UTC" }));
    const label = rememberedLabel(format, 2);
    expect(label(now)).toBe("Thursday, November 26, 2026 at 12:00 PM");
    expect(label(now.toISOString())).toBe("Thursday, November 26, 2026 at 12:00 PM");
    expect(format).toHaveBeenCalledTimes(1);
    // Past its bound it starts again rather than growing.
    label(ago(min));
    label(ago(hour));
    expect(label(ago(hour))).toBe("Thursday, November 26, 2026 at 11:00 AM");
    expect(format).toHaveBeenCalledTimes(3);
  });
});
