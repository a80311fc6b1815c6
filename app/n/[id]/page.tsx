import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { cache } from "react";
import { AppHeader } from "@/components/app-header";
import { DraftScope } from "@/components/notes/drafts";
import { NoteCard } from "@/components/notes/note-card";
import { SharePanel } from "@/components/notes/share-panel";
import { currentUser, requireUser } from "@/lib/auth/session";
import { asDomainError } from "@/lib/http/problem";
import { backToList } from "@/lib/notes/list-link";
import { noteIdFromPath } from "@/lib/notes/schema";
import { getNote } from "@/lib/notes/service";
import { uploadLimits } from "@/lib/files/upload-limits";
import { toNoteView } from "@/lib/notes/view";
import { sharePath } from "@/lib/shares/schema";
import { listShares } from "@/lib/shares/service";

// One query for the page and its metadata.
const findNote = cache(async (userId: string, id: string) => {
  const noteId = noteIdFromPath(id);
  if (noteId === null) return null;
  try {
    return await getNote(userId, noteId);
  } catch (error) {
    if (asDomainError(error)?.kind === "not_found") return null;
    throw error;
  }
});

/** The tab shows the note's title (only to its owner: anyone else sees the generic one). */
export async function generateMetadata({ params }: PageProps<"/n/[id]">): Promise<Metadata> {
  const { id } = await params;
  const user = await currentUser();
  const note = user ? await findNote(user.id, id) : null;
  return { title: note ? `${note.title} · CloudNotes` : "Note · CloudNotes" };
}

/** One note on its own page (private: a signed-out visitor goes to sign-in and comes back here). */
export default async function NotePage({ params, searchParams }: PageProps<"/n/[id]">) {
  const { id } = await params;
  const user = await requireUser(`/n/${id}`);
  const note = await findNote(user.id, id);
  if (!note) notFound();
  const query = await searchParams;
  const back = backToList(query.back);
  const editing = query.edit !== undefined;
  const shares = (await listShares(user.id, note.id)).map((s) => ({ ...s, url: s.token && sharePath(s.token) }));
  return (
    <>
      <AppHeader email={user.email} />
      <main id="main" className="mx-auto max-w-3xl space-y-4 px-4 py-6 sm:py-8">
        <div className="flex items-center justify-between gap-4">
          <Link href={back} className="text-sm font-medium text-brand-700 hover:underline dark:text-brand-300">
            ← All notes
          </Link>
          <Link
            href={`/n/${note.id}/history`}
            className="text-sm font-medium text-brand-700 hover:underline dark:text-brand-300"
          >
            History
          </Link>
        </div>
        <DraftScope user={user.id}>
          <NoteCard
            note={await toNoteView(note)}
            limits={uploadLimits()}
            headingLevel={1}
            editing={editing}
            backHref={back}
          />
        </DraftScope>
        <SharePanel noteId={note.id} shares={shares} origin={await requestOrigin()} open={query.share !== undefined} />
      </main>
    </>
  );
}

/** This server's origin as the browser addressed it, for links the owner copies (the share links). */
async function requestOrigin(): Promise<string> {
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost";
  const proto = h.get("x-forwarded-proto") ?? "http";
  return `${proto.split(",")[0]!.trim()}://${host.split(",")[0]!.trim()}`;
}
