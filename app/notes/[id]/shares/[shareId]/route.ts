import { requireApiUser } from "@/lib/http/bearer";
import { apiRoute } from "@/lib/http/handler";
import { parseNoteId } from "@/lib/http/params";
import { revokeShare } from "@/lib/shares/service";

type Context = RouteContext<"/notes/[id]/shares/[shareId]">;

export const DELETE = apiRoute("/notes/[id]/shares/[shareId]", async (request, { params }: Context) => {
  const user = await requireApiUser(request, "write");
  const { id, shareId } = await params;
  await revokeShare(user.id, parseNoteId(id), shareId);
  return new Response(null, { status: 204 });
});
