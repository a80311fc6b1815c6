import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createNote, jsonBody, newUser, postJson } from "../support/api";
import { unzip } from "../support/zip";
import { makeZip, patchBytes } from "../support/zip-build";
import {
  bytes,
  closeDb,
  directUpload,
  download,
  expectDetail,
  keysOf,
  listAll,
  poll,
  postToS3,
  sql,
  userIdOf,
} from "./helpers";

/**
 * Import (issue 13) against the production build, real PostgreSQL and Ceph RGW: an export imported into a
 * fresh account gives the same notes and byte-identical files; importing again creates nothing; a bad archive
 * fails with a message naming what is wrong and leaves no note and no file; a Google Keep Takeout becomes
 * notes; nobody else sees or starts your import.
 */

afterAll(closeDb);

type User = { email: string; token: string };
type ApiImport = {
  id: string;
  status: string;
  format: string | null;
  total: number;
  done: number;
  created_notes: number;
  skipped_notes: number;
  error: string | null;
};

/** Uploads a zip the way a client does (presigned POST straight to S3) and returns its key. */
async function uploadArchive(user: User, zip: Buffer): Promise<string> {
  const res = await postJson("/imports/uploads", { size: zip.length }, user.token);
  expect(res.status, await res.clone().text()).toBe(200);
  const ticket = await jsonBody(res);
  expect(ticket.fields["Content-Type"]).toBe("application/zip");
  const sent = await postToS3(ticket, zip, "application/zip");
  expect(sent.status, await sent.text()).toBe(204);
  return ticket.key as string;
}

async function startImport(user: User, key: string): Promise<ApiImport> {
  const res = await postJson("/imports", { key }, user.token);
  expect(res.status, await res.clone().text()).toBe(202);
  return jsonBody(res);
}

async function importOf(user: User, id: string): Promise<ApiImport> {
  const res = await api(`/imports/${id}`, { token: user.token });
  expect(res.status, await res.clone().text()).toBe(200);
  return jsonBody(res);
}

/** Uploads, starts and follows an import to its end. */
async function importZip(user: User, zip: Buffer): Promise<ApiImport> {
  const started = await startImport(user, await uploadArchive(user, zip));
  expect(["queued", "running", "done", "failed"]).toContain(started.status);
  return poll(
    () => importOf(user, started.id),
    (i) => i.status === "done" || i.status === "failed",
    "the import to finish",
    60_000,
  );
}

async function exportZip(user: User): Promise<Buffer> {
  const res = await api("/export", { token: user.token });
  expect(res.status, res.status === 200 ? "" : await res.clone().text()).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function trashOf(user: User) {
  const res = await api("/trash", { token: user.token });
  expect(res.status).toBe(200);
  return (await jsonBody(res)) as Awaited<ReturnType<typeof listAll>>;
}

/** Everything a person sees of their notes, files as bytes, in a stable order. */
async function contentOf(user: User) {
  const notes = [...(await listAll(user.token)), ...(await trashOf(user))];
  const seen = await Promise.all(
    notes.map(async (n) => ({
      title: n.title,
      description: n.description,
      tags: n.tags,
      pinned: n.pinned,
      archived: n.archived,
      trashed: n.deleted_at !== null,
      created_at: n.created_at,
      file_name: n.file_name,
      file_size: n.file_size,
      content_type: n.content_type,
      file: n.file_url ? Buffer.from((await download(n.file_url)).bytes).toString("base64") : null,
    })),
  );
  return seen.sort((a, b) => a.title.localeCompare(b.title));
}

let alice: User;
let archive: Buffer;

beforeAll(async () => {
  alice = await newUser("import-src");
  const note = async (title: string, description: string, file?: { name: string; type: string; data: Uint8Array }) =>
    createNote(alice.token, {
      title,
      description,
      ...(file ? { file_key: await directUpload(alice.token, file.name, file.type, file.data) } : {}),
    });
  const pinned = await note("Groceries #home", "- [ ] milk\n- [x] eggs #shop", {
    name: "list.txt",
    type: "text/plain",
    data: new TextEncoder().encode("milk\neggs\n"),
  });
  const archived = await note("Trip to Lisbon", "Photos of the **tram**. #travel/2026", {
    name: "tram (1).jpg",
    type: "image/jpeg",
    data: bytes(700 * 1024),
  });
  await note("Crème brûlée: recipe", "# Ingredients\n\nCafé 🍰\nno file here");
  const trashed = await note("Old report #work", "to be deleted", {
    name: "résumé 2026.pdf",
    type: "application/pdf",
    data: bytes(6 * 1024 * 1024 + 3),
  });
  expect((await api(`/notes/${pinned.id}/pin`, { method: "POST", token: alice.token })).status).toBe(200);
  expect((await api(`/notes/${archived.id}/archive`, { method: "POST", token: alice.token })).status).toBe(200);
  expect((await api(`/notes/${trashed.id}/trash`, { method: "POST", token: alice.token })).status).toBe(200);
  archive = await exportZip(alice);
});

describe("import of a CloudNotes export", () => {
  it("brings the same notes and byte-identical files into a fresh account, with new ids", async () => {
    const bob = await newUser("import-dst");
    const done = await importZip(bob, archive);
    expect(done).toMatchObject({
      status: "done",
      format: "cloudnotes",
      total: 4,
      done: 4,
      created_notes: 4,
      error: null,
    });
    expect(await contentOf(bob)).toEqual(await contentOf(alice));
    const aliceIds = new Set([...(await listAll(alice.token)), ...(await trashOf(alice))].map((n) => n.id));
    for (const n of await listAll(bob.token)) expect(aliceIds.has(n.id)).toBe(false);
    // Bob's files are his own objects, not Alice's.
    const bobId = await userIdOf(bob.email);
    for (const n of await listAll(bob.token)) {
      if (n.file_url) expect(decodeURIComponent(new URL(n.file_url).pathname)).toContain(`users/${bobId}/uploads/`);
    }

    // Again: nothing new, nothing changed.
    const before = await contentOf(bob);
    const again = await importZip(bob, archive);
    expect(again).toMatchObject({ status: "done", created_notes: 0, skipped_notes: 4 });
    expect(await contentOf(bob)).toEqual(before);
  });

  it("imported back into the account it came from, creates nothing (the notes are still there)", async () => {
    const before = await contentOf(alice);
    const done = await importZip(alice, archive);
    expect(done).toMatchObject({ status: "done", created_notes: 0, skipped_notes: 4 });
    expect(await contentOf(alice)).toEqual(before);
  });

  it("deletes the uploaded archive once the import is over", async () => {
    const carol = await newUser("import-archive");
    await importZip(carol, archive);
    const id = await userIdOf(carol.email);
    const { rows } = await sql("SELECT key FROM file_deletions WHERE key LIKE $1", [`users/${id}/imports/%`]);
    expect(rows).toHaveLength(1);
  });
});

describe("a bad archive", () => {
  async function expectRefused(zip: Buffer, error: RegExp) {
    const dave = await newUser("import-bad");
    const done = await importZip(dave, zip);
    expect(done.status).toBe("failed");
    expect(done.error).toMatch(error);
    expect(await listAll(dave.token)).toEqual([]);
    expect(await trashOf(dave)).toEqual([]);
    // Files copied before the fault are deleted (the worker drains the queue every second here).
    await poll(
      async () => (await keysOf(await userIdOf(dave.email))).filter((k) => k.includes("/uploads/")),
      (keys) => keys.length === 0,
      "staged files to be deleted",
    );
    return done;
  }

  it("a truncated zip fails with a clear error and imports nothing", async () => {
    await expectRefused(archive.subarray(0, archive.length - 100), /^The archive is not a valid zip file/);
  });

  it("a manifest that is not valid fails, naming it", async () => {
    const { entries } = await readAll(archive);
    entries.set("manifest.json", Buffer.from('{"format": "cloudnotes-export", "version": 1'));
    await expectRefused(await rezip(entries), /^manifest\.json: is not valid JSON/);
  });

  it("an entry the manifest lists but the zip lacks fails, naming it", async () => {
    const { entries, manifest } = await readAll(archive);
    const missing = manifest.notes.find((n: { file: unknown }) => n.file).file.path as string;
    entries.delete(missing);
    await expectRefused(
      await rezip(entries),
      new RegExp(`^${escape(missing)}: is listed in the manifest but not in the archive`),
    );
  });

  it("a bad note after good ones with files: none of them is written, their copied files are deleted", async () => {
    const { entries, manifest } = await readAll(archive);
    const last = manifest.notes.at(-1).path as string;
    // Not vacuous: notes with files come before the bad one, so their files are copied before it is read.
    expect(manifest.notes.slice(0, -1).some((n: { file: unknown }) => n.file)).toBe(true);
    entries.set(last, Buffer.from("---\ntitle: [unclosed\n---\nbody"));
    await expectRefused(await rezip(entries), new RegExp(`^${escape(last)}: front matter is not valid YAML`));
  });

  it("a file whose bytes do not match the manifest's sha256 fails", async () => {
    const { entries, manifest } = await readAll(archive);
    const path = manifest.notes.find((n: { file: unknown }) => n.file).file.path as string;
    const data = Buffer.from(entries.get(path)!);
    data[0] = data[0]! ^ 0xff;
    entries.set(path, data);
    await expectRefused(
      await rezip(entries),
      new RegExp(`^${escape(path)}: its contents do not match the manifest's sha256`),
    );
  });

  it("an entry named to climb out of the archive is refused", async () => {
    const zip = patchBytes(
      await makeZip([
        { name: "xx/evil.txt", data: "x" },
        { name: "manifest.json", data: "{}" },
      ]),
      "xx/evil.txt",
      "../evil.txt",
    );
    await expectRefused(zip, /^The archive is not a valid zip file.*\.\.\/evil\.txt/);
  });

  it("a zip that is neither format says so", async () => {
    await expectRefused(
      await makeZip([{ name: "hello.txt", data: "hi" }]),
      /neither a CloudNotes export .* nor a Google Keep Takeout/,
    );
  });
});

describe("import of a Google Keep Takeout", () => {
  it("makes notes of Keep's notes: checklists, labels as tags, pins, archive, attachments; trashed ones left out", async () => {
    const photo = Buffer.from(bytes(300 * 1024));
    const keep = (name: string, note: object) => ({ name: `Takeout/Keep/${name}.json`, data: JSON.stringify(note) });
    const zip = await makeZip([
      { name: "Takeout/archive_browser.html", data: "<html></html>" },
      keep("Shopping", {
        title: "Shopping",
        listContent: [
          { text: "milk", isChecked: false },
          { text: "bread", isChecked: true },
        ],
        labels: [{ name: "Home" }],
        isPinned: true,
        isArchived: false,
        isTrashed: false,
        createdTimestampUsec: 1_700_000_000_000_000,
        userEditedTimestampUsec: 1_700_000_500_000_000,
      }),
      keep("Beach", {
        title: "",
        textContent: "Sunset at the beach",
        attachments: [{ filePath: "beach.jpeg", mimetype: "image/jpeg" }],
        isArchived: true,
        createdTimestampUsec: 1_600_000_000_000_000,
      }),
      { name: "Takeout/Keep/beach.jpg", data: photo },
      keep("Old", { title: "Old", textContent: "gone", isTrashed: true, createdTimestampUsec: 1 }),
    ]);
    const erin = await newUser("import-keep");
    const done = await importZip(erin, zip);
    expect(done).toMatchObject({ status: "done", format: "keep", total: 3, created_notes: 2 });
    const notes = await listAll(erin.token);
    const shopping = notes.find((n) => n.title === "Shopping")!;
    expect(shopping).toMatchObject({
      description: "- [ ] milk\n- [x] bread\n\nLabels: #home",
      tags: ["home"],
      pinned: true,
      created_at: "2023-11-14T22:13:20.000Z",
    });
    const beach = notes.find((n) => n.title === "Sunset at the beach")!;
    expect(beach).toMatchObject({
      archived: true,
      file_name: "beach.jpeg",
      content_type: "image/jpeg",
      file_size: photo.length,
    });
    expect(Buffer.from((await download(beach.file_url!)).bytes).equals(photo)).toBe(true);

    expect(await importZip(erin, zip)).toMatchObject({ status: "done", created_notes: 0, skipped_notes: 2 });
    expect(await listAll(erin.token)).toHaveLength(2);
  });
});

describe("who may see and start an import", () => {
  it("another user gets 404 for your import and cannot start one from your archive", async () => {
    const owner = await newUser("import-owner");
    const other = await newUser("import-other");
    const key = await uploadArchive(owner, await makeZip([{ name: "hello.txt", data: "hi" }]));
    await expectDetail(await postJson("/imports", { key }, other.token), 400);
    const started = await startImport(owner, key);
    await expectDetail(await api(`/imports/${started.id}`, { token: other.token }), 404, "Import not found");
    await expectDetail(await api("/imports/not-a-uuid", { token: owner.token }), 404, "Import not found");
    await expectDetail(await api(`/imports/${started.id}`), 401);
  });

  it("refuses an archive over the limit before any upload, and a key that was never uploaded", async () => {
    const user = await newUser("import-limits");
    const res = await postJson("/imports/uploads", { size: 100 * 1024 * 1024 * 1024 }, user.token);
    expect(res.status).toBe(422);
    const ticket = await jsonBody(await postJson("/imports/uploads", { size: 1000 }, user.token));
    await expectDetail(await postJson("/imports", { key: ticket.key }, user.token), 400);
  });
});

// --- archives taken apart and put back together -----------------------------------------------------------

async function readAll(zip: Buffer) {
  const { names, files } = await unzip(zip);
  const entries = new Map(names.map((n) => [n, files.get(n)!]));
  return { entries, manifest: JSON.parse(entries.get("manifest.json")!.toString("utf8")) };
}

function rezip(entries: Map<string, Buffer>): Promise<Buffer> {
  return makeZip([...entries].map(([name, data]) => ({ name, data })));
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
