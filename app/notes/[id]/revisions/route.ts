import { requireApiUser } from "@/lib/http/bearer";
import { apiRoute } from "@/lib/http/handler";
import { jsonArray } from "@/lib/http/json-array";
import { parseNoteId } from "@/lib/http/params";
import { toApiRevision } from "@/lib/notes/revision-rest";
import { revisionListQuerySchema } from "@/lib/notes/revision-schema";
import { listRevisions } from "@/lib/notes/revisions";
import { parseInput } from "@/lib/validation";

type Context = RouteContext<"/notes/[id]/revisions">;

/** A note's revisions, newest first; `Link: <...>; rel="next"` continues the list (as GET /notes). */
export const GET = apiRoute("/notes/[id]/revisions", async (request, { params }: Context) => {
  const user = await requireApiUser(request, "read");
  const id = parseNoteId((await params).id);
  const url = new URL(request.url);
  const page = await listRevisions(
    user.id,
    id,
    parseInput(revisionListQuerySchema, Object.fromEntries(url.searchParams)),
  );
  const headers = new Headers();
  if (page.nextCursor) {
    const next = new URLSearchParams(url.searchParams);
    next.set("cursor", page.nextCursor);
    headers.set("link", `<${url.pathname}?${next.toString()}>; rel="next"`);
  }
  return jsonArray(await Promise.all(page.revisions.map(toApiRevision)), { headers });
});
