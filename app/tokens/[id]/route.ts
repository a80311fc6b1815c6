import { revokePersonalToken } from "@/lib/auth/personal-tokens";
import { requireApiUser } from "@/lib/http/bearer";
import { apiRoute } from "@/lib/http/handler";
import { json } from "@/lib/http/problem";

export const DELETE = apiRoute("/tokens/[id]", async (request, { params }: RouteContext<"/tokens/[id]">) => {
  const user = await requireApiUser(request, "account");
  await revokePersonalToken(user.id, (await params).id);
  return json({ message: "Token revoked" });
});
