import { noteChangeRoute } from "@/lib/http/note-change-route";
import { trashNote } from "@/lib/notes/trash";

export const POST = noteChangeRoute("/notes/[id]/trash", trashNote);
