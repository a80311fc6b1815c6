import { validationError } from "@/lib/errors";
import { requireApiUser } from "@/lib/http/bearer";
import { apiRoute } from "@/lib/http/handler";
import { readNoteRequest, withNoteFile } from "@/lib/http/note-input";
import { parseNoteId } from "@/lib/http/params";
import { json } from "@/lib/http/problem";
import { toApiNote } from "@/lib/notes/rest";
import { removeNoteFile, setNoteFile } from "@/lib/notes/service";

type Context = RouteContext<"/notes/[id]/file">;

/** Replaces the file: multipart `file` (streamed to S3) or JSON/form `file_key` from POST /uploads. */
export const PUT = apiRoute("/notes/[id]/file", async (request, { params }: Context) => {
  const user = await requireApiUser(request);
  const id = parseNoteId((await params).id);
  const input = await readNoteRequest(request, user.id);
  const note = await withNoteFile(user.id, input, () => {
    if (!input.file) {
      throw validationError([
        { path: ["file"], message: "Field required: send `file` (multipart) or `file_key`", type: "missing" },
      ]);
    }
    return setNoteFile(user.id, id, input.file);
  });
  return json(await toApiNote(note));
});

export const DELETE = apiRoute("/notes/[id]/file", async (request, { params }: Context) => {
  const user = await requireApiUser(request);
  const note = await removeNoteFile(user.id, parseNoteId((await params).id));
  return json(await toApiNote(note));
});
