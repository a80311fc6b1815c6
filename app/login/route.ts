import { issueAccessToken } from "@/lib/auth/api-token";
import { readFields } from "@/lib/http/body";
import { apiRoute, clientIp } from "@/lib/http/handler";
import { json } from "@/lib/http/problem";
import { loginRequestSchema } from "@/lib/users/schema";
import { authenticate } from "@/lib/users/service";
import { parseInput } from "@/lib/validation";

/** OAuth2 password flow as the original: form `username` + `password`; JSON with `email` or `username` too. */
export const POST = apiRoute("/login", async (request) => {
  const { username, password } = parseInput(loginRequestSchema, await readFields(request), "body");
  const user = await authenticate({ email: username, password }, clientIp());
  const token = await issueAccessToken(user.id, user.sessionVersion);
  return json({ access_token: token.accessToken, token_type: "bearer", expires_in: token.expiresIn });
});
