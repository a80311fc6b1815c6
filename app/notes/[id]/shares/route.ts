import { requireApiUser } from "@/lib/http/bearer";
import { readFields } from "@/lib/http/body";
import { apiRoute } from "@/lib/http/handler";
import { parseNoteId } from "@/lib/http/params";
import { json } from "@/lib/http/problem";
import { apiNewShareSchema, toApiShare } from "@/lib/shares/schema";
import { createShare, listShares } from "@/lib/shares/service";
import { parseInput } from "@/lib/validation";

type Context = RouteContext<"/notes/[id]/shares">;

export const GET = apiRoute("/notes/[id]/shares", async (request, { params }: Context) => {
  const user = await requireApiUser(request, "read");
  const shares = await listShares(user.id, parseNoteId((await params).id));
  return json(shares.map((share) => toApiShare(share, request.url)));
});

export const POST = apiRoute("/notes/[id]/shares", async (request, { params }: Context) => {
  const user = await requireApiUser(request, "write");
  const noteId = parseNoteId((await params).id);
  const input = parseInput(apiNewShareSchema, await readFields(request, ["json"]));
  return json(toApiShare(await createShare(user.id, noteId, input), request.url), { status: 201 });
});
