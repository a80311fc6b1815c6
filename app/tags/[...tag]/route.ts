import { notFound } from "@/lib/errors";
import { requireApiUser } from "@/lib/http/bearer";
import { readFields } from "@/lib/http/body";
import { apiRoute } from "@/lib/http/handler";
import { parseTagPath } from "@/lib/http/params";
import { json } from "@/lib/http/problem";
import { tagRenameSchema } from "@/lib/notes/schema";
import { replaceTagEverywhere } from "@/lib/notes/tag-service";
import { parseInput } from "@/lib/validation";

type Context = RouteContext<"/tags/[...tag]">;

/** Renames a tag (and the tags nested under it) in the text of every note that has it. */
export const PUT = apiRoute("/tags/[...tag]", async (request, { params }: Context) => {
  const user = await requireApiUser(request, "write");
  const tag = parseTagPath((await params).tag);
  const { name } = parseInput(tagRenameSchema, await readFields(request));
  const notes = await replaceTagEverywhere(user.id, tag, name);
  if (notes === 0 && tag !== name) throw notFound("Tag not found");
  return json({ message: "Tag renamed", notes });
});

/** Removes a tag from every note: its "#" goes, the word stays. */
export const DELETE = apiRoute("/tags/[...tag]", async (request, { params }: Context) => {
  const user = await requireApiUser(request, "write");
  const notes = await replaceTagEverywhere(user.id, parseTagPath((await params).tag), null);
  if (notes === 0) throw notFound("Tag not found");
  return json({ message: "Tag deleted", notes });
});
