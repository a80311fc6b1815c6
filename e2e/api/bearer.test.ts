import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, jsonBody, login, newUser } from "../support/api";
import { closeDb, expectDetail, fakeIp, sql, userIdOf } from "./helpers";

afterAll(closeDb);

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const secret = () => new TextEncoder().encode(inject("apiSecretKey"));

function sign(
  claims: Record<string, unknown>,
  options: { alg?: string; key?: Uint8Array; exp?: number | string } = {},
) {
  const jwt = new SignJWT({ typ: "access", ...claims })
    .setProtectedHeader({ alg: options.alg ?? "HS256", typ: "JWT" })
    .setIssuedAt();
  jwt.setExpirationTime(options.exp ?? "10m");
  return jwt.sign(options.key ?? secret());
}

/** Every protected endpoint must answer the same way; one GET and one write are checked for each token. */
async function expectRejected(token: string | null, detail?: string) {
  for (const [path, method] of [
    ["/notes", "GET"],
    ["/notes", "POST"],
  ] as const) {
    const res = await api(path, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(method === "POST" ? { "content-type": "application/json" } : {}),
      },
      body: method === "POST" ? JSON.stringify({ title: "must not be created" }) : undefined,
    });
    await expectDetail(res, 401, detail);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
  }
}

let user: { email: string; token: string; id: string };

beforeAll(async () => {
  const u = await newUser("bearer");
  user = { ...u, id: await userIdOf(u.email) };
});

describe("bearer authentication", () => {
  it("a token signed here with the server's key and algorithm is accepted (so the rejections below are about the one defect each)", async () => {
    const token = await sign({ sub: user.id });
    expect((await api("/notes", { token })).status).toBe(200);
    expect((await api("/notes", { token: user.token })).status).toBe(200);
  });

  it("no Authorization header: 401 Not authenticated with WWW-Authenticate: Bearer", async () => {
    await expectRejected(null, "Not authenticated");
  });

  it("another scheme or an empty bearer is not authenticated", async () => {
    for (const header of [`Basic ${Buffer.from("a:b").toString("base64")}`, "Bearer", "Bearer ", user.token]) {
      const res = await api("/notes", { headers: { authorization: header } });
      await expectDetail(res, 401, "Not authenticated");
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
    }
  });

  it("a garbage token", async () => {
    await expectRejected("not-a-jwt");
    await expectRejected(randomBytes(40).toString("base64url"));
  });

  it("an unsigned token (alg: none)", async () => {
    const payload = b64({ sub: user.id, typ: "access", exp: Math.floor(Date.now() / 1000) + 600 });
    await expectRejected(`${b64({ alg: "none", typ: "JWT" })}.${payload}.`);
    // and with the signature of a real token glued on
    await expectRejected(`${b64({ alg: "none", typ: "JWT" })}.${payload}.${user.token.split(".")[2]}`);
  });

  it("a token signed with another key", async () => {
    await expectRejected(
      await sign({ sub: user.id }, { key: new TextEncoder().encode(randomBytes(32).toString("hex")) }),
    );
  });

  it("a tampered payload (sub changed to another user)", async () => {
    const other = await newUser("victim");
    const otherId = await userIdOf(other.email);
    const [header, payload, signature] = user.token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    expect(claims.sub).toBe(user.id);
    await expectRejected(`${header}.${b64({ ...claims, sub: otherId })}.${signature}`);
  });

  it("an expired token", async () => {
    await expectRejected(await sign({ sub: user.id }, { exp: Math.floor(Date.now() / 1000) - 60 }));
  });

  it("an HS512 token when HS256 is configured, even with the right key", async () => {
    await expectRejected(await sign({ sub: user.id }, { alg: "HS512" }));
  });

  it("a token without sub, or for a user that does not exist", async () => {
    await expectRejected(await sign({}));
    await expectRejected(await sign({ sub: "no-such-user" }));
  });

  it("a valid token of a user deleted from the database stops working at once", async () => {
    const doomed = await newUser("deleted");
    expect((await api("/notes", { token: doomed.token })).status).toBe(200);
    const { rowCount } = await sql("DELETE FROM users WHERE email = $1", [doomed.email]);
    expect(rowCount).toBe(1);
    await expectRejected(doomed.token);
    // and the account cannot log in any more either
    expect((await login(doomed.email, undefined, { "x-forwarded-for": fakeIp() })).status).toBe(401);
  });

  it("the token's expiry is what the login said", async () => {
    const res = await login(user.email);
    const body = await jsonBody(res);
    const claims = JSON.parse(Buffer.from(body.access_token.split(".")[1], "base64url").toString());
    expect(claims.sub).toBe(user.id);
    expect(claims.exp - claims.iat).toBe(body.expires_in);
    expect(JSON.parse(Buffer.from(body.access_token.split(".")[0], "base64url").toString()).alg).toBe("HS256");
  });
});
