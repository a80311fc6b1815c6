import { requireApiUser } from "@/lib/http/bearer";
import { etagHeaders, ifMatchVersions } from "@/lib/http/etag";
import { apiRoute } from "@/lib/http/handler";
import { parseNoteId } from "@/lib/http/params";
import { json } from "@/lib/http/problem";
import { toApiNote } from "@/lib/notes/rest";
import { deleteNote, getNote } from "@/lib/notes/service";

type Context = RouteContext<"/notes/[id]">;

export const GET = apiRoute("/notes/[id]", async (request, { params }: Context) => {
  const user = await requireApiUser(request, "read");
  const note = await getNote(user.id, parseNoteId((await params).id));
  return json(await toApiNote(note), { headers: etagHeaders(note) });
});

export const DELETE = apiRoute("/notes/[id]", async (request, { params }: Context) => {
  const user = await requireApiUser(request, "write");
  const id = parseNoteId((await params).id);
  await deleteNote(user.id, id, ifMatchVersions(request, id));
  return json({ message: "Note deleted successfully" });
});
