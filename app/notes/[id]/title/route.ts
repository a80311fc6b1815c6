import { requireApiUser } from "@/lib/http/bearer";
import { readFields } from "@/lib/http/body";
import { etagHeaders, ifMatchVersions } from "@/lib/http/etag";
import { apiRoute } from "@/lib/http/handler";
import { parseNoteId } from "@/lib/http/params";
import { json } from "@/lib/http/problem";
import { toApiNote } from "@/lib/notes/rest";
import { titleUpdateSchema } from "@/lib/notes/schema";
import { updateTitle } from "@/lib/notes/service";
import { parseInput } from "@/lib/validation";

export const PUT = apiRoute("/notes/[id]/title", async (request, { params }: RouteContext<"/notes/[id]/title">) => {
  const user = await requireApiUser(request, "write");
  const id = parseNoteId((await params).id);
  const { title } = parseInput(titleUpdateSchema, await readFields(request));
  const note = await updateTitle(user.id, id, title, ifMatchVersions(request, id));
  return json(await toApiNote(note), { headers: etagHeaders(note) });
});
