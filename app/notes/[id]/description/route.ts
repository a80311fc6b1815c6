import { requireApiUser } from "@/lib/http/bearer";
import { readFields } from "@/lib/http/body";
import { etagHeaders, ifMatchVersions } from "@/lib/http/etag";
import { apiRoute } from "@/lib/http/handler";
import { parseNoteId } from "@/lib/http/params";
import { json } from "@/lib/http/problem";
import { toApiNote } from "@/lib/notes/rest";
import { descriptionUpdateSchema } from "@/lib/notes/schema";
import { updateDescription } from "@/lib/notes/service";
import { parseInput } from "@/lib/validation";

export const PUT = apiRoute(
  "/notes/[id]/description",
  async (request, { params }: RouteContext<"/notes/[id]/description">) => {
    const user = await requireApiUser(request, "write");
    const id = parseNoteId((await params).id);
    const { description } = parseInput(descriptionUpdateSchema, await readFields(request));
    const note = await updateDescription(user.id, id, description, ifMatchVersions(request, id));
    return json(await toApiNote(note), { headers: etagHeaders(note) });
  },
);
