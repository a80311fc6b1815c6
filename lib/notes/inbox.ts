import "server-only";
import type pg from "pg";
import { pool } from "@/lib/db/pool";
import { logger } from "@/lib/log";
import { FOLD_INBOX } from "@/lib/notes/inbox-sql";

/**
 * New notes reach note_tags, tag_counts and search_words through the inbox (prisma/migrations/
 * 20261201000000_note_inbox): a write asks for a fold, which runs a moment later for every note written
 * meanwhile, by any instance. The schedule (lib/files/maintenance.ts) folds what an instance that stopped left.
 */

/** Notes per transaction: the batch's locks and rows stay small however many notes an import wrote. */
export const FOLD_BATCH = 1000;
/** Writes within this delay are folded together: one set-based statement for all of them. */
export const FOLD_DELAY_MS = 500;

/** Folds one batch (one statement, so one transaction) on a connection; answers how many notes it took. */
export async function foldInboxBatch(client: pg.Pool | pg.ClientBase = pool()): Promise<number> {
  const { rows } = await client.query<{ taken: number }>({
    name: "fold_note_inbox",
    text: FOLD_INBOX,
    values: [FOLD_BATCH],
  });
  return rows[0]!.taken;
}

/** Folds the whole inbox, batch after batch; answers how many notes it took. */
export async function foldNoteInbox(): Promise<number> {
  let taken = 0;
  for (;;) {
    const batch = await foldInboxBatch();
    taken += batch;
    if (batch < FOLD_BATCH) return taken;
  }
}

let pending: NodeJS.Timeout | undefined;

/** Called after a write that added notes has committed. Reads see the notes meanwhile (lib/notes/inbox-sql.ts). */
export function requestInboxFold(): void {
  if (pending) return;
  pending = setTimeout(() => {
    pending = undefined;
    foldNoteInbox().catch((error) =>
      logger.warn({ err: error }, "could not fold new notes into the tag and word indexes; the schedule will"),
    );
  }, FOLD_DELAY_MS);
  pending.unref();
}
