import { requireApiUser } from "@/lib/http/bearer";
import { apiRoute } from "@/lib/http/handler";
import { json } from "@/lib/http/problem";
import { emptyTrash } from "@/lib/notes/trash";
import { listResponse } from "@/lib/http/note-list";

/** The trash: GET lists it (as GET /notes?in=trash), DELETE empties it. */
export const GET = apiRoute("/trash", async (request) => {
  const user = await requireApiUser(request, "read");
  return listResponse(request, user.id, { in: "trash" });
});

export const DELETE = apiRoute("/trash", async (request) => {
  const user = await requireApiUser(request, "write");
  const deleted = await emptyTrash(user.id);
  return json({ message: "Trash emptied", deleted });
});
