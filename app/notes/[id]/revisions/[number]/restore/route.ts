import { requireApiUser } from "@/lib/http/bearer";
import { etagHeaders, ifMatchVersions } from "@/lib/http/etag";
import { apiRoute } from "@/lib/http/handler";
import { parseNoteId, parseRevisionNumber } from "@/lib/http/params";
import { json } from "@/lib/http/problem";
import { toApiNote } from "@/lib/notes/rest";
import { restoreRevision } from "@/lib/notes/revisions";

type Context = RouteContext<"/notes/[id]/revisions/[number]/restore">;

/** Sets the note to this revision's title, description and file, as a new revision; answers the note. */
export const POST = apiRoute("/notes/[id]/revisions/[number]/restore", async (request, { params }: Context) => {
  const user = await requireApiUser(request, "write");
  const p = await params;
  const id = parseNoteId(p.id);
  const note = await restoreRevision(user.id, id, parseRevisionNumber(p.number), ifMatchVersions(request, id));
  return json(await toApiNote(note), { headers: etagHeaders(note) });
});
