import type { ExpectedVersion } from "@/lib/notes/service";

/**
 * Optional optimistic concurrency for the REST API: a note's ETag names its version (id and updated_at), and a
 * change sent with If-Match applies only to that version (else 412). Without If-Match nothing changes.
 */

export function noteEtag(note: { id: number; updatedAt: Date }): string {
  return `"${note.id}-${note.updatedAt.getTime().toString(36)}"`;
}

/**
 * The versions of note `id` that If-Match accepts: undefined when the header is absent or "*" (the note only
 * has to exist); otherwise the listed tags of this note (weak tags never match, as RFC 9110 requires), which
 * may be none, so that any version is stale.
 */
export function ifMatchVersions(request: Request, id: number): ExpectedVersion {
  const header = request.headers.get("if-match");
  if (header === null || header.trim() === "*") return undefined;
  const versions: Date[] = [];
  for (const match of header.matchAll(/(W\/)?"([^"]*)"/g)) {
    if (match[1]) continue;
    const [tagId, stamp] = match[2]!.split("-");
    const ms = parseInt(stamp ?? "", 36);
    if (tagId === String(id) && /^[0-9a-z]{1,12}$/.test(stamp ?? "") && Number.isSafeInteger(ms)) {
      versions.push(new Date(ms));
    }
  }
  return versions;
}

/** Headers of an answer that shows note `note`. */
export function etagHeaders(note: { id: number; updatedAt: Date }): HeadersInit {
  return { etag: noteEtag(note) };
}
