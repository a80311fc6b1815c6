import { issueAccessToken } from "@/lib/auth/api-token";
import { loginFormSchema, toApiToken } from "@/lib/auth/contract";
import { readFields } from "@/lib/http/body";
import { apiRoute, clientIp } from "@/lib/http/handler";
import { json } from "@/lib/http/problem";
import { authenticate } from "@/lib/users/service";
import { parseInput } from "@/lib/validation";

/** OAuth2 password flow as the original: form `username` + `password`; JSON with `email` or `username` too. */
export const POST = apiRoute("/login", async (request) => {
  const { username, password } = parseInput(loginFormSchema, await readFields(request));
  const user = await authenticate({ email: username, password }, clientIp());
  return json(toApiToken(await issueAccessToken(user.id, user.sessionVersion)));
});
