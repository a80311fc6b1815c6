import { encode } from "next-auth/jwt";
import { describe, expect, it, vi } from "vitest";

vi.mock("@/lib/config", () => ({ config: () => ({ SECRET_KEY: "0123456789abcdef0123456789abcdef" }) }));

const { authSecret, sessionClaims } = await import("./session-cookie");

const PLAIN = "authjs.session-token";
const SECURE = "__Secure-authjs.session-token";
const claims = { sub: "u1", sid: "s1", sv: 3 };
const token = (name: string, over: object = {}, maxAge = 3600) =>
  encode({ token: { ...claims, ...over }, secret: authSecret(), salt: name, maxAge });

describe("sessionClaims", () => {
  it("reads the session of the plain (HTTP) and the __Secure- (HTTPS) cookie", async () => {
    expect(await sessionClaims(`theme=dark; ${PLAIN}=${await token(PLAIN)}`)).toMatchObject(claims);
    expect(await sessionClaims(`${SECURE}=${await token(SECURE, { sid: "s2" })}`)).toMatchObject({ sid: "s2" });
  });

  it("refuses no cookie, a token sealed for the other cookie name, a tampered one and an expired one", async () => {
    expect(await sessionClaims(null)).toBeNull();
    expect(await sessionClaims("theme=dark")).toBeNull();
    expect(await sessionClaims(`${PLAIN}=${await token(SECURE)}`)).toBeNull();
    const good = await token(PLAIN, { sid: "s3" });
    expect(await sessionClaims(`${PLAIN}=${good.slice(0, -4)}AAAA`)).toBeNull();
    expect(await sessionClaims(`${PLAIN}=${await token(PLAIN, { sid: "s4" }, -60)}`)).toBeNull();
  });

  it("answers the same claims again for the same cookie", async () => {
    const cookie = `${PLAIN}=${await token(PLAIN, { sid: "s5" })}`;
    expect(await sessionClaims(cookie)).toMatchObject({ sid: "s5" });
    expect(await sessionClaims(cookie)).toMatchObject({ sid: "s5" });
  });
});
