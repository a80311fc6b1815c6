import "server-only";
import { requireApiUser } from "@/lib/http/bearer";
import { apiRoute } from "@/lib/http/handler";
import { parseNoteId } from "@/lib/http/params";
import { json } from "@/lib/http/problem";
import { toApiNote } from "@/lib/notes/rest";
import type { Note } from "@/lib/notes/schema";

/** A change to one note answered with the note (pin, archive, trash, restore): write scope, 404 if not the caller's. */
export function noteChangeRoute(route: string, change: (userId: string, id: number) => Promise<Note>) {
  return apiRoute(route, async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
    const user = await requireApiUser(request, "write");
    return json(await toApiNote(await change(user.id, parseNoteId((await params).id))));
  });
}
