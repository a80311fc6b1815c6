import { requireApiUser } from "@/lib/http/bearer";
import { apiRoute } from "@/lib/http/handler";
import { parseNoteId } from "@/lib/http/params";
import { json } from "@/lib/http/problem";
import { deleteForever } from "@/lib/notes/trash";

export const DELETE = apiRoute("/trash/[id]", async (request, { params }: RouteContext<"/trash/[id]">) => {
  const user = await requireApiUser(request, "write");
  await deleteForever(user.id, parseNoteId((await params).id));
  return json({ message: "Note deleted for good" });
});
