/**
 * Prints CloudNotes' own statement for the first page of GET /notes (lib/notes/list-sql.ts), for the bench's
 * references to run the same SQL as the app: `{ text, values }`, the caller's id and the page size + 1 as
 * placeholders (`{"user":true}`, `{"limitPlusOne":true}`).
 * Run with `node --conditions=react-server --import tsx` (the module is server-only).
 */
import { listingStatement } from "@/lib/notes/list-sql";
import { listQuerySchema } from "@/lib/notes/schema";

const USER = "\u0000user";
const LIMIT = 7;
// As GET /notes asks for it (lib/http/note-list.ts): archived notes included.
const s = listingStatement(USER, listQuerySchema.parse({ limit: LIMIT }), { archived: "include" });
const values = s.values.map((v) => (v === USER ? { user: true } : v === LIMIT + 1 ? { limitPlusOne: true } : v));
process.stdout.write(JSON.stringify({ text: s.text, values }));
