import { noteChangeRoute } from "@/lib/http/note-change-route";
import { archiveNote } from "@/lib/notes/trash";

export const POST = noteChangeRoute("/notes/[id]/archive", (userId, id) => archiveNote(userId, id, true));
export const DELETE = noteChangeRoute("/notes/[id]/archive", (userId, id) => archiveNote(userId, id, false));
