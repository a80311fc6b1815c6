import { requireApiUser } from "@/lib/http/bearer";
import { apiRoute } from "@/lib/http/handler";
import { json } from "@/lib/http/problem";
import { listTags } from "@/lib/notes/tag-service";

export const GET = apiRoute("/tags", async (request) => {
  const user = await requireApiUser(request, "read");
  return json(await listTags(user.id));
});
