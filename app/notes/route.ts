import { requireApiUser } from "@/lib/http/bearer";
import { apiRoute } from "@/lib/http/handler";
import { jsonArray } from "@/lib/http/json-array";
import { readNoteRequest, withNoteFile } from "@/lib/http/note-input";
import { json } from "@/lib/http/problem";
import { apiNewNoteSchema, toApiNote } from "@/lib/notes/rest";
import { listQuerySchema } from "@/lib/notes/schema";
import { createNote, listNotes } from "@/lib/notes/service";
import { parseInput } from "@/lib/validation";

export const GET = apiRoute("/notes", async (request) => {
  const user = await requireApiUser(request);
  const url = new URL(request.url);
  const query = parseInput(listQuerySchema, Object.fromEntries(url.searchParams));
  const page = await listNotes(user.id, query);
  const headers = new Headers();
  if (page.nextCursor) {
    // Relative, so that it stays right behind any proxy; the other parameters carry over.
    const next = new URLSearchParams(url.searchParams);
    next.set("cursor", page.nextCursor);
    headers.set("link", `</notes?${next.toString()}>; rel="next"`);
  }
  return jsonArray(await Promise.all(page.notes.map(toApiNote)), { headers });
});

export const POST = apiRoute("/notes", async (request) => {
  const user = await requireApiUser(request);
  const input = await readNoteRequest(request, user.id);
  const note = await withNoteFile(user.id, input, () => {
    const { title, description } = parseInput(apiNewNoteSchema, input.fields);
    return createNote(user.id, { title, description }, input.file);
  });
  return json(await toApiNote(note));
});
