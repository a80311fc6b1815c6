import { apiNewPersonalTokenSchema, toApiPersonalToken } from "@/lib/auth/contract";
import { createPersonalToken, listPersonalTokens } from "@/lib/auth/personal-tokens";
import { requireApiUser } from "@/lib/http/bearer";
import { readFields } from "@/lib/http/body";
import { apiRoute } from "@/lib/http/handler";
import { json } from "@/lib/http/problem";
import { parseInput } from "@/lib/validation";

/** Managing personal access tokens takes a password-login JWT ("account"), never a personal token. */

export const GET = apiRoute("/tokens", async (request) => {
  const user = await requireApiUser(request, "account");
  return json((await listPersonalTokens(user.id)).map(toApiPersonalToken));
});

export const POST = apiRoute("/tokens", async (request) => {
  const user = await requireApiUser(request, "account");
  const input = parseInput(apiNewPersonalTokenSchema, await readFields(request, ["json"]));
  const { token, info } = await createPersonalToken(user.id, input);
  return json({ ...toApiPersonalToken(info), token }, { status: 201 });
});
