import { z } from "zod";
import { NOTE_ID_MAX, type NoteSort, SORTS } from "@/lib/notes/schema";

/**
 * Opaque keyset cursor: the (created_at, id) of the last note of a page. Stable under concurrent inserts
 * (new notes sort before it, so a page never repeats or skips one). The id is bounded by the integer column: a
 * forged larger one would make PostgreSQL fail the query ("out of range for type integer") instead of a 422.
 */
const cursorSchema = z.tuple([z.iso.datetime(), z.number().int().positive().max(NOTE_ID_MAX)]);

export interface CursorPosition {
  createdAt: Date;
  id: number;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString("base64url");
}

/** null when the cursor was not made by encodeCursor. */
export function decodeCursor(cursor: string): CursorPosition | null {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return parsed.success ? { createdAt: new Date(parsed.data[0]), id: parsed.data[1] } : null;
  } catch {
    return null;
  }
}

/**
 * Where the next page of a listing starts: after a note (keyset: its pinned flag, its sort key and id) in a
 * sorted list, or after `offset` results of a ranked search (ranks are not a stable key).
 */
export type ListPosition =
  { kind: "keyset"; sort: NoteSort; pinned: boolean; key: string; id: number } | { kind: "offset"; offset: number };

const listCursorSchema = z.union([
  z.tuple([z.enum(SORTS), z.boolean(), z.string().max(400), z.number().int().positive().max(NOTE_ID_MAX)]),
  z.tuple([z.literal("rank"), z.number().int().min(0).max(1_000_000)]),
]);

export function encodeListCursor(p: ListPosition): string {
  const value = p.kind === "offset" ? ["rank", p.offset] : [p.sort, p.pinned, p.key, p.id];
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** null when the cursor was not made by encodeListCursor (or, for newest first, by encodeCursor). */
export function decodeListCursor(cursor: string): ListPosition | null {
  const legacy = decodeCursor(cursor);
  if (legacy)
    return { kind: "keyset", sort: "newest", pinned: false, key: legacy.createdAt.toISOString(), id: legacy.id };
  try {
    const parsed = listCursorSchema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    if (!parsed.success) return null;
    const v = parsed.data;
    if (v[0] === "rank") return { kind: "offset", offset: v[1] };
    if (v[0] !== "title" && !z.iso.datetime().safeParse(v[2]).success) return null;
    return { kind: "keyset", sort: v[0], pinned: v[1], key: v[2], id: v[3] };
  } catch {
    return null;
  }
}
