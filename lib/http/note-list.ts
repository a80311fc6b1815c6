import "server-only";
import { jsonArray } from "@/lib/http/json-array";
import { toApiNote } from "@/lib/notes/rest";
import { listQuerySchema } from "@/lib/notes/schema";
import { listNotes } from "@/lib/notes/service";
import { parseInput } from "@/lib/validation";

/**
 * A page of notes as the REST API answers it: the query parameters of GET /notes (plus `fixed` ones), a
 * `Link: <...>; rel="next"` header for the rest and, for a text search, `X-Total-Count` (counted up to a cap;
 * `X-Total-Count-Capped: true` says there are more: the count header stays a number for clients that parse it).
 */
export async function listResponse(request: Request, userId: string, fixed: Record<string, string> = {}) {
  const url = new URL(request.url);
  const query = parseInput(listQuerySchema, { ...Object.fromEntries(url.searchParams), ...fixed });
  // Every live note, archived ones included, unless the query asks for archived ones only.
  const page = await listNotes(userId, query, { archived: "include" });
  const headers = new Headers();
  if (page.nextCursor) {
    // Relative, so that it stays right behind any proxy; the other parameters carry over.
    const next = new URLSearchParams(url.searchParams);
    next.set("cursor", page.nextCursor);
    headers.set("link", `<${url.pathname}?${next.toString()}>; rel="next"`);
  }
  if (page.total !== null) headers.set("x-total-count", String(page.total));
  if (page.totalCapped) headers.set("x-total-count-capped", "true");
  return jsonArray(await Promise.all(page.notes.map(toApiNote)), { headers });
}
