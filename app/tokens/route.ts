import { newTokenRequestSchema, toApiToken } from "@/lib/auth/personal-token-api";
import { createPersonalToken, listPersonalTokens } from "@/lib/auth/personal-tokens";
import { requireApiUser } from "@/lib/http/bearer";
import { readFields } from "@/lib/http/body";
import { apiRoute } from "@/lib/http/handler";
import { json } from "@/lib/http/problem";
import { parseInput } from "@/lib/validation";

/** Managing personal access tokens takes a password-login JWT ("account"), never a personal token. */

export const GET = apiRoute("/tokens", async (request) => {
  const user = await requireApiUser(request, "account");
  return json((await listPersonalTokens(user.id)).map(toApiToken));
});

export const POST = apiRoute("/tokens", async (request) => {
  const user = await requireApiUser(request, "account");
  const body = parseInput(newTokenRequestSchema, await readFields(request, ["json"]), "body");
  const { token, info } = await createPersonalToken(user.id, {
    name: body.name,
    scope: body.scope,
    expiresInDays: body.expires_in_days,
  });
  return json({ ...toApiToken(info), token }, { status: 201 });
});
