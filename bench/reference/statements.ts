/**
 * Prints CloudNotes' own statements for the requests the references serve, so that they run the same SQL as the
 * app: the first page of GET /notes (lib/notes/list-sql.ts), POST /notes without a file and PUT /notes/{id}/title
 * (lib/notes/service.ts, each writing a revision), and the fold that follows new notes (lib/notes/inbox.ts).
 * `{ list, createNote, updateTitle, foldInbox }`, each `{ name, text, values }` with the request's values as placeholders (`{"user":true}`, `{"id":true}`, `{"title":true}`,
 * `{"description":true}`, `{"tags":true}`, `{"limitPlusOne":true}`) for bench/reference/work.mjs to fill in.
 * Run with `node --conditions=react-server --import tsx` (the modules are server-only).
 */
import { listingStatement } from "@/lib/notes/list-sql";
import { listQuerySchema } from "@/lib/notes/schema";
import { FOLD_BATCH, FOLD_DELAY_MS } from "@/lib/notes/inbox";
import { FOLD_INBOX } from "@/lib/notes/inbox-sql";
import { createNoteStatement, writeTextStatement } from "@/lib/notes/service";

const USER = "\u0000user";
const TITLE = "\u0000title";
const DESCRIPTION = "\u0000description";
const ID = 2_147_483_000;
const LIMIT = 7;

/** The request's values, by the sentinel that stands for each in the statements built below. */
const PLACEHOLDERS = new Map<unknown, string>([
  [USER, "user"],
  [TITLE, "title"],
  [DESCRIPTION, "description"],
  [ID, "id"],
  [LIMIT + 1, "limitPlusOne"],
]);

function withPlaceholders(statement: { name?: string; text: string; values?: unknown[] }) {
  const values = (statement.values ?? []).map((v) => {
    if (Array.isArray(v)) return { tags: true }; // the tags the app extracted from the texts
    const name = PLACEHOLDERS.get(v);
    return name ? { [name]: true } : v;
  });
  return { name: statement.name, text: statement.text, values };
}

process.stdout.write(
  JSON.stringify({
    // As GET /notes asks for it (lib/http/note-list.ts): archived notes included.
    list: withPlaceholders(listingStatement(USER, listQuerySchema.parse({ limit: LIMIT }), { archived: "include" })),
    createNote: withPlaceholders(createNoteStatement(USER, { title: TITLE, description: DESCRIPTION })),
    // One text (PUT /notes/{id}/title): the tags are kept as stored, no version is expected.
    updateTitle: withPlaceholders(writeTextStatement(USER, ID, { title: TITLE }, null, undefined)),
    // Run FOLD_DELAY_MS after a new note, batch after batch until one takes fewer than FOLD_BATCH notes.
    foldInbox: { name: "fold_note_inbox", text: FOLD_INBOX, values: [FOLD_BATCH], delayMs: FOLD_DELAY_MS },
  }),
);
