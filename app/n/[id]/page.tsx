import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AppHeader } from "@/components/app-header";
import { NoteCard } from "@/components/notes/note-card";
import { requireUser } from "@/lib/auth/session";
import { asDomainError } from "@/lib/http/problem";
import { noteIdFromPath } from "@/lib/notes/schema";
import { getNote } from "@/lib/notes/service";
import { uploadLimits } from "@/lib/files/upload-limits";
import { toNoteView } from "@/lib/notes/view";

export const metadata: Metadata = { title: "Note · CloudNotes" };

/** One note on its own page (private: a signed-out visitor goes to sign-in and comes back here). */
export default async function NotePage({ params }: PageProps<"/n/[id]">) {
  const { id } = await params;
  const user = await requireUser(`/n/${id}`);
  const noteId = noteIdFromPath(id);
  if (noteId === null) notFound();
  let note;
  try {
    note = await getNote(user.id, noteId);
  } catch (error) {
    if (asDomainError(error)?.kind === "not_found") notFound();
    throw error;
  }
  return (
    <>
      <AppHeader email={user.email} />
      <main id="main" className="mx-auto max-w-3xl space-y-4 px-4 py-6 sm:py-8">
        <Link href="/" className="text-sm font-medium text-brand-700 hover:underline dark:text-brand-300">
          ← All notes
        </Link>
        <NoteCard note={await toNoteView(note)} limits={uploadLimits()} headingLevel={1} />
      </main>
    </>
  );
}
