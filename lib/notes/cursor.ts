import { z } from "zod";
import { NOTE_ID_MAX } from "@/lib/notes/schema";

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
