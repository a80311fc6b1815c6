import { requireApiUser } from "@/lib/http/bearer";
import { apiRoute } from "@/lib/http/handler";
import { parseNoteId } from "@/lib/http/params";
import { json } from "@/lib/http/problem";
import { toApiNote } from "@/lib/notes/rest";
import { deleteNote, getNote } from "@/lib/notes/service";

type Context = RouteContext<"/notes/[id]">;

export const GET = apiRoute("/notes/[id]", async (request, { params }: Context) => {
  const user = await requireApiUser(request);
  const note = await getNote(user.id, parseNoteId((await params).id));
  return json(await toApiNote(note));
});

export const DELETE = apiRoute("/notes/[id]", async (request, { params }: Context) => {
  const user = await requireApiUser(request);
  await deleteNote(user.id, parseNoteId((await params).id));
  return json({ message: "Note deleted successfully" });
});
