import { z } from "zod";

/**
 * Opaque keyset cursor: the (created_at, id) of the last note of a page. Stable under concurrent inserts
 * (new notes sort before it, so a page never repeats or skips one).
 */
const cursorSchema = z.tuple([z.iso.datetime(), z.number().int().positive()]);

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
