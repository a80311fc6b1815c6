import { requireApiUser } from "@/lib/http/bearer";
import { readFields } from "@/lib/http/body";
import { apiRoute } from "@/lib/http/handler";
import { parseNoteId } from "@/lib/http/params";
import { json } from "@/lib/http/problem";
import { toApiNote } from "@/lib/notes/rest";
import { titleUpdateSchema } from "@/lib/notes/schema";
import { updateTitle } from "@/lib/notes/service";
import { parseInput } from "@/lib/validation";

export const PUT = apiRoute("/notes/[id]/title", async (request, { params }: RouteContext<"/notes/[id]/title">) => {
  const user = await requireApiUser(request);
  const id = parseNoteId((await params).id);
  const { title } = parseInput(titleUpdateSchema, await readFields(request));
  return json(await toApiNote(await updateTitle(user.id, id, title)));
});
