import { describe, expect, it } from "vitest";
import { newUser, setUpLibServices, uploadedFile } from "../../e2e/support/lib-services";
import { listKeys } from "../../e2e/support/s3";
import { inspectUpload } from "@/lib/files/uploads";
import { runMaintenanceNow } from "@/lib/files/maintenance";
import {
  createNote,
  deleteNote,
  discardStoredFile,
  getNote,
  listNotes,
  type NoteRecord,
  removeNoteFile,
  setNoteFile,
  updateDescription,
  updateText,
  updateTitle,
} from "@/lib/notes/service";

/** lib/notes/service.ts against real PostgreSQL and S3: what a note's owner (and nobody else) can rely on. */

const services = await setUpLibServices();

async function queuedDeletions(): Promise<string[]> {
  return (await services.sql.query<{ key: string }>("SELECT key FROM file_deletions ORDER BY key")).rows.map(
    (r) => r.key,
  );
}

/** Every note of the user, page after page, following the cursors. */
async function allPages(userId: string, limit: number, maxBytes?: number, q?: string) {
  const pages: NoteRecord[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listNotes(userId, { limit, cursor, q }, maxBytes === undefined ? {} : { maxBytes });
    pages.push(page.notes);
    cursor = page.nextCursor ?? undefined;
    expect(pages.length).toBeLessThan(1000);
  } while (cursor);
  return pages;
}

const bytesOf = (n: NoteRecord) => Buffer.byteLength(n.title) + Buffer.byteLength(n.description);

describe("notes: create, read, update", () => {
  it("gives back what was stored, and the changes made to it", async () => {
    const owner = await newUser();
    const created = await createNote(owner, { title: "Groceries", description: "milk\neggs" });
    expect(created).toMatchObject({ title: "Groceries", description: "milk\neggs", fileKey: null });
    expect(await getNote(owner, created.id)).toEqual(created);

    const retitled = await updateTitle(owner, created.id, "Shopping");
    expect(retitled).toMatchObject({ title: "Shopping", description: "milk\neggs" });
    expect(retitled.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
    expect(await updateDescription(owner, created.id, "bread")).toMatchObject({
      title: "Shopping",
      description: "bread",
    });
    expect(await updateText(owner, created.id, { title: "T", description: "" })).toMatchObject({
      title: "T",
      description: "",
    });
    expect(await getNote(owner, created.id)).toMatchObject({ title: "T", description: "" });
  });

  it("applies a change based on a stale version nowhere (precondition_failed), a current one everywhere", async () => {
    const owner = await newUser();
    const v1 = await createNote(owner, { title: "Plan", description: "one" });
    const v2 = await updateText(owner, v1.id, { title: "Plan", description: "two" }, [v1.updatedAt]);
    expect(v2.updatedAt.getTime()).toBeGreaterThan(v1.updatedAt.getTime());
    const stale = { kind: "precondition_failed" };
    await expect(
      updateText(owner, v1.id, { title: "Plan", description: "mine" }, [v1.updatedAt]),
    ).rejects.toMatchObject(stale);
    await expect(removeNoteFile(owner, v1.id, [v1.updatedAt])).rejects.toMatchObject(stale);
    await expect(deleteNote(owner, v1.id, [v1.updatedAt])).rejects.toMatchObject(stale);
    expect(await getNote(owner, v1.id)).toMatchObject({ description: "two" });
    await expect(updateTitle(owner, 999_999, "x", [v1.updatedAt])).rejects.toMatchObject({ kind: "not_found" });
  });

  it("a title and a description changed at the same time both survive, with their tags and a revision each", async () => {
    const owner = await newUser();
    const notes = await Promise.all(
      Array.from({ length: 10 }, () => createNote(owner, { title: "Trip", description: "pack" })),
    );
    // Each one-field change writes only its own text and then the tags of both as stored: neither may put back
    // the text the other replaced, and the last tags written must be those of both new texts.
    await Promise.all(
      notes.flatMap((n) => [updateTitle(owner, n.id, "Trip #go"), updateDescription(owner, n.id, "pack #now")]),
    );
    for (const n of notes) {
      expect(await getNote(owner, n.id)).toMatchObject({ title: "Trip #go", description: "pack #now" });
      expect([...(await getNote(owner, n.id)).tags].sort()).toEqual(["go", "now"]);
    }
    const revisions = await services.sql.query("SELECT 1 FROM note_revisions WHERE note_id = ANY($1)", [
      notes.map((n) => n.id),
    ]);
    expect(revisions.rows).toHaveLength(30);
  });

  it("answers 404 for ids that do not exist or cannot exist", async () => {
    const owner = await newUser();
    for (const id of [0, -1, 1.5, 2 ** 31, 999_999]) {
      await expect(getNote(owner, id)).rejects.toMatchObject({ kind: "not_found" });
      await expect(updateTitle(owner, id, "x")).rejects.toMatchObject({ kind: "not_found" });
      await expect(deleteNote(owner, id)).rejects.toMatchObject({ kind: "not_found" });
    }
  });
});

describe("notes: one user never reaches another's", () => {
  it("treats another user's note as missing for every operation, and leaves it unchanged", async () => {
    const alice = await newUser();
    const mallory = await newUser();
    const file = await uploadedFile(alice, "alice's file");
    const note = await createNote(alice, { title: "Private", description: "secret" }, file);
    const malloryFile = await uploadedFile(mallory, "mallory's file");

    const notFound = { kind: "not_found" };
    await expect(getNote(mallory, note.id)).rejects.toMatchObject(notFound);
    await expect(updateTitle(mallory, note.id, "pwned")).rejects.toMatchObject(notFound);
    await expect(updateDescription(mallory, note.id, "pwned")).rejects.toMatchObject(notFound);
    await expect(updateText(mallory, note.id, { title: "pwned", description: "" })).rejects.toMatchObject(notFound);
    await expect(setNoteFile(mallory, note.id, malloryFile)).rejects.toMatchObject(notFound);
    await expect(removeNoteFile(mallory, note.id)).rejects.toMatchObject(notFound);
    await expect(deleteNote(mallory, note.id)).rejects.toMatchObject(notFound);
    expect((await listNotes(mallory, { limit: 100 })).notes).toEqual([]);
    expect((await listNotes(mallory, { limit: 100, q: "secret" })).notes).toEqual([]);

    expect(await getNote(alice, note.id)).toEqual(note);
    expect(await services.objectExists(file.key)).toBe(true);
    expect(await queuedDeletions()).not.toContain(file.key);
  });

  it("refuses to attach another user's upload", async () => {
    const alice = await newUser();
    const mallory = await newUser();
    const alicesFile = await uploadedFile(alice);
    await expect(inspectUpload(mallory, alicesFile.key)).rejects.toMatchObject({ kind: "bad_request" });
    await expect(createNote(mallory, { title: "x", description: "" }, alicesFile)).rejects.toMatchObject({
      kind: "bad_request",
    });
    expect((await listNotes(mallory, { limit: 10 })).notes).toEqual([]);
    // Alice can still attach it: the failed attempt consumed nothing.
    expect(await createNote(alice, { title: "mine", description: "" }, alicesFile)).toMatchObject({
      fileKey: alicesFile.key,
    });
  });
});

describe("notes: listing", () => {
  it("pages through every note exactly once, newest first, even when notes are added between pages", async () => {
    const owner = await newUser();
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push((await createNote(owner, { title: `note ${i}`, description: "" })).id);

    const first = await listNotes(owner, { limit: 3 });
    expect(first.notes.map((n) => n.id)).toEqual([ids[6], ids[5], ids[4]]);
    expect(first.nextCursor).not.toBeNull();
    // A note written now is newer than the cursor: it belongs to the first page, not to the ones after.
    await createNote(owner, { title: "late", description: "" });
    const seen = [...first.notes];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await listNotes(owner, { limit: 3, cursor });
      seen.push(...page.notes);
      cursor = page.nextCursor;
    }
    expect(seen.map((n) => n.id)).toEqual([...ids].reverse());
  });

  it("ends a page at the byte budget, but always holds at least one note", async () => {
    const owner = await newUser();
    // Multi-byte text: the budget counts UTF-8 bytes, not characters.
    const sizes = [10, 700, 50, 2000, 300, 300, 300, 5, 1500, 1];
    const created: NoteRecord[] = [];
    for (const [i, n] of sizes.entries()) {
      created.push(await createNote(owner, { title: `n${i}`, description: "é".repeat(n) }));
    }
    const maxBytes = 1000;
    const pages = await allPages(owner, 100, maxBytes);

    expect(pages.flat().map((n) => n.id)).toEqual(created.map((n) => n.id).reverse());
    for (const page of pages) {
      expect(page.length).toBeGreaterThan(0);
      if (page.length > 1) expect(page.reduce((sum, n) => sum + bytesOf(n), 0)).toBeLessThanOrEqual(maxBytes);
    }
    // The 4,000-byte note is larger than the budget: it comes alone, and whole.
    const big = pages.find((p) => p.some((n) => n.title === "n3"))!;
    expect(big).toHaveLength(1);
    expect(big[0]!.description).toBe("é".repeat(2000));
    // A page is not cut short needlessly: the next note would not have fit.
    for (const [i, page] of pages.slice(0, -1).entries()) {
      const next = pages[i + 1]![0]!;
      expect(page.reduce((sum, n) => sum + bytesOf(n), 0) + bytesOf(next)).toBeGreaterThan(maxBytes);
    }
  });

  it("finds notes by the words of their title and description, only among the user's own", async () => {
    const owner = await newUser();
    const other = await newUser();
    const kiwi = await createNote(owner, { title: "Fruit", description: "Kiwis are green" });
    const banana = await createNote(owner, { title: "Banana bread", description: "flour, bananas" });
    await createNote(owner, { title: "Unrelated", description: "nothing here" });
    await createNote(other, { title: "Banana", description: "not yours" });

    const search = async (q: string) => (await listNotes(owner, { limit: 100, q })).notes.map((n) => n.id);
    expect(await search("kiwi")).toEqual([kiwi.id]);
    expect(await search("banana")).toEqual([banana.id]);
    expect(await search("banana -bread")).toEqual([]);
    expect(await search("green OR flour")).toEqual([banana.id, kiwi.id]);
    expect(await search("-".repeat(50))).toEqual(expect.any(Array));
    expect(await search("durian")).toEqual([]);
    // A search pages like a listing.
    expect((await allPages(owner, 1, undefined, "banana OR kiwi")).flat().map((n) => n.id)).toEqual([
      banana.id,
      kiwi.id,
    ]);
  });

  it("refuses a cursor it did not make with a validation error", async () => {
    const owner = await newUser();
    for (const cursor of ["garbage", Buffer.from('["2020-01-01T00:00:00Z", 99999999999]').toString("base64url")]) {
      await expect(listNotes(owner, { limit: 10, cursor })).rejects.toMatchObject({ kind: "validation" });
    }
  });
});

describe("notes: files", () => {
  it("creates a note with an uploaded file, which can be attached once only", async () => {
    const owner = await newUser();
    const file = await uploadedFile(owner, "report", { fileName: "report.txt" });
    const note = await createNote(owner, { title: "With file", description: "" }, file);
    expect(note).toMatchObject({ fileKey: file.key, fileName: "report.txt", fileSize: 6, contentType: "text/plain" });
    expect(await getNote(owner, note.id)).toEqual(note);

    await expect(createNote(owner, { title: "Again", description: "" }, file)).rejects.toMatchObject({
      kind: "bad_request",
    });
    expect((await listNotes(owner, { limit: 10 })).notes.map((n) => n.id)).toEqual([note.id]);
  });

  // The old object stays while the note's history names it (lib/notes/revisions.integration.test.ts follows it
  // to its deletion once the last revision naming it is pruned).
  it("replacing a file keeps the old object for the history, and the new one", async () => {
    const owner = await newUser();
    const oldFile = await uploadedFile(owner, "old");
    const note = await createNote(owner, { title: "Replace", description: "" }, oldFile);
    const newFile = await uploadedFile(owner, "new content", { contentType: "image/png", fileName: "pic.png" });

    const updated = await setNoteFile(owner, note.id, newFile);
    expect(updated).toMatchObject({
      fileKey: newFile.key,
      fileName: "pic.png",
      fileSize: 11,
      contentType: "image/png",
    });
    await runMaintenanceNow();
    expect(await services.objectExists(oldFile.key)).toBe(true);
    expect(await services.objectExists(newFile.key)).toBe(true);
    expect(await queuedDeletions()).toEqual([]);
  });

  it("a replacement that fails changes nothing: the old file stays attached and stored", async () => {
    const owner = await newUser();
    const file = await uploadedFile(owner, "keep me");
    const note = await createNote(owner, { title: "Keep", description: "" }, file);
    // Its upload was consumed by the first attach: attaching it again must fail as a whole.
    const used = await uploadedFile(owner, "x");
    await createNote(owner, { title: "other", description: "" }, used);

    await expect(setNoteFile(owner, note.id, used)).rejects.toMatchObject({ kind: "bad_request" });
    expect(await getNote(owner, note.id)).toEqual(note);
    expect(await queuedDeletions()).not.toContain(file.key);
    await runMaintenanceNow();
    expect(await services.objectExists(file.key)).toBe(true);
  });

  it("removing a file detaches it (the object stays for the history); a note without one answers 400", async () => {
    const owner = await newUser();
    const file = await uploadedFile(owner);
    const note = await createNote(owner, { title: "Detach", description: "" }, file);
    expect(await removeNoteFile(owner, note.id)).toMatchObject({
      fileKey: null,
      fileName: null,
      fileSize: null,
      contentType: null,
    });
    await runMaintenanceNow();
    expect(await services.objectExists(file.key)).toBe(true);
    await expect(removeNoteFile(owner, note.id)).rejects.toMatchObject({ kind: "bad_request" });
  });

  it("deleting a note removes it and deletes its file from storage", async () => {
    const owner = await newUser();
    const file = await uploadedFile(owner);
    const note = await createNote(owner, { title: "Bye", description: "" }, file);
    const kept = await createNote(owner, { title: "Stays", description: "" });

    await deleteNote(owner, note.id);
    await expect(getNote(owner, note.id)).rejects.toMatchObject({ kind: "not_found" });
    await expect(deleteNote(owner, note.id)).rejects.toMatchObject({ kind: "not_found" });
    expect((await listNotes(owner, { limit: 10 })).notes.map((n) => n.id)).toEqual([kept.id]);
    await runMaintenanceNow();
    expect(await services.objectExists(file.key)).toBe(false);
  });

  it("two replacements at once leave one file attached and no object that nothing names", async () => {
    const owner = await newUser();
    const note = await createNote(owner, { title: "Race", description: "" }, await uploadedFile(owner, "first"));
    const [a, b] = [await uploadedFile(owner, "a"), await uploadedFile(owner, "b")];

    await Promise.all([setNoteFile(owner, note.id, a), setNoteFile(owner, note.id, b)]);
    await runMaintenanceNow();
    const final = await getNote(owner, note.id);
    expect([a.key, b.key]).toContain(final.fileKey);
    const named = await services.sql.query<{ key: string }>(
      "SELECT DISTINCT file_key AS key FROM note_revisions WHERE note_id = $1 AND file_key IS NOT NULL",
      [note.id],
    );
    expect(named.rows.map((r) => r.key)).toContain(final.fileKey);
    expect(await listKeys(services.s3, services.bucket, `users/${owner}/`)).toEqual(
      named.rows.map((r) => r.key).sort(),
    );
  });

  it("a stored file given up after a failed request is deleted and can no longer be attached", async () => {
    const owner = await newUser();
    const file = await uploadedFile(owner);
    await discardStoredFile(owner, file);
    await runMaintenanceNow();
    expect(await services.objectExists(file.key)).toBe(false);
    await expect(createNote(owner, { title: "late", description: "" }, file)).rejects.toMatchObject({
      kind: "bad_request",
    });
  });
});
