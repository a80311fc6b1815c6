import "server-only";
import { jsonArray } from "@/lib/http/json-array";
import { toApiNote } from "@/lib/notes/rest";
import { listQuerySchema } from "@/lib/notes/schema";
import { listNotes } from "@/lib/notes/service";
import { parseInput } from "@/lib/validation";

/**
 * A page of notes as the REST API answers it: the query parameters of GET /notes (plus `fixed` ones), a
 * `Link: <...>; rel="next"` header for the rest and, for a text search, `X-Total-Count` (`1000+` past the cap).
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
  // Counted up to a cap: "1000+" says there are more.
  if (page.total !== null) headers.set("x-total-count", `${page.total}${page.totalCapped ? "+" : ""}`);
  return jsonArray(await Promise.all(page.notes.map(toApiNote)), { headers });
}
