import { notFound as notFoundError } from "@/lib/errors";
import { currentUser } from "@/lib/auth/session";
import { apiRoute } from "@/lib/http/handler";
import { parseNoteId } from "@/lib/http/params";
import { fileUrl } from "@/lib/notes/file-url";
import { getNote } from "@/lib/notes/service";

type Context = RouteContext<"/n/[id]/attachment">;

/**
 * The signed-in owner's image placed in a note's text (`![alt](attachment:name)`): a redirect to a fresh
 * presigned URL, so that the rendered text (cached by note version) never holds a link that expires.
 */
export const GET = apiRoute("/n/[id]/attachment", async (_request, { params }: Context) => {
  const id = parseNoteId((await params).id);
  const user = await currentUser();
  if (!user) throw notFoundError();
  const url = await fileUrl(await getNote(user.id, id));
  if (!url) throw notFoundError();
  // The path carries the note's version (lib/notes/view.ts), so a short private cache never shows a replaced file.
  return new Response(null, { status: 302, headers: { location: url, "cache-control": "private, max-age=60" } });
});
