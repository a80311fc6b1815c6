import { beforeAll, describe, expect, it } from "vitest";
import { api, createNote, jsonBody, newUser } from "../support/api";
import { attachJson, directUpload, expectDetail, getNote, noteOf } from "./helpers";

/**
 * Optional optimistic concurrency: note resources carry an ETag (the note's version), and a change sent with
 * If-Match applies only to that version (412 otherwise). Clients that send no If-Match see no difference.
 */

let token: string;

beforeAll(async () => {
  ({ token } = await newUser("etag"));
});

const put = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  api(path, {
    method: "PUT",
    token,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

async function etagOf(id: number): Promise<string> {
  const res = await api(`/notes/${id}`, { token });
  expect(res.status).toBe(200);
  const etag = res.headers.get("etag");
  expect(etag).toMatch(/^"[^"]+"$/);
  return etag!;
}

describe("ETag and If-Match on notes", () => {
  it("a change with the current ETag applies and answers the new ETag; the old one is then stale (412)", async () => {
    const note = await createNote(token, { title: "Shared list", description: "milk" });
    const v1 = await etagOf(note.id);

    const first = await put(`/notes/${note.id}/title`, { title: "Tab A" }, { "if-match": v1 });
    expect((await noteOf(first)).title).toBe("Tab A");
    const v2 = first.headers.get("etag");
    expect(v2).toBeTruthy();
    expect(v2).not.toBe(v1);
    expect(await etagOf(note.id)).toBe(v2);

    // Another client still holding v1 is refused, and nothing is overwritten.
    const stale = await put(`/notes/${note.id}/description`, { description: "eggs" }, { "if-match": v1 });
    await expectDetail(stale, 412);
    expect(await getNote(token, note.id)).toMatchObject({ title: "Tab A", description: "milk" });

    const fresh = await put(`/notes/${note.id}/description`, { description: "eggs" }, { "if-match": v2! });
    expect((await noteOf(fresh)).description).toBe("eggs");
  });

  it("two saves in quick succession make two versions", async () => {
    const note = await createNote(token, { title: "Fast" });
    const v1 = await etagOf(note.id);
    const a = await put(`/notes/${note.id}/title`, { title: "one" });
    const b = await put(`/notes/${note.id}/title`, { title: "two" });
    const tags = new Set([v1, a.headers.get("etag"), b.headers.get("etag")]);
    expect(tags.size).toBe(3);
  });

  it("without If-Match (or with *) every change applies as before", async () => {
    const note = await createNote(token, { title: "Old client" });
    expect((await noteOf(await put(`/notes/${note.id}/title`, { title: "changed" }))).title).toBe("changed");
    const star = await put(`/notes/${note.id}/title`, { title: "star" }, { "if-match": "*" });
    expect((await noteOf(star)).title).toBe("star");
  });

  it("a weak, foreign or garbled tag never matches", async () => {
    const note = await createNote(token, { title: "Strict" });
    const current = await etagOf(note.id);
    const other = await createNote(token, { title: "Other" });
    for (const tag of [`W/${current}`, await etagOf(other.id), '"nonsense"', "garbage"]) {
      await expectDetail(await put(`/notes/${note.id}/title`, { title: "x" }, { "if-match": tag }), 412);
    }
    // A list of tags matches if any of them is current.
    const listed = await put(`/notes/${note.id}/title`, { title: "y" }, { "if-match": `"0-0", ${current}` });
    expect((await noteOf(listed)).title).toBe("y");
  });

  it("guards DELETE of a note and of its file, and PUT of a file", async () => {
    const note = await createNote(token, { title: "With a file" });
    const v1 = await etagOf(note.id);
    const key = await directUpload(token, "a.txt", "text/plain", "hello");
    const attached = await attachJson(token, note.id, key);
    expect(attached.status).toBe(200);
    const v2 = attached.headers.get("etag")!;
    expect(v2).not.toBe(v1);

    const key2 = await directUpload(token, "b.txt", "text/plain", "world");
    await expectDetail(await put(`/notes/${note.id}/file`, { file_key: key2 }, { "if-match": v1 }), 412);
    await expectDetail(
      await api(`/notes/${note.id}/file`, { method: "DELETE", token, headers: { "if-match": v1 } }),
      412,
    );
    await expectDetail(await api(`/notes/${note.id}`, { method: "DELETE", token, headers: { "if-match": v1 } }), 412);
    expect((await getNote(token, note.id)).file_name).toBe("a.txt");

    const removed = await api(`/notes/${note.id}/file`, { method: "DELETE", token, headers: { "if-match": v2 } });
    expect((await noteOf(removed)).file_name).toBeNull();
    const v3 = removed.headers.get("etag")!;
    const deleted = await api(`/notes/${note.id}`, { method: "DELETE", token, headers: { "if-match": v3 } });
    expect(deleted.status).toBe(200);
    expect(await jsonBody(deleted)).toEqual({ message: "Note deleted successfully" });
  });

  it("a missing note stays 404 whatever If-Match says", async () => {
    const res = await put("/notes/999999999/title", { title: "x" }, { "if-match": '"999999999-0"' });
    await expectDetail(res, 404);
  });

  it("is documented in the OpenAPI document", async () => {
    const doc = await jsonBody(await api("/openapi.json"));
    const put = doc.paths["/notes/{id}/title"].put;
    expect(put.parameters.some((p: { in: string; name: string }) => p.in === "header" && p.name === "if-match")).toBe(
      true,
    );
    expect(put.responses["412"]).toBeDefined();
    expect(doc.paths["/notes/{id}"].get.responses["200"].headers.ETag).toBeDefined();
  });
});
