import { describe, expect, it } from "vitest";
import { newUser, setUpLibServices, uploadedFile } from "../../e2e/support/lib-services";
import { drainDeletionQueue } from "@/lib/files/deletion-queue";
import { KEEP_REVISIONS, keptRevisions } from "@/lib/notes/retention";
import { getRevision, listRevisions, restoreRevision } from "@/lib/notes/revisions";
import { createNote, getNote, removeNoteFile, setNoteFile, updateText, updateTitle } from "@/lib/notes/service";
import { replaceTagEverywhere } from "@/lib/notes/tag-service";
import { deleteForever, trashNote } from "@/lib/notes/trash";
import { setNoteChecklistItem } from "@/lib/notes/tick";

/** lib/notes/revisions.ts against real PostgreSQL and S3: every save keeps a revision; files live as long. */

const services = await setUpLibServices();

async function numbers(userId: string, id: number): Promise<number[]> {
  return (await listRevisions(userId, id, { limit: 1000 })).revisions.map((r) => r.number);
}

/** Moves revision `number` of a note to another time (the saves of a test all happen within seconds). */
async function backdate(id: number, number: number, at: Date) {
  await services.sql.query("UPDATE note_revisions SET created_at = $3 WHERE note_id = $1 AND number = $2", [
    id,
    number,
    at,
  ]);
}

describe("history: every save keeps a revision", () => {
  it("create, text edits, a checklist tick, a tag rename and file changes each add one, newest first", async () => {
    const owner = await newUser();
    const note = await createNote(owner, { title: "Plan #trip", description: "- [ ] tickets" });
    await updateTitle(owner, note.id, "Plan #trip v2");
    const edited = await updateText(owner, note.id, { title: "Plan #trip v3", description: "- [ ] tickets" });
    await setNoteChecklistItem(owner, note.id, { line: 1, checked: true, seenUpdatedAt: edited.updatedAt });
    await replaceTagEverywhere(owner, "trip", "travel");
    const file = await uploadedFile(owner, "itinerary", { fileName: "plan.txt" });
    await setNoteFile(owner, note.id, file);
    const now = await removeNoteFile(owner, note.id);

    const { revisions } = await listRevisions(owner, note.id, { limit: 100 });
    expect(revisions.map((r) => [r.number, r.title, r.description, r.fileName])).toEqual([
      [7, "Plan #travel v3", "- [x] tickets", null],
      [6, "Plan #travel v3", "- [x] tickets", "plan.txt"],
      [5, "Plan #travel v3", "- [x] tickets", null],
      [4, "Plan #trip v3", "- [x] tickets", null],
      [3, "Plan #trip v3", "- [ ] tickets", null],
      [2, "Plan #trip v2", "- [ ] tickets", null],
      [1, "Plan #trip", "- [ ] tickets", null],
    ]);
    // The newest revision is the note as saved.
    expect(revisions[0]!.createdAt).toEqual(now.updatedAt);
    expect(await getRevision(owner, note.id, 6)).toMatchObject({ fileKey: file.key, fileSize: 9 });
  });

  it("pages newest first with a cursor, and answers 404 for another user's note or an unknown revision", async () => {
    const owner = await newUser();
    const note = await createNote(owner, { title: "t0", description: "" });
    for (let i = 1; i < 5; i++) await updateTitle(owner, note.id, `t${i}`);
    const first = await listRevisions(owner, note.id, { limit: 2 });
    expect(first.revisions.map((r) => r.number)).toEqual([5, 4]);
    const second = await listRevisions(owner, note.id, { limit: 2, cursor: first.nextCursor! });
    const third = await listRevisions(owner, note.id, { limit: 2, cursor: second.nextCursor! });
    expect([second, third].map((p) => p.revisions.map((r) => r.number))).toEqual([[3, 2], [1]]);
    expect(third.nextCursor).toBeNull();

    const stranger = await newUser();
    await expect(listRevisions(stranger, note.id, { limit: 2 })).rejects.toMatchObject({ kind: "not_found" });
    await expect(getRevision(stranger, note.id, 1)).rejects.toMatchObject({ message: "Note not found" });
    await expect(restoreRevision(stranger, note.id, 1)).rejects.toMatchObject({ message: "Note not found" });
    await expect(getRevision(owner, note.id, 99)).rejects.toMatchObject({ message: "Revision not found" });
    await expect(listRevisions(owner, note.id, { limit: 2, cursor: "nope" })).rejects.toMatchObject({
      kind: "validation",
    });
  });

  it("restoring makes a new revision with the old text, and checks the version it was based on", async () => {
    const owner = await newUser();
    const note = await createNote(owner, { title: "Draft", description: "first words" });
    const second = await updateText(owner, note.id, { title: "Final", description: "other words" });
    await expect(restoreRevision(owner, note.id, 1, [note.updatedAt])).rejects.toMatchObject({
      kind: "precondition_failed",
    });
    const restored = await restoreRevision(owner, note.id, 1, [second.updatedAt]);
    expect(restored).toMatchObject({ title: "Draft", description: "first words" });
    expect(await getNote(owner, note.id)).toEqual(restored);
    expect(await numbers(owner, note.id)).toEqual([3, 2, 1]);
    expect(await getRevision(owner, note.id, 3)).toMatchObject({ title: "Draft", description: "first words" });
  });
});

describe("history: retention", () => {
  it(`60 saves on one day keep the newest ${KEEP_REVISIONS}`, async () => {
    const owner = await newUser();
    const note = await createNote(owner, { title: "s1", description: "" });
    for (let i = 2; i <= 60; i++) await updateTitle(owner, note.id, `s${i}`);
    expect(await numbers(owner, note.id)).toEqual(Array.from({ length: 50 }, (_, i) => 60 - i));
  });

  it("beyond the newest 50 the last revision of each day stays, as the retention rule says", async () => {
    const owner = await newUser();
    const note = await createNote(owner, { title: "d1", description: "" });
    // Revision n is saved on day ceil(n / 7) of January: 70 saves over 10 days.
    const timeOf = (n: number) => new Date(Date.UTC(2026, 0, Math.ceil(n / 7), 9, n));
    await backdate(note.id, 1, timeOf(1));
    for (let n = 2; n <= 70; n++) {
      await updateTitle(owner, note.id, `d${n}`);
      await backdate(note.id, n, timeOf(n));
    }
    const all = Array.from({ length: 70 }, (_, i) => ({ number: i + 1, createdAt: timeOf(i + 1) }));
    const expected = keptRevisions(all).reverse();
    expect(expected).toEqual([...Array.from({ length: 50 }, (_, i) => 70 - i), 14, 7]);
    expect(await numbers(owner, note.id)).toEqual(expected);
  });
});

describe("history: files", () => {
  it("a replaced file stays stored and restorable while a revision names it, and goes with the last one", async () => {
    const owner = await newUser();
    const oldFile = await uploadedFile(owner, "old bytes", { fileName: "old.txt" });
    const note = await createNote(owner, { title: "v1", description: "" }, oldFile);
    const newFile = await uploadedFile(owner, "new bytes", { fileName: "new.txt" });
    const replaced = await setNoteFile(owner, note.id, newFile);
    await drainDeletionQueue();
    expect(await services.objectExists(oldFile.key)).toBe(true);

    // Restoring revision 1 makes the old file the note's again.
    const restored = await restoreRevision(owner, note.id, 1, [replaced.updatedAt]);
    expect(restored).toMatchObject({ fileKey: oldFile.key, fileName: "old.txt" });
    const back = await setNoteFile(owner, note.id, await uploadedFile(owner, "third", { fileName: "third.txt" }));
    expect(back.fileName).toBe("third.txt");

    // 49 more saves push revisions 1..3 out of the newest 50, all on one day: pruned. new.txt was only named by
    // revision 2 and is deleted; old.txt is still named by revisions 3 (the restore) until it goes too.
    for (let i = 0; i < 48; i++) await updateTitle(owner, note.id, `edit ${i}`);
    await drainDeletionQueue();
    expect(await numbers(owner, note.id)).toEqual(Array.from({ length: 50 }, (_, i) => 52 - i));
    expect(await services.objectExists(newFile.key)).toBe(false);
    expect(await services.objectExists(oldFile.key)).toBe(true);
    await updateTitle(owner, note.id, "one more");
    await drainDeletionQueue();
    expect(await services.objectExists(oldFile.key)).toBe(false);
    expect((await services.sql.query("SELECT count(*)::int AS n FROM file_deletions")).rows[0].n).toBe(0);
  });

  it("deleting a note for good queues the files of its revisions too", async () => {
    const owner = await newUser();
    const a = await uploadedFile(owner, "a", { fileName: "a.txt" });
    const b = await uploadedFile(owner, "b", { fileName: "b.txt" });
    const note = await createNote(owner, { title: "gone", description: "" }, a);
    await setNoteFile(owner, note.id, b);
    await trashNote(owner, note.id);
    await drainDeletionQueue();
    expect([await services.objectExists(a.key), await services.objectExists(b.key)]).toEqual([true, true]);
    await deleteForever(owner, note.id);
    await drainDeletionQueue();
    expect([await services.objectExists(a.key), await services.objectExists(b.key)]).toEqual([false, false]);
  });

  it("the deletion queue never deletes a file that a note or a kept revision still names", async () => {
    const owner = await newUser();
    const a = await uploadedFile(owner, "a", { fileName: "a.txt" });
    const note = await createNote(owner, { title: "safe", description: "" }, a);
    await setNoteFile(owner, note.id, await uploadedFile(owner, "b", { fileName: "b.txt" }));
    await services.sql.query("INSERT INTO file_deletions (key) VALUES ($1)", [a.key]);
    await drainDeletionQueue();
    expect(await services.objectExists(a.key)).toBe(true);
    expect((await services.sql.query("SELECT count(*)::int AS n FROM file_deletions")).rows[0].n).toBe(0);
  });
});
