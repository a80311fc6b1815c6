import { requireApiUser } from "@/lib/http/bearer";
import { apiRoute } from "@/lib/http/handler";
import { listResponse } from "@/lib/http/note-list";
import { readNoteRequest, withNoteFile } from "@/lib/http/note-input";
import { json } from "@/lib/http/problem";
import { apiNewNoteSchema, toApiNote } from "@/lib/notes/rest";
import { createNote } from "@/lib/notes/service";
import { parseInput } from "@/lib/validation";

export const GET = apiRoute("/notes", async (request) => {
  const user = await requireApiUser(request, "read");
  return listResponse(request, user.id);
});

export const POST = apiRoute("/notes", async (request) => {
  const user = await requireApiUser(request, "write");
  const input = await readNoteRequest(request, user.id);
  const note = await withNoteFile(user.id, input, () => {
    const { title, description } = parseInput(apiNewNoteSchema, input.fields);
    return createNote(user.id, { title, description }, input.file);
  });
  return json(await toApiNote(note));
});
