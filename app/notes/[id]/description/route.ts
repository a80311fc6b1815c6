import { requireApiUser } from "@/lib/http/bearer";
import { readFields } from "@/lib/http/body";
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
    const user = await requireApiUser(request);
    const id = parseNoteId((await params).id);
    const { description } = parseInput(descriptionUpdateSchema, await readFields(request));
    return json(await toApiNote(await updateDescription(user.id, id, description)));
  },
);
