import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromMarkdown } from "@/lib/transfer/front-matter";
import { manifestSchema } from "@/lib/transfer/manifest";
import { api, type ApiAnswer, type ApiNote, createNote, jsonBody, newUser, postJson } from "../support/api";
import { unzip } from "../support/zip";
import {
  browserSession,
  bucket,
  bytes,
  closeDb,
  directUpload,
  expectDetail,
  fileKeyOf,
  listAll,
  multipartNote,
  noteOf,
  poll,
  s3,
  sha256,
} from "./helpers";

/**
 * GET /export against the production build, real PostgreSQL and Ceph RGW: the zip holds every note of the caller
 * (archived and trashed too) as Markdown with front matter, each file byte for byte as it was uploaded, and a
 * manifest that lists them with their sizes and hashes; nobody else's notes; refused without credentials; and a
 * file that cannot be read breaks the download off instead of producing a zip that looks complete.
 */

afterAll(closeDb);

interface Uploaded {
  note: ApiNote;
  file: { name: string; type: string; data: Uint8Array } | null;
}

const post = (path: string, token: string) => api(path, { method: "POST", token });

async function exportOf(token: string) {
  const res = await api("/export", { token });
  expect(res.status, res.status === 200 ? "" : await res.clone().text()).toBe(200);
  const zip = await unzip(Buffer.from(await res.arrayBuffer()));
  return { res, ...zip };
}

let alice: { email: string; token: string };
let bob: { email: string; token: string };
const aliceNotes: Uploaded[] = [];

async function noteWithUpload(
  token: string,
  fields: { title: string; description: string },
  file: Uploaded["file"],
): Promise<Uploaded> {
  const fileKey = file ? await directUpload(token, file.name, file.type, file.data) : undefined;
  const note = await createNote(token, { ...fields, ...(fileKey ? { file_key: fileKey } : {}) });
  return { note, file };
}

beforeAll(async () => {
  [alice, bob] = await Promise.all([newUser("export"), newUser("export-other")]);
  const pinned = await noteWithUpload(
    alice.token,
    { title: "Groceries #home", description: "- milk\n- eggs #shop\n\n---\n\ntrailing spaces  \n" },
    { name: "list.txt", type: "text/plain", data: new TextEncoder().encode("milk\neggs\n") },
  );
  const archived = await noteWithUpload(
    alice.token,
    { title: "Trip to Lisbon", description: "Photos of the **tram**. #travel/2026" },
    { name: "tram (1).jpg", type: "image/jpeg", data: bytes(700 * 1024) },
  );
  const plain = await noteWithUpload(
    alice.token,
    { title: "Crème brûlée: recipe", description: "# Ingredients\n\nCaf\u00e9 \u{1F370}\r\nno file here" },
    null,
  );
  const trashed = await noteWithUpload(
    alice.token,
    { title: "Old report #work", description: "to be deleted" },
    { name: "résumé 2026.pdf", type: "application/pdf", data: bytes(64 * 1024) },
  );
  // The streaming multipart path too: its object is read back like any other.
  const streamed = await noteOf(
    await multipartNote(
      alice.token,
      { title: "Scanned", description: "" },
      { name: "scan.bin", type: "application/octet-stream", data: bytes(3 * 1024 * 1024 + 17) },
    ),
  );
  expect((await post(`/notes/${pinned.note.id}/pin`, alice.token)).status).toBe(200);
  expect((await post(`/notes/${archived.note.id}/archive`, alice.token)).status).toBe(200);
  expect((await post(`/notes/${trashed.note.id}/trash`, alice.token)).status).toBe(200);
  aliceNotes.push(pinned, archived, plain, trashed);
  aliceNotes.push({ note: streamed, file: null });
  await noteWithUpload(
    bob.token,
    { title: "Bob's secret #home", description: "not for alice" },
    { name: "bob.txt", type: "text/plain", data: new TextEncoder().encode("bob only") },
  );
});

describe("GET /export", () => {
  it("streams a zip of every note, its file byte for byte and a manifest, and nothing of anyone else", async () => {
    const { res, names, files } = await exportOf(alice.token);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="cloudnotes-\d{4}-\d{2}-\d{2}\.zip"$/,
    );
    expect(res.headers.get("x-export-notes")).toBe("5");
    expect(res.headers.get("x-export-files")).toBe("4");
    expect(Number(res.headers.get("x-export-estimated-bytes"))).toBeGreaterThan(3 * 1024 * 1024);

    // The manifest is last (its hashes are counted as the files pass) and valid by the shared schema.
    expect(names.at(-1)).toBe("manifest.json");
    const manifest = manifestSchema.parse(JSON.parse(files.get("manifest.json")!.toString("utf8")));
    expect(manifest.format).toBe("cloudnotes-export");
    expect(manifest.counts.notes).toBe(5);
    expect(manifest.counts.files).toBe(4);
    expect(Date.now() - Date.parse(manifest.exported_at)).toBeLessThan(10 * 60_000);

    // Exactly the notes' Markdown, their files and the manifest: no other entry, no other user's note.
    const listed = manifest.notes.flatMap((n) => [n.path, ...(n.file ? [n.file.path] : [])]);
    expect([...names].sort()).toEqual([...listed, "manifest.json"].sort());
    expect(new Set(manifest.notes.map((n) => n.id))).toEqual(new Set(aliceNotes.map((u) => u.note.id)));
    for (const content of files.values()) expect(content.toString("latin1")).not.toContain("Bob's secret");

    const streamedId = aliceNotes[4]!.note.id;
    const streamedKey = await fileKeyOf(streamedId);
    // The notes as the API shows them now (the trash is listed on its own).
    const shown = [...(await listAll(alice.token)), ...(await listAll(alice.token, "&in=trash"))];
    for (const entry of manifest.notes) {
      const uploaded = aliceNotes.find((u) => u.note.id === entry.id)!;
      const stored = shown.find((n) => n.id === entry.id)!;
      const parsed = fromMarkdown(files.get(entry.path)!.toString("utf8"));
      expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.description).toBe(stored.description);
      expect(parsed.frontMatter).toMatchObject({
        id: stored.id,
        title: stored.title,
        tags: stored.tags,
        pinned: stored.pinned,
        archived: stored.archived,
        created: new Date(stored.created_at).toISOString(),
        updated: new Date(stored.updated_at).toISOString(),
      });
      expect(parsed.frontMatter.deleted_at).toBe(
        stored.deleted_at ? new Date(stored.deleted_at).toISOString() : undefined,
      );
      if (!entry.file) {
        expect(stored.file_name).toBeNull();
        expect(parsed.frontMatter.file).toBeUndefined();
        continue;
      }
      // The file beside its note, as the front matter names it relative to the Markdown file.
      expect(`notes/${parsed.frontMatter.file}`).toBe(entry.file.path);
      const content = files.get(entry.file.path)!;
      expect(entry.file.size).toBe(content.length);
      expect(entry.file.sha256).toBe(sha256(content));
      expect(entry.file.name).toBe(stored.file_name);
      expect(entry.file.content_type).toBe(stored.content_type);
      if (uploaded.file) {
        expect(Buffer.compare(content, Buffer.from(uploaded.file.data))).toBe(0);
      } else {
        expect(entry.id).toBe(streamedId);
        expect(streamedKey).not.toBeNull();
        expect(content.length).toBe(3 * 1024 * 1024 + 17);
      }
    }

    const byId = new Map(manifest.notes.map((n) => [n.id, n]));
    const [pinned, archived, plain, trashed] = aliceNotes;
    expect(byId.get(pinned!.note.id)!.path).toBe(`notes/groceries-home-${pinned!.note.id}.md`);
    expect(byId.get(plain!.note.id)!.path).toBe(`notes/creme-brulee-recipe-${plain!.note.id}.md`);
    expect(byId.get(archived!.note.id)!.file!.path).toBe(`notes/trip-to-lisbon-${archived!.note.id}/tram (1).jpg`);
    expect(byId.get(trashed!.note.id)!.file!.name).toBe("résumé 2026.pdf");
  });

  it("gives the same notes to a read-only personal access token", async () => {
    const created = await postJson("/tokens", { name: "backup", scope: "read" }, alice.token);
    expect(created.status).toBe(201);
    const { token } = await jsonBody<ApiAnswer<"createToken", 201>>(created);
    const { files } = await exportOf(token);
    const manifest = manifestSchema.parse(JSON.parse(files.get("manifest.json")!.toString("utf8")));
    expect(manifest.counts).toMatchObject({ notes: 5, files: 4 });
  });

  it("refuses a request without credentials, or with a bad or revoked token, with FastAPI's errors", async () => {
    await expectDetail(await api("/export"), 401, "Not authenticated");
    await expectDetail(await api("/export", { token: "not-a-token" }), 401, "Could not validate credentials");
    const created = await jsonBody<ApiAnswer<"createToken", 201>>(
      await postJson("/tokens", { name: "short-lived", scope: "read" }, alice.token),
    );
    expect((await api(`/tokens/${created.id}`, { method: "DELETE", token: alice.token })).status).toBe(200);
    await expectDetail(await api("/export", { token: created.token }), 401, "Could not validate credentials");
  });

  it("exports an empty account as a zip with an empty manifest", async () => {
    const empty = await newUser("export-empty");
    const { names, files } = await exportOf(empty.token);
    expect(names).toEqual(["manifest.json"]);
    const manifest = manifestSchema.parse(JSON.parse(files.get("manifest.json")!.toString("utf8")));
    expect(manifest).toMatchObject({ notes: [], counts: { notes: 0, files: 0, bytes: 0 } });
  });

  it("breaks the download off when a file cannot be read, so the zip never looks complete", async () => {
    const user = await newUser("export-broken");
    await createNote(user.token, { title: "first" });
    const { note } = await noteWithUpload(
      user.token,
      { title: "lost file", description: "" },
      { name: "gone.bin", type: "application/octet-stream", data: bytes(1024) },
    );
    await s3().send(new DeleteObjectCommand({ Bucket: bucket(), Key: (await fileKeyOf(note.id))! }));
    const res = await api("/export", { token: user.token });
    expect(res.status).toBe(200); // the first entries were on their way before the object was missed
    const outcome = await res.arrayBuffer().then(
      async (body) =>
        unzip(Buffer.from(body)).then(
          () => "complete zip",
          () => "incomplete zip",
        ),
      () => "broken download",
    );
    expect(outcome).toBe("broken download");
  });
});

describe("exports at once", () => {
  it("streams two exports of one user at a time, answers 429 to a third, and frees the slot when one ends", async () => {
    const user = await newUser("export-slots");
    const { note } = await noteWithUpload(
      user.token,
      { title: "big", description: "" },
      { name: "big.bin", type: "application/octet-stream", data: bytes(8 * 1024 * 1024) },
    );
    expect(note.file_name).toBe("big.bin");
    // Two downloads left unread: back-pressure holds them open on the server.
    const first = new AbortController();
    const second = new AbortController();
    const a = await api("/export", { token: user.token, signal: first.signal });
    const b = await api("/export", { token: user.token, signal: second.signal });
    expect([a.status, b.status]).toEqual([200, 200]);
    const third = await api("/export", { token: user.token });
    await expectDetail(third, 429, "Too many exports under way, try again when one has finished");
    expect(third.headers.get("retry-after")).toBe("10");
    // Another user is not held up by this one.
    const other = await api("/export", { token: bob.token });
    expect(other.status).toBe(200);
    await other.arrayBuffer();

    first.abort();
    await a.body?.cancel().catch(() => {});
    const again = await poll(
      () => api("/export", { token: user.token }),
      (res) => res.status === 200,
      "a slot to be free again",
    );
    const { files } = await unzip(Buffer.from(await again.arrayBuffer()));
    expect(manifestSchema.parse(JSON.parse(files.get("manifest.json")!.toString("utf8"))).counts.files).toBe(1);
    second.abort();
    await b.body?.cancel().catch(() => {});
  });
});

describe("GET /settings/export/zip (the settings page's download)", () => {
  it("streams the same zip with the browser session's cookie, and refuses without it or from another site", async () => {
    const cookie = await browserSession(alice.email);
    const res = await api("/settings/export/zip", { headers: { cookie, "sec-fetch-site": "same-origin" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    const { files } = await unzip(Buffer.from(await res.arrayBuffer()));
    expect(manifestSchema.parse(JSON.parse(files.get("manifest.json")!.toString("utf8"))).counts.notes).toBe(5);

    await expectDetail(await api("/settings/export/zip"), 401, "Not authenticated");
    await expectDetail(
      await api("/settings/export/zip", { headers: { cookie, "sec-fetch-site": "cross-site" } }),
      403,
      "Cross-site request refused",
    );
    // A bearer token is for the REST path, not this one.
    await expectDetail(await api("/settings/export/zip", { token: alice.token }), 401);
  });
});
