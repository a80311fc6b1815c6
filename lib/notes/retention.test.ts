import { describe, expect, it } from "vitest";
import { KEEP_REVISIONS, keptRevisions } from "@/lib/notes/retention";

const at = (day: number, minute: number) => new Date(Date.UTC(2026, 0, day, 10, minute));
const numbers = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("revision retention", () => {
  it("keeps everything up to 50 revisions", () => {
    const revisions = numbers(1, KEEP_REVISIONS).map((n) => ({ number: n, createdAt: at(1, n) }));
    expect(keptRevisions(revisions)).toEqual(numbers(1, 50));
  });

  it("keeps the newest 50 of 60 saves made on one day", () => {
    const revisions = numbers(1, 60).map((n) => ({ number: n, createdAt: at(1, n) }));
    expect(keptRevisions(revisions)).toEqual(numbers(11, 60));
  });

  it("beyond the newest 50 keeps the last revision of each day", () => {
    // Days 1..3 with 10 saves each, then 50 on day 4: the last of days 1, 2 and 3 stay.
    const revisions = [
      ...numbers(1, 30).map((n) => ({ number: n, createdAt: at(Math.ceil(n / 10), n) })),
      ...numbers(31, 80).map((n) => ({ number: n, createdAt: at(4, n - 30) })),
    ];
    expect(keptRevisions(revisions)).toEqual([10, 20, 30, ...numbers(31, 80)]);
  });

  it("drops the older revisions of a day whose last revision is still among the newest 50", () => {
    const revisions = numbers(1, 55).map((n) => ({ number: n, createdAt: at(n <= 3 ? 1 : 2, n) }));
    // 1..3 on day 1 (3 is its last, outside the newest 50 as 6..55 are), 4..55 on day 2.
    expect(keptRevisions(revisions)).toEqual([3, ...numbers(6, 55)]);
  });

  it("uses UTC days", () => {
    const revisions = [
      { number: 1, createdAt: new Date("2026-01-01T23:59:59.999Z") },
      { number: 2, createdAt: new Date("2026-01-02T00:00:00.000Z") },
      { number: 3, createdAt: new Date("2026-01-02T00:00:01.000Z") },
    ];
    expect(keptRevisions(revisions, 1)).toEqual([1, 3]);
  });
});
