import { requireApiUser } from "@/lib/http/bearer";
import { apiRoute } from "@/lib/http/handler";
import { parseNoteId } from "@/lib/http/params";
import { json } from "@/lib/http/problem";
import { toApiNote } from "@/lib/notes/rest";
import { pinNote } from "@/lib/notes/trash";

type Context = RouteContext<"/notes/[id]/pin">;

export const POST = apiRoute("/notes/[id]/pin", async (request, { params }: Context) => {
  const user = await requireApiUser(request, "write");
  return json(await toApiNote(await pinNote(user.id, parseNoteId((await params).id), true)));
});

export const DELETE = apiRoute("/notes/[id]/pin", async (request, { params }: Context) => {
  const user = await requireApiUser(request, "write");
  return json(await toApiNote(await pinNote(user.id, parseNoteId((await params).id), false)));
});
