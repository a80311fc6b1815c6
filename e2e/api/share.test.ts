import { afterAll, describe, expect, it } from "vitest";
import { api, type ApiAnswer, createNote, jsonBody, newUser, postJson } from "../support/api";
import { attachJson, closeDb, directUpload, download, expect422, expectDetail, sql } from "./helpers";

/**
 * Read-only share links (/s/<token>) on the production build: created, listed and revoked over REST by the
 * note's owner; opened by anyone without signing in. Revoking, expiring or trashing the note ends a link with
 * the next request, and every dead link is the same 404.
 */

afterAll(closeDb);

type Share = ApiAnswer<"createShareLink", 201>;

async function share(token: string, noteId: number, body: Record<string, unknown> = {}): Promise<Share> {
  const res = await postJson(`/notes/${noteId}/shares`, body, token);
  expect(res.status, await res.clone().text()).toBe(201);
  return jsonBody<Share>(res);
}

/** Opens a link as a stranger would: no credentials, no cookies. */
const open = (link: Share | string) => api(new URL(typeof link === "string" ? link : link.url!).pathname);

function fileLinks(html: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)]
    .map((m) => m[1]!.replaceAll("&amp;", "&"))
    .filter((href) => href.includes("X-Amz-Signature="));
}

describe("share links", () => {
  it("opens the note read-only without signing in, with its file through a short-lived presigned URL", async () => {
    const owner = await newUser("share-owner");
    const note = await createNote(owner.token, { title: "Trip plan", description: "# Day one\n\n**Lisbon** #travel" });
    const bytes = new Uint8Array(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
    const key = await directUpload(owner.token, "tickets.pdf", "application/pdf", bytes);
    expect((await attachJson(owner.token, note.id, key)).status).toBe(200);

    const created = await share(owner.token, note.id);
    expect(created.url).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({
      note_id: note.id,
      indexable: false,
      expires_at: null,
      expired: false,
      view_count: 0,
    });

    const page = await open(created);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Trip plan");
    expect(html).toContain("<strong>Lisbon</strong>");
    expect(html).toContain("#travel");
    expect(html).toContain("tickets.pdf");
    // Nothing of the owner's: not their email, not the note's id in a link back.
    expect(html).not.toContain(owner.email);
    expect(html).not.toContain(`/n/${note.id}`);
    // Never cached; the token does not leave by the Referer; not indexed unless the owner says so.
    expect(page.headers.get("cache-control")).toMatch(/private/);
    expect(page.headers.get("cache-control")).toMatch(/no-store/);
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.headers.get("x-robots-tag")).toMatch(/noindex/);
    expect(html).toMatch(/<meta name="robots" content="noindex[^"]*"/);
    expect(page.headers.get("content-security-policy")).toMatch(/nonce-/);

    // The file, byte for byte, through presigned GETs that expire within five minutes.
    const links = fileLinks(html);
    expect(links.length).toBeGreaterThanOrEqual(1);
    for (const link of links) {
      expect(Number(new URL(link).searchParams.get("X-Amz-Expires"))).toBeLessThanOrEqual(300);
      const { res, bytes: got } = await download(link);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-disposition")).toContain("tickets.pdf");
      expect(Buffer.from(got).equals(Buffer.from(bytes))).toBe(true);
    }

    // The owner can copy the same link again later, and sees it was viewed.
    const list = await jsonBody<Share[]>(await api(`/notes/${note.id}/shares`, { token: owner.token }));
    expect(list).toHaveLength(1);
    expect(list[0]!.url).toBe(created.url);
    expect(list[0]!.view_count).toBe(1);

    // Only the SHA-256 is looked up; the stored copy of the token is sealed, not the token itself.
    const token = created.url!.split("/s/")[1]!;
    const { rows } = await sql("SELECT * FROM note_shares WHERE id = $1", [created.id]);
    expect(JSON.stringify(rows[0])).not.toContain(token);

    // A sealed copy that no longer opens (as after a change of SECRET_KEY): the link still works, unshown.
    await sql("UPDATE note_shares SET token_sealed = 'AAAA.AAAA.AAAA' WHERE id = $1", [created.id]);
    const after = await jsonBody<Share[]>(await api(`/notes/${note.id}/shares`, { token: owner.token }));
    expect(after).toMatchObject([{ id: created.id, url: null }]);
    expect((await open(created)).status).toBe(200);
  });

  it("lets search engines in only when the owner chose so", async () => {
    const owner = await newUser("share-index");
    const note = await createNote(owner.token, { title: "Public recipe" });
    const page = await open(await share(owner.token, note.id, { indexable: true }));
    expect(page.status).toBe(200);
    expect(page.headers.get("x-robots-tag")).toBeNull();
    const html = await page.text();
    expect(html).not.toMatch(/<meta name="robots" content="noindex/);
    expect(html).toMatch(/<meta name="robots" content="index/);
  });

  it("revoking ends the link at once; the same 404 as a token that never existed", async () => {
    const owner = await newUser("share-revoke");
    const note = await createNote(owner.token, { title: "Secret plan" });
    const kept = await share(owner.token, note.id);
    const revoked = await share(owner.token, note.id);
    expect((await open(revoked)).status).toBe(200);

    const res = await api(`/notes/${note.id}/shares/${revoked.id}`, { method: "DELETE", token: owner.token });
    expect(res.status).toBe(204);
    const dead = await open(revoked);
    expect(dead.status).toBe(404);
    expect(await dead.text()).not.toContain("Secret plan");
    expect((await open(`http://x/s/${"A".repeat(43)}`)).status).toBe(404);
    expect((await open("http://x/s/short")).status).toBe(404);
    expect(dead.headers.get("x-robots-tag")).toMatch(/noindex/);

    // Revoked for good: gone from the list, a second revoke is a 404, the other link still works.
    const list = await jsonBody<Share[]>(await api(`/notes/${note.id}/shares`, { token: owner.token }));
    expect(list.map((s) => s.id)).toEqual([kept.id]);
    await expectDetail(
      await api(`/notes/${note.id}/shares/${revoked.id}`, { method: "DELETE", token: owner.token }),
      404,
    );
    expect((await open(kept)).status).toBe(200);
  });

  it("an expired link is a 404; an expiry in the past is refused (422)", async () => {
    const owner = await newUser("share-expiry");
    const note = await createNote(owner.token, { title: "Short-lived" });
    await expect422(await postJson(`/notes/${note.id}/shares`, { expires_at: "2020-01-01T00:00:00Z" }, owner.token), [
      "body",
      "expires_at",
    ]);
    const inAnHour = new Date(Date.now() + 3600_000).toISOString();
    const link = await share(owner.token, note.id, { expires_at: inAnHour });
    expect(new Date(link.expires_at!).toISOString()).toBe(inAnHour);
    expect((await open(link)).status).toBe(200);

    await sql("UPDATE note_shares SET expires_at = now() - interval '1 second' WHERE id = $1", [link.id]);
    expect((await open(link)).status).toBe(404);
    const list = await jsonBody<Share[]>(await api(`/notes/${note.id}/shares`, { token: owner.token }));
    expect(list).toMatchObject([{ id: link.id, expired: true }]);
  });

  it("trashing the note ends its links; restoring brings them back; archiving keeps them", async () => {
    const owner = await newUser("share-trash");
    const note = await createNote(owner.token, { title: "Trashed soon" });
    const link = await share(owner.token, note.id);

    expect((await api(`/notes/${note.id}/archive`, { method: "POST", token: owner.token })).status).toBe(200);
    expect((await open(link)).status).toBe(200);

    expect((await api(`/notes/${note.id}/trash`, { method: "POST", token: owner.token })).status).toBe(200);
    expect((await open(link)).status).toBe(404);
    // A note in the trash cannot be shared or have its links listed.
    await expectDetail(await postJson(`/notes/${note.id}/shares`, {}, owner.token), 404);

    expect((await api(`/notes/${note.id}/restore`, { method: "POST", token: owner.token })).status).toBe(200);
    expect((await open(link)).status).toBe(200);

    // Deleted for good: the link's row goes with the note.
    await api(`/notes/${note.id}/trash`, { method: "POST", token: owner.token });
    expect((await api(`/trash/${note.id}`, { method: "DELETE", token: owner.token })).status).toBe(200);
    expect((await sql("SELECT 1 FROM note_shares WHERE id = $1", [link.id])).rowCount).toBe(0);
  });

  it("another user can neither list, create nor revoke a note's links (404); a read-only token cannot create", async () => {
    const owner = await newUser("share-mine");
    const other = await newUser("share-other");
    const note = await createNote(owner.token, { title: "Mine" });
    const link = await share(owner.token, note.id);

    await expectDetail(await api(`/notes/${note.id}/shares`, { token: other.token }), 404);
    await expectDetail(await postJson(`/notes/${note.id}/shares`, {}, other.token), 404);
    await expectDetail(await api(`/notes/${note.id}/shares/${link.id}`, { method: "DELETE", token: other.token }), 404);
    await expectDetail(await api(`/notes/${note.id}/shares`), 401);
    expect((await open(link)).status).toBe(200);

    const created = await postJson("/tokens", { name: "reader", scope: "read" }, owner.token);
    const reader = (await jsonBody<{ token: string }>(created)).token;
    expect((await api(`/notes/${note.id}/shares`, { token: reader })).status).toBe(200);
    await expectDetail(await postJson(`/notes/${note.id}/shares`, {}, reader), 403);
  });

  it("answers bad input with 4xx: wrong ids, wrong types, not JSON", async () => {
    const owner = await newUser("share-hostile");
    const note = await createNote(owner.token, { title: "Hostile" });
    await expect422(await api("/notes/abc/shares", { token: owner.token }), ["path", "id"]);
    await expectDetail(await api("/notes/99999999999/shares", { token: owner.token }), 404);
    await expect422(await postJson(`/notes/${note.id}/shares`, { indexable: "yes" }, owner.token), [
      "body",
      "indexable",
    ]);
    await expect422(await postJson(`/notes/${note.id}/shares`, { expires_at: "soon" }, owner.token), [
      "body",
      "expires_at",
    ]);
    const form = await api(`/notes/${note.id}/shares`, {
      method: "POST",
      token: owner.token,
      headers: { "content-type": "text/plain" },
      body: "x",
    });
    expect(form.status).toBe(415);
    const long = "x".repeat(5000);
    await expectDetail(await api(`/notes/${note.id}/shares/${long}`, { method: "DELETE", token: owner.token }), 404);
    expect((await api(`/s/${encodeURIComponent("../../notes")}`)).status).toBe(404);
  });
});
