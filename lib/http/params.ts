import { validationError } from "@/lib/errors";
import { isNoteId } from "@/lib/notes/schema";
import { normalizeTag } from "@/lib/notes/tags";

/**
 * A path id as FastAPI parses `id: int`: not an integer → 422; an integer that cannot be a note id (zero,
 * negative, beyond the column) → 0, which the domain answers with 404 like any unknown note.
 */
export function parseNoteId(raw: string): number {
  return parsePathInt(raw, "id");
}

/** A revision number of a path (as parseNoteId: 422 when not an integer, 0 when no revision can have it). */
export function parseRevisionNumber(raw: string): number {
  return parsePathInt(raw, "number");
}

function parsePathInt(raw: string, name: string): number {
  let text: string;
  try {
    text = decodeURIComponent(raw).trim();
  } catch {
    // Malformed percent-encoding ("%", "%E0%A4%A") is not an integer either: 422, not a URIError (500).
    text = raw;
  }
  if (!/^[+-]?\d+$/.test(text)) {
    throw validationError([
      {
        path: [name],
        message: "Input should be a valid integer, unable to parse string as an integer",
        type: "int_parsing",
      },
    ]);
  }
  const value = Number(text);
  return isNoteId(value) ? value : 0;
}

/** A tag from the path segments of /tags/{tag} (nested tags span segments: /tags/work/clients). */
export function parseTagPath(segments: string[]): string {
  let text: string;
  try {
    text = segments.map((s) => decodeURIComponent(s)).join("/");
  } catch {
    text = "";
  }
  const tag = normalizeTag(text);
  if (!tag) throw validationError([{ path: ["tag"], message: "Invalid tag", type: "value_error", in: "path" }]);
  return tag;
}
