import { requireApiUser } from "@/lib/http/bearer";
import { apiRoute } from "@/lib/http/handler";
import { parseNoteId, parseRevisionNumber } from "@/lib/http/params";
import { json } from "@/lib/http/problem";
import { toApiRevision } from "@/lib/notes/revision-rest";
import { getRevision } from "@/lib/notes/revisions";

type Context = RouteContext<"/notes/[id]/revisions/[number]">;

export const GET = apiRoute("/notes/[id]/revisions/[number]", async (request, { params }: Context) => {
  const user = await requireApiUser(request, "read");
  const p = await params;
  const revision = await getRevision(user.id, parseNoteId(p.id), parseRevisionNumber(p.number));
  return json(await toApiRevision(revision));
});
