import { afterAll, describe, expect, it } from "vitest";
import { api, createNote, jsonBody, newUser, postJson } from "../support/api";
import { apiRevisionSchema } from "@/lib/notes/revision-rest";
import {
  attachJson,
  bytes,
  closeDb,
  directUpload,
  download,
  expect422,
  expectDetail,
  getNote,
  noteOf,
  sha256,
  userIdOf,
  keysOf,
} from "./helpers";

/**
 * A note's history over the REST API (production build, PostgreSQL, Ceph RGW): every save is a revision,
 * listed newest first and fetched one by one; a restore is a new revision; a replaced file stays downloadable
 * from its revision; nobody else sees any of it.
 */

afterAll(closeDb);

const put = (path: string, body: unknown, token: string) => postJson(path, body, token, "PUT");

function expectRevision(body: unknown) {
  const parsed = apiRevisionSchema.safeParse(body);
  expect(parsed.success, `not a NoteRevision: ${JSON.stringify(body)}`).toBe(true);
  return parsed.data!;
}

async function revisions(token: string, id: number, query = "") {
  const res = await api(`/notes/${id}/revisions${query}`, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return { res, list: ((await jsonBody(res)) as unknown[]).map(expectRevision) };
}

describe("GET /notes/{id}/revisions and /revisions/{number}", () => {
  it("lists every save newest first, in pages, and fetches each one", async () => {
    const user = await newUser("history-list");
    const note = await createNote(user.token, { title: "Recipe", description: "flour" });
    await put(`/notes/${note.id}/title`, { title: "Bread" }, user.token);
    await put(`/notes/${note.id}/description`, { description: "flour, water, salt" }, user.token);

    const { list } = await revisions(user.token, note.id);
    expect(list.map((r) => [r.number, r.title, r.description])).toEqual([
      [3, "Bread", "flour, water, salt"],
      [2, "Bread", "flour"],
      [1, "Recipe", "flour"],
    ]);
    expect(list[0]!.created_at).toBe((await getNote(user.token, note.id)).updated_at);

    const first = await revisions(user.token, note.id, "?limit=2");
    expect(first.list.map((r) => r.number)).toEqual([3, 2]);
    const next = first.res.headers.get("link")!.match(/^<([^>]+)>; rel="next"$/)![1]!;
    const second = await revisions(user.token, note.id, next.slice(next.indexOf("?")));
    expect(second.list.map((r) => r.number)).toEqual([1]);
    expect(second.res.headers.get("link")).toBeNull();

    const one = await api(`/notes/${note.id}/revisions/2`, { token: user.token });
    expect(one.status).toBe(200);
    expect(expectRevision(await jsonBody(one))).toMatchObject({ note_id: note.id, number: 2, title: "Bread" });
  });

  it("answers FastAPI-style errors: unknown revision 404, bad number or limit 422", async () => {
    const user = await newUser("history-errors");
    const note = await createNote(user.token, { title: "x" });
    await expectDetail(await api(`/notes/${note.id}/revisions/9`, { token: user.token }), 404, "Revision not found");
    await expectDetail(await api(`/notes/999999999/revisions`, { token: user.token }), 404, "Note not found");
    await expect422(await api(`/notes/${note.id}/revisions/abc`, { token: user.token }), ["path", "number"]);
    await expect422(await api(`/notes/${note.id}/revisions?limit=0`, { token: user.token }), ["query", "limit"]);
    await expect422(await api(`/notes/${note.id}/revisions?cursor=bogus`, { token: user.token }), ["query", "cursor"]);
    expect((await api(`/notes/${note.id}/revisions`)).status).toBe(401);
  });

  it("another user's note answers 404 for every history operation, and stays unchanged", async () => {
    const owner = await newUser("history-owner");
    const stranger = await newUser("history-stranger");
    const note = await createNote(owner.token, { title: "mine", description: "secret" });
    await put(`/notes/${note.id}/title`, { title: "still mine" }, owner.token);
    for (const res of [
      await api(`/notes/${note.id}/revisions`, { token: stranger.token }),
      await api(`/notes/${note.id}/revisions/1`, { token: stranger.token }),
      await api(`/notes/${note.id}/revisions/1/restore`, { method: "POST", token: stranger.token }),
    ]) {
      await expectDetail(res, 404, "Note not found");
    }
    expect((await getNote(owner.token, note.id)).title).toBe("still mine");
    expect((await revisions(owner.token, note.id)).list).toHaveLength(2);
  });
});

describe("POST /notes/{id}/revisions/{number}/restore", () => {
  it("sets the note to the revision as a new revision, and respects If-Match", async () => {
    const user = await newUser("history-restore");
    const note = await createNote(user.token, { title: "Draft", description: "first" });
    const edited = await noteOf(await put(`/notes/${note.id}/description`, { description: "second" }, user.token));

    const stale = await api(`/notes/${note.id}/revisions/1/restore`, {
      method: "POST",
      token: user.token,
      headers: { "if-match": `"${note.id}-${new Date(note.updated_at).getTime().toString(36)}"` },
    });
    await expectDetail(stale, 412);

    const etag = (await api(`/notes/${note.id}`, { token: user.token })).headers.get("etag")!;
    const res = await api(`/notes/${note.id}/revisions/1/restore`, {
      method: "POST",
      token: user.token,
      headers: { "if-match": etag },
    });
    const restored = await noteOf(res);
    expect(restored).toMatchObject({ id: note.id, title: "Draft", description: "first" });
    expect(res.headers.get("etag")).not.toBe(etag);
    expect(await getNote(user.token, note.id)).toEqual(restored);
    expect(edited.description).toBe("second");

    const { list } = await revisions(user.token, note.id);
    expect(list.map((r) => [r.number, r.description])).toEqual([
      [3, "first"],
      [2, "second"],
      [1, "first"],
    ]);
  });

  it("a replaced file stays downloadable byte for byte from its revision, and a restore brings it back", async () => {
    const user = await newUser("history-file");
    const userId = await userIdOf(user.email);
    const original = bytes(70_000);
    const oldKey = await directUpload(user.token, "original.bin", "application/octet-stream", original);
    const note = await noteOf(
      await api("/notes", {
        method: "POST",
        token: user.token,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ title: "with file", file_key: oldKey }),
      }),
    );
    const newKey = await directUpload(user.token, "new.txt", "text/plain", "replacement");
    await noteOf(await attachJson(user.token, note.id, newKey));

    const first = expectRevision(await jsonBody(await api(`/notes/${note.id}/revisions/1`, { token: user.token })));
    expect(first).toMatchObject({ file_name: "original.bin", file_size: original.byteLength });
    const old = await download(first.file_url!);
    expect(old.res.status).toBe(200);
    expect(sha256(old.bytes)).toBe(sha256(original));
    expect((await keysOf(userId)).sort()).toEqual([newKey, oldKey].sort());

    const restored = await noteOf(
      await api(`/notes/${note.id}/revisions/1/restore`, { method: "POST", token: user.token }),
    );
    expect(restored).toMatchObject({ file_name: "original.bin", file_size: original.byteLength });
    expect(sha256((await download(restored.file_url!)).bytes)).toBe(sha256(original));
    await expectDetail(await api(`/notes/${note.id}/revisions/99/restore`, { method: "POST", token: user.token }), 404);
  });

  it("needs the write scope of a personal access token; reading needs only read", async () => {
    const user = await newUser("history-scope");
    const note = await createNote(user.token, { title: "scoped" });
    const res = await postJson("/tokens", { name: "ro", scope: "read" }, user.token);
    expect(res.status).toBe(201);
    const readOnly = (await jsonBody(res)).token as string;
    expect((await api(`/notes/${note.id}/revisions`, { token: readOnly })).status).toBe(200);
    await expectDetail(await api(`/notes/${note.id}/revisions/1/restore`, { method: "POST", token: readOnly }), 403);
  });
});

describe("GET /openapi.json", () => {
  it("documents the history endpoints", async () => {
    const doc = await jsonBody(await api("/openapi.json"));
    expect(doc.paths["/notes/{id}/revisions"].get.operationId).toBe("listNoteRevisions");
    expect(doc.paths["/notes/{id}/revisions/{number}"].get.operationId).toBe("getNoteRevision");
    expect(doc.paths["/notes/{id}/revisions/{number}/restore"].post.operationId).toBe("restoreNoteRevision");
    expect(doc.paths["/notes/{id}/revisions/{number}/restore"].post.responses["412"]).toBeDefined();
  });
});
