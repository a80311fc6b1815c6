/**
 * Prints CloudNotes' own statements for the requests the references serve, so that they run the same SQL as the
 * app: the first page of GET /notes and the benchmark's search (lib/notes/list-sql.ts), POST /notes without a
 * file and PUT /notes/{id}/title (lib/notes/service.ts, each writing a revision), the fold that follows new
 * notes (lib/notes/inbox.ts), and POST /uploads' bookkeeping (lib/files/uploads.ts).
 * `{ list, search, createNote, updateTitle, foldInbox, countPendingUploads, insertUpload, sessionOptions }`,
 * the statements as `{ name, text, values }` with the request's values as placeholders (`{"user":true}`,
 * `{"id":true}`, `{"title":true}`, `{"description":true}`, `{"tags":true}`, `{"limitPlusOne":true}`) for
 * bench/reference/work.mjs to fill in; the upload statements take their values in the order their comments give.
 * Run with `node --conditions=react-server --import tsx` (the modules are server-only).
 */
import { listingStatement } from "@/lib/notes/list-sql";
import { listQuerySchema } from "@/lib/notes/schema";
import { FOLD_BATCH, FOLD_DELAY_MS } from "@/lib/notes/inbox";
import { FOLD_INBOX } from "@/lib/notes/inbox-sql";
import { createNoteStatement, writeTextStatement } from "@/lib/notes/service";
import { SEARCH_COUNT_CAP, SEARCH_TYPOS_BELOW } from "@/lib/notes/search";
import { COUNT_PENDING_UPLOADS, INSERT_UPLOAD } from "@/lib/files/uploads";
import { SESSION_OPTIONS } from "@/lib/db/pool";
import { SEARCH_WORD } from "../seed";

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

function withPlaceholders(
  statement: { name?: string; text: string; values?: unknown[] },
  placeholders: Map<unknown, string> = PLACEHOLDERS,
) {
  const values = (statement.values ?? []).map((v) => {
    if (Array.isArray(v) && placeholders === PLACEHOLDERS) return { tags: true }; // the tags the app extracted
    const name = placeholders.get(v);
    return name ? { [name]: true } : v;
  });
  return { name: statement.name, text: statement.text, values };
}

// A search's statements carry the words and limits themselves: only the user stands in for a value.
const USER_ONLY = new Map<unknown, string>([[USER, "user"]]);
const search = listingStatement(USER, listQuerySchema.parse({ q: SEARCH_WORD }), { archived: "include" });
if (search.kind !== "search") throw new Error(`"${SEARCH_WORD}" is not a text search`);

process.stdout.write(
  JSON.stringify({
    // As GET /notes asks for it (lib/http/note-list.ts): archived notes included.
    list: withPlaceholders(listingStatement(USER, listQuerySchema.parse({ limit: LIMIT }), { archived: "include" })),
    // GET /notes?q=SEARCH_WORD; the second statement runs when the first counts fewer than typosBelow matches.
    search: {
      q: SEARCH_WORD,
      limit: listQuerySchema.parse({}).limit,
      typosBelow: SEARCH_TYPOS_BELOW,
      countCap: SEARCH_COUNT_CAP,
      statement: withPlaceholders(search, USER_ONLY),
      withTypos: search.withTypos ? withPlaceholders(search.withTypos, USER_ONLY) : null,
    },
    createNote: withPlaceholders(createNoteStatement(USER, { title: TITLE, description: DESCRIPTION })),
    // One text (PUT /notes/{id}/title): the tags are kept as stored, no version is expected.
    updateTitle: withPlaceholders(writeTextStatement(USER, ID, { title: TITLE }, null, undefined)),
    // Run FOLD_DELAY_MS after a new note, batch after batch until one takes fewer than FOLD_BATCH notes.
    foldInbox: { name: "fold_note_inbox", text: FOLD_INBOX, values: [FOLD_BATCH], delayMs: FOLD_DELAY_MS },
    countPendingUploads: COUNT_PENDING_UPLOADS,
    insertUpload: INSERT_UPLOAD,
    // The app's session settings (the search's similarity threshold), for the references' pool.
    sessionOptions: SESSION_OPTIONS,
  }),
);
