import { noteChangeRoute } from "@/lib/http/note-change-route";
import { restoreNote } from "@/lib/notes/trash";

export const POST = noteChangeRoute("/notes/[id]/restore", restoreNote);
