import { noteChangeRoute } from "@/lib/http/note-change-route";
import { pinNote } from "@/lib/notes/trash";

export const POST = noteChangeRoute("/notes/[id]/pin", (userId, id) => pinNote(userId, id, true));
export const DELETE = noteChangeRoute("/notes/[id]/pin", (userId, id) => pinNote(userId, id, false));
