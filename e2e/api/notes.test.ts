import { beforeAll, describe, expect, it } from "vitest";
import { api, createNote, jsonBody, newUser, postJson } from "../support/api";
import { download, expect422, expectDetail, expectNote, getNote, listAll, multipartNote, noteOf } from "./helpers";

let token: string;

beforeAll(async () => {
  ({ token } = await newUser("notes"));
});

const form = (fields: Record<string, string>) => ({
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

describe("POST /notes", () => {
  it("creates a note from JSON", async () => {
    const before = Date.now();
    const note = await noteOf(await postJson("/notes", { title: "Groceries", description: "milk, eggs" }, token));
    expect(note).toMatchObject({
      title: "Groceries",
      description: "milk, eggs",
      file_url: null,
      file_name: null,
      file_size: null,
      content_type: null,
    });
    expect(note.id).toBeGreaterThan(0);
    expect(Date.parse(note.created_at)).toBeGreaterThanOrEqual(before - 5000);
    expect(note.updated_at >= note.created_at).toBe(true);
    expect(await getNote(token, note.id)).toEqual(note);
  });

  it("description is optional and defaults to empty", async () => {
    const note = await noteOf(await postJson("/notes", { title: "Only a title" }, token));
    expect(note.description).toBe("");
  });

  it("creates a note from multipart without a file", async () => {
    const note = await noteOf(await multipartNote(token, { title: "From a form", description: "multi\npart" }));
    expect(note).toMatchObject({ title: "From a form", description: "multi\npart", file_url: null, file_name: null });
  });

  it("creates a note from multipart with a file", async () => {
    const data = "hello, file\n";
    const note = await noteOf(
      await multipartNote(
        token,
        { title: "With file", description: "d" },
        { name: "hello.txt", type: "text/plain", data },
      ),
    );
    expect(note).toMatchObject({
      title: "With file",
      description: "d",
      file_name: "hello.txt",
      file_size: data.length,
      content_type: "text/plain",
    });
    const { res, bytes } = await download(note.file_url!);
    expect(res.status).toBe(200);
    expect(Buffer.from(bytes).toString()).toBe(data);
  });

  it("creates a note from a urlencoded form", async () => {
    const note = await noteOf(
      await api("/notes", { method: "POST", token, ...form({ title: "urlencoded", description: "x y" }) }),
    );
    expect(note).toMatchObject({ title: "urlencoded", description: "x y" });
  });

  it("keeps Unicode intact", async () => {
    const note = await noteOf(await postJson("/notes", { title: "Größe 🚀 日本", description: "naïve café" }, token));
    expect((await getNote(token, note.id)).title).toBe("Größe 🚀 日本");
    expect(note.description).toBe("naïve café");
  });
});

describe("validation of a note", () => {
  it("refuses an empty, blank or missing title with 422", async () => {
    await expect422(await postJson("/notes", { title: "" }, token), ["body", "title"]);
    await expect422(await postJson("/notes", { title: "   " }, token), ["body", "title"]);
    await expect422(await postJson("/notes", { description: "no title" }, token), ["body", "title"], "missing");
    await expect422(await multipartNote(token, { title: "" }), ["body", "title"]);
    await expect422(await postJson("/notes", { title: 42 }, token), ["body", "title"]);
  });

  it("takes a title of 200 characters and refuses 201", async () => {
    expect((await noteOf(await postJson("/notes", { title: "t".repeat(200) }, token))).title).toHaveLength(200);
    await expect422(await postJson("/notes", { title: "t".repeat(201) }, token), ["body", "title"], "string_too_long");
  });

  it("malformed JSON is a 422 of type json_invalid", async () => {
    const res = await api("/notes", {
      method: "POST",
      token,
      headers: { "content-type": "application/json" },
      body: '{"title": "oops",',
    });
    const detail = await expect422(res, ["body", 0], "json_invalid");
    expect(detail).toHaveLength(1);
  });

  it("a JSON array (or any non-object) body is a 422", async () => {
    await expect422(await postJson("/notes", [{ title: "in an array" }], token), ["body"]);
    await expect422(await postJson("/notes", "just a string", token), ["body"]);
    await expect422(await postJson("/notes", null, token), ["body"]);
  });

  it("an unsupported content type is a 415", async () => {
    const res = await api("/notes", {
      method: "POST",
      token,
      headers: { "content-type": "text/plain" },
      body: "title=hello",
    });
    await expectDetail(res, 415);
    const title = await api("/notes/1/title", {
      method: "PUT",
      token,
      headers: { "content-type": "text/plain" },
      body: "hello",
    });
    await expectDetail(title, 415);
  });

  it("a JSON body over 1 MiB is a 413, declared or streamed", async () => {
    const big = JSON.stringify({ title: "big", description: "a".repeat(1024 * 1024 + 10) });
    await expectDetail(
      await api("/notes", { method: "POST", token, headers: { "content-type": "application/json" }, body: big }),
      413,
    );

    // Without Content-Length (chunked): the server must count, not trust a header.
    const note = await createNote(token, { title: "streamed" });
    const chunk = new TextEncoder().encode("a".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"description": "'));
      },
      pull(c) {
        if (sent > 1.5 * 1024 * 1024) {
          c.enqueue(new TextEncoder().encode('"}'));
          c.close();
          return;
        }
        sent += chunk.byteLength;
        c.enqueue(chunk);
      },
    });
    const res = await api(`/notes/${note.id}/description`, {
      method: "PUT",
      token,
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    await expectDetail(res, 413);
    // The client's next request (on the same keep-alive connection) must still be answered, and nothing changed.
    const next = await api(`/notes/${note.id}`, { token, signal: AbortSignal.timeout(5000) });
    expect((await noteOf(next)).description).toBe("");
  });
});

describe("GET /notes and /notes/{id}", () => {
  it("lists the caller's notes newest first", async () => {
    const { token: own } = await newUser("list");
    const ids: number[] = [];
    for (const title of ["first", "second", "third"]) ids.push((await createNote(own, { title })).id);
    const notes = await listAll(own);
    expect(notes.map((n) => n.id)).toEqual([...ids].reverse());
    expect(notes.map((n) => n.title)).toEqual(["third", "second", "first"]);
    const times = notes.map((n) => Date.parse(n.created_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("a new user has an empty list", async () => {
    const { token: fresh } = await newUser("empty");
    const res = await api("/notes", { token: fresh });
    expect(res.status).toBe(200);
    expect(await jsonBody(res)).toEqual([]);
    expect(res.headers.get("link")).toBeNull();
  });

  it("non-integer ids are a 422 at path.id; unknown, zero, negative and huge ids are a 404", async () => {
    for (const bad of ["abc", "1.5", "1e3", "0x10", "%20"]) {
      await expect422(await api(`/notes/${bad}`, { token }), ["path", "id"]);
      await expect422(await postJson(`/notes/${bad}/title`, { title: "x" }, token, "PUT"), ["path", "id"]);
      await expect422(await api(`/notes/${bad}`, { method: "DELETE", token }), ["path", "id"]);
    }
    for (const missing of ["2147483647", "0", "-1", "99999999999", "999999999999999999999999"]) {
      await expectDetail(await api(`/notes/${missing}`, { token }), 404, "Note not found");
      await expectDetail(
        await postJson(`/notes/${missing}/title`, { title: "x" }, token, "PUT"),
        404,
        "Note not found",
      );
      await expectDetail(
        await postJson(`/notes/${missing}/description`, { description: "x" }, token, "PUT"),
        404,
        "Note not found",
      );
      await expectDetail(await api(`/notes/${missing}`, { method: "DELETE", token }), 404, "Note not found");
      await expectDetail(await api(`/notes/${missing}/file`, { method: "DELETE", token }), 404, "Note not found");
    }
  });
});

describe("PUT /notes/{id}/title and /description", () => {
  it("changes the title from a form and from JSON, and nothing else", async () => {
    const note = await createNote(token, { title: "old", description: "keep me" });
    const byForm = await noteOf(
      await api(`/notes/${note.id}/title`, { method: "PUT", token, ...form({ title: "from form" }) }),
    );
    expect(byForm).toMatchObject({
      id: note.id,
      title: "from form",
      description: "keep me",
      created_at: note.created_at,
    });
    expect(Date.parse(byForm.updated_at)).toBeGreaterThanOrEqual(Date.parse(note.updated_at));

    const byJson = await noteOf(await postJson(`/notes/${note.id}/title`, { title: "from json" }, token, "PUT"));
    expect(byJson).toMatchObject({ id: note.id, title: "from json", description: "keep me" });

    const byMultipart = await noteOf(
      await multipartNote(token, { title: "from multipart" }, undefined, `/notes/${note.id}/title`, "PUT"),
    );
    expect(byMultipart.title).toBe("from multipart");
    expect((await getNote(token, note.id)).title).toBe("from multipart");
  });

  it("refuses an invalid title and leaves the note as it was", async () => {
    const note = await createNote(token, { title: "stays" });
    await expect422(await postJson(`/notes/${note.id}/title`, { title: "" }, token, "PUT"), ["body", "title"]);
    await expect422(await postJson(`/notes/${note.id}/title`, { title: "t".repeat(201) }, token, "PUT"), [
      "body",
      "title",
    ]);
    await expect422(await postJson(`/notes/${note.id}/title`, {}, token, "PUT"), ["body", "title"], "missing");
    await expect422(
      await api(`/notes/${note.id}/title`, { method: "PUT", token, ...form({}) }),
      ["body", "title"],
      "missing",
    );
    expect((await getNote(token, note.id)).title).toBe("stays");
  });

  it("changes the description from a form and from JSON, and may empty it", async () => {
    const note = await createNote(token, { title: "desc", description: "before" });
    const byForm = await noteOf(
      await api(`/notes/${note.id}/description`, { method: "PUT", token, ...form({ description: "by form" }) }),
    );
    expect(byForm).toMatchObject({ title: "desc", description: "by form" });
    const byJson = await noteOf(
      await postJson(`/notes/${note.id}/description`, { description: "by json" }, token, "PUT"),
    );
    expect(byJson).toMatchObject({ title: "desc", description: "by json" });
    expect((await getNote(token, note.id)).description).toBe("by json");
    expect(
      (await noteOf(await postJson(`/notes/${note.id}/description`, { description: "" }, token, "PUT"))).description,
    ).toBe("");
    await expect422(
      await postJson(`/notes/${note.id}/description`, {}, token, "PUT"),
      ["body", "description"],
      "missing",
    );
  });
});

describe("DELETE /notes/{id}", () => {
  it("deletes, then the note is gone everywhere", async () => {
    const note = await createNote(token, { title: "to delete" });
    const res = await api(`/notes/${note.id}`, { method: "DELETE", token });
    expect(res.status).toBe(200);
    expect(await jsonBody(res)).toEqual({ message: expect.any(String) });

    await expectDetail(await api(`/notes/${note.id}`, { token }), 404, "Note not found");
    await expectDetail(await api(`/notes/${note.id}`, { method: "DELETE", token }), 404, "Note not found");
    await expectDetail(
      await postJson(`/notes/${note.id}/title`, { title: "zombie" }, token, "PUT"),
      404,
      "Note not found",
    );
    expect((await listAll(token)).map((n) => n.id)).not.toContain(note.id);
  });
});

describe("every note response has the documented shape", () => {
  it("list entries validate like single notes", async () => {
    for (const n of await listAll(token)) expectNote(n);
  });
});
