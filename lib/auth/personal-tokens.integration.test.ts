import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { setUpLibServices } from "../../e2e/support/lib-services";
import {
  checkPersonalToken,
  createPersonalToken,
  listPersonalTokens,
  revokePersonalToken,
} from "@/lib/auth/personal-tokens";
import { asDomainError } from "@/lib/http/problem";
import { registerUser } from "@/lib/users/service";

/** lib/auth/personal-tokens.ts against real PostgreSQL: a token works until its owner revokes it. */

await setUpLibServices();

const newUser = () => registerUser({ email: `${randomBytes(6).toString("hex")}@example.com`, password: "a password" });

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return asDomainError(error)?.kind;
  }
  return "succeeded";
}

describe("personal access tokens", () => {
  it("work from creation until revoked, and are listed without their secret", async () => {
    const user = await newUser();
    const { token, info } = await createPersonalToken(user.id, { name: "backup script", scope: "read" });
    expect(await checkPersonalToken(token)).toEqual({ ok: true, user, scope: "read" });
    const listed = await listPersonalTokens(user.id);
    // The check above is recorded as the token's last use.
    expect(listed).toEqual([{ ...info, lastUsedAt: expect.any(Date) }]);
    expect(JSON.stringify(listed)).not.toContain(token);

    await revokePersonalToken(user.id, info.id);
    expect(await checkPersonalToken(token)).toEqual({ ok: false, reason: "invalid" });
    expect(await listPersonalTokens(user.id)).toEqual([]);
    expect(await failure(revokePersonalToken(user.id, info.id))).toBe("not_found");
  });

  it("are revoked by their owner only", async () => {
    const [owner, other] = [await newUser(), await newUser()];
    const { token, info } = await createPersonalToken(owner.id, { name: "ci", scope: "write" });
    expect(await failure(revokePersonalToken(other.id, info.id))).toBe("not_found");
    expect(await checkPersonalToken(token)).toMatchObject({ ok: true, scope: "write" });
  });

  it("answer an id that cannot be a token's with not found", async () => {
    const user = await newUser();
    for (const id of ["", "1", "x".repeat(10_000), randomUUID()]) {
      expect(await failure(revokePersonalToken(user.id, id))).toBe("not_found");
    }
  });
});
