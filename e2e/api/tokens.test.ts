import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { api, type ApiAnswer, type ApiRequest, createNote, jsonBody, newUser, postJson } from "../support/api";
import { closeDb, expectDetail, expectNote, fakeIp, listAll, sql, userIdOf } from "./helpers";

/**
 * Personal access tokens on the REST API: created with a password-login JWT (POST /tokens), used as
 * `Authorization: Bearer cnp_...` on the notes endpoints within their scope, and ended at once by revoking,
 * expiring, "sign out everywhere" or a disabled account. Only their SHA-256 is stored.
 */

afterAll(closeDb);

type Created = ApiAnswer<"createToken", 201>;

async function createToken(jwt: string, body: ApiRequest<"createToken">): Promise<Created> {
  const res = await postJson("/tokens", body, jwt);
  expect(res.status, await res.clone().text()).toBe(201);
  return jsonBody<Created>(res);
}

const put = (path: string, body: unknown, token: string) => postJson(path, body, token, "PUT");

describe("personal access tokens", () => {
  it("a write token reads and writes notes; the secret is shown once and only its hash is stored", async () => {
    const user = await newUser("pat-write");
    const created = await createToken(user.token, { name: "backup script", scope: "write" });
    expect(created.token).toMatch(/^cnp_[A-Za-z0-9_-]{43}$/);
    expect(created.token.startsWith(created.prefix)).toBe(true);
    expect(created).toMatchObject({ name: "backup script", scope: "write", expires_at: null, last_used_at: null });

    const note = expectNote(await jsonBody(await postJson("/notes", { title: "by token" }, created.token)));
    expect((await put(`/notes/${note.id}/title`, { title: "renamed" }, created.token)).status).toBe(200);
    expect((await listAll(created.token)).map((n) => n.title)).toEqual(["renamed"]);
    expect((await api(`/notes/${note.id}`, { token: created.token })).status).toBe(200);
    expect((await api(`/notes/${note.id}`, { method: "DELETE", token: created.token })).status).toBe(200);

    // The database holds the SHA-256 of the token and its display prefix, never the secret itself.
    const { rows } = await sql("SELECT * FROM personal_access_tokens WHERE id = $1", [created.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toBe(createHash("sha256").update(created.token).digest("hex"));
    expect(JSON.stringify(rows[0])).not.toContain(created.token.slice(created.prefix.length));
    expect(rows[0].last_used_at).not.toBeNull();

    // Listed without the secret, with its last use.
    const list = await jsonBody<ApiAnswer<"listTokens", 200>>(await api("/tokens", { token: user.token }));
    expect(list).toHaveLength(1);
    expect(list[0]).not.toHaveProperty("token");
    expect(list[0]!.last_used_at).not.toBeNull();
  });

  it("records the last use at most once a minute, so that reading is not a write per request", async () => {
    const user = await newUser("pat-last-used");
    const { id, token } = await createToken(user.token, { name: "poller", scope: "read" });
    const lastUsed = async () =>
      (await sql("SELECT last_used_at FROM personal_access_tokens WHERE id = $1", [id])).rows[0].last_used_at as Date;
    const setLastUsed = (ago: string) =>
      sql(`UPDATE personal_access_tokens SET last_used_at = now() - interval '${ago}' WHERE id = $1`, [id]);

    await setLastUsed("30 seconds");
    const recent = await lastUsed();
    expect((await api("/notes", { token })).status).toBe(200);
    expect(await lastUsed()).toEqual(recent);

    await setLastUsed("2 minutes");
    const old = await lastUsed();
    expect((await api("/notes", { token })).status).toBe(200);
    expect((await lastUsed()).getTime()).toBeGreaterThan(old.getTime());
  });

  it("a read token reads, and is refused with 403 on every write", async () => {
    const user = await newUser("pat-read");
    const note = await createNote(user.token, { title: "mine" });
    const { token } = await createToken(user.token, { name: "reader", scope: "read" });

    expect((await listAll(token)).map((n) => n.id)).toEqual([note.id]);
    expect((await api(`/notes/${note.id}`, { token })).status).toBe(200);
    await expectDetail(await postJson("/notes", { title: "no" }, token), 403, "This token is read-only");
    await expectDetail(await put(`/notes/${note.id}/title`, { title: "no" }, token), 403);
    await expectDetail(await put(`/notes/${note.id}/description`, { description: "no" }, token), 403);
    await expectDetail(await api(`/notes/${note.id}`, { method: "DELETE", token }), 403);
    await expectDetail(await api(`/notes/${note.id}/file`, { method: "DELETE", token }), 403);
    await expectDetail(
      await postJson("/uploads", { filename: "a.txt", content_type: "text/plain", size: 1 }, token),
      403,
    );
    expect((await listAll(user.token)).map((n) => n.title)).toEqual(["mine"]);
  });

  it("a personal token cannot manage tokens (a password login can)", async () => {
    const user = await newUser("pat-manage");
    const { token } = await createToken(user.token, { name: "full", scope: "write" });
    await expectDetail(await api("/tokens", { token }), 403);
    await expectDetail(await postJson("/tokens", { name: "more", scope: "write" }, token), 403);
  });

  it("revoked: refused with 401 at once", async () => {
    const user = await newUser("pat-revoke");
    const created = await createToken(user.token, { name: "short-lived", scope: "write" });
    expect((await api("/notes", { token: created.token })).status).toBe(200);
    expect((await api(`/tokens/${created.id}`, { method: "DELETE", token: user.token })).status).toBe(200);
    await expectDetail(await api("/notes", { token: created.token }), 401, "Could not validate credentials");
    expect((await sql("SELECT 1 FROM personal_access_tokens WHERE id = $1", [created.id])).rowCount).toBe(0);
    await expectDetail(await api(`/tokens/${created.id}`, { method: "DELETE", token: user.token }), 404);
  });

  it("expired: 401 'Token has expired'", async () => {
    const user = await newUser("pat-expired");
    const created = await createToken(user.token, { name: "week", scope: "read", expires_in_days: 7 });
    expect(Date.parse(created.expires_at!)).toBeGreaterThan(Date.now());
    expect((await api("/notes", { token: created.token })).status).toBe(200);
    await sql("UPDATE personal_access_tokens SET expires_at = now() - interval '1 second' WHERE id = $1", [created.id]);
    await expectDetail(await api("/notes", { token: created.token }), 401, "Token has expired");
  });

  it("signed out everywhere, or account disabled: its tokens stop working", async () => {
    const a = await newUser("pat-everywhere");
    const { token: ta } = await createToken(a.token, { name: "a", scope: "write" });
    await sql("UPDATE users SET session_version = session_version + 1 WHERE email = $1", [a.email]);
    await expectDetail(await api("/notes", { token: ta }), 401, "Could not validate credentials");

    const b = await newUser("pat-disabled");
    const { token: tb } = await createToken(b.token, { name: "b", scope: "write" });
    expect((await api("/notes", { token: tb })).status).toBe(200);
    await sql("UPDATE users SET disabled_at = now() WHERE email = $1", [b.email]);
    await expectDetail(await api("/notes", { token: tb }), 401, "Could not validate credentials");
  });

  it("a token of user A never sees or changes user B's notes", async () => {
    const a = await newUser("pat-a");
    const b = await newUser("pat-b");
    const bNote = await createNote(b.token, { title: "B's secret" });
    const { token } = await createToken(a.token, { name: "a", scope: "write" });
    expect(await listAll(token)).toEqual([]);
    await expectDetail(await api(`/notes/${bNote.id}`, { token }), 404);
    await expectDetail(await put(`/notes/${bNote.id}/title`, { title: "mine now" }, token), 404);
    await expectDetail(await api(`/notes/${bNote.id}`, { method: "DELETE", token }), 404);
    expect((await listAll(b.token)).map((n) => n.title)).toEqual(["B's secret"]);
    // And A's tokens are A's alone: B cannot revoke them.
    const { id } = await createToken(a.token, { name: "a2", scope: "read" });
    await expectDetail(await api(`/tokens/${id}`, { method: "DELETE", token: b.token }), 404);
    expect(await userIdOf(a.email)).not.toBe(await userIdOf(b.email));
  });

  it("unknown tokens are refused, and limited per address (429 past the limit)", async () => {
    const ip = fakeIp();
    const bogus = `cnp_${"A".repeat(43)}`;
    let res: Response | undefined;
    // LOGIN_MAX_FAILURES_PER_IP (the e2e server's value, or the default 100) failures, then 429.
    for (let i = 0; i < 200; i++) {
      res = await api("/notes", { token: bogus, headers: { "x-forwarded-for": ip } });
      if (res.status !== 401) break;
      await res.body?.cancel();
    }
    expect(res!.status).toBe(429);
    expect(Number(res!.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("bad input to POST /tokens is a 422", async () => {
    const user = await newUser("pat-422");
    for (const body of [
      { name: "", scope: "read" },
      { name: "x", scope: "admin" },
      { name: "x", scope: "read", expires_in_days: 0 },
    ]) {
      expect((await postJson("/tokens", body, user.token)).status).toBe(422);
    }
  });
});
