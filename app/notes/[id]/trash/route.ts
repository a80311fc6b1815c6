import { requireApiUser } from "@/lib/http/bearer";
import { apiRoute } from "@/lib/http/handler";
import { parseNoteId } from "@/lib/http/params";
import { json } from "@/lib/http/problem";
import { toApiNote } from "@/lib/notes/rest";
import { trashNote } from "@/lib/notes/trash";

type Context = RouteContext<"/notes/[id]/trash">;

export const POST = apiRoute("/notes/[id]/trash", async (request, { params }: Context) => {
  const user = await requireApiUser(request, "write");
  return json(await toApiNote(await trashNote(user.id, parseNoteId((await params).id))));
});
