import { describe, expect, it } from "vitest";
import { isoTime } from "@/lib/log-time";

describe("isoTime", () => {
  it("writes what Date#toISOString writes, within a second and across seconds", () => {
    const start = Date.UTC(2026, 10, 26, 23, 59, 58, 990);
    for (const t of [
      start,
      start + 1,
      start + 9,
      start + 10,
      start + 11,
      start + 1010,
      start + 2000,
      0,
      1_700_000_000_123,
      start,
    ]) {
      expect(isoTime(t)).toBe(`,"time":"${new Date(t).toISOString()}"`);
    }
  });
});
