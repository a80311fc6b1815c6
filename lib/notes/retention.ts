/**
 * Which revisions of a note are kept: the newest KEEP_REVISIONS, and beyond them the last revision of each day
 * (UTC). Revision times only move forward with their numbers (each save's updated_at is after the last), so
 * "the last of its day" is "the next revision is on another day". The SQL of lib/notes/revisions.ts applies
 * this rule one revision at a time as revisions leave the newest 50; this is the rule itself, for its tests.
 */

export const KEEP_REVISIONS = 50;

/** The UTC day of a time, as the SQL computes it ((t AT TIME ZONE 'UTC')::date). */
export const utcDay = (t: Date) => t.toISOString().slice(0, 10);

/** The numbers of the revisions kept, of revisions given oldest first (strictly increasing numbers). */
export function keptRevisions(
  revisions: readonly { number: number; createdAt: Date }[],
  keep = KEEP_REVISIONS,
): number[] {
  const newest = revisions.at(-1)?.number ?? 0;
  return revisions
    .filter((r, i) => {
      if (r.number > newest - keep) return true;
      const next = revisions[i + 1];
      return next === undefined || utcDay(next.createdAt) !== utcDay(r.createdAt);
    })
    .map((r) => r.number);
}
