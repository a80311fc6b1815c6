import { requireApiUser } from "@/lib/http/bearer";
import { apiRoute } from "@/lib/http/handler";
import { parseNoteId } from "@/lib/http/params";
import { json } from "@/lib/http/problem";
import { toApiNote } from "@/lib/notes/rest";
import { archiveNote } from "@/lib/notes/trash";

type Context = RouteContext<"/notes/[id]/archive">;

export const POST = apiRoute("/notes/[id]/archive", async (request, { params }: Context) => {
  const user = await requireApiUser(request, "write");
  return json(await toApiNote(await archiveNote(user.id, parseNoteId((await params).id), true)));
});

export const DELETE = apiRoute("/notes/[id]/archive", async (request, { params }: Context) => {
  const user = await requireApiUser(request, "write");
  return json(await toApiNote(await archiveNote(user.id, parseNoteId((await params).id), false)));
});
