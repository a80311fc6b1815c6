import { requireApiUser } from "@/lib/http/bearer";
import { apiRoute } from "@/lib/http/handler";
import { json } from "@/lib/http/problem";
import { toApiImport } from "@/lib/transfer/import-rest";
import { getImport } from "@/lib/transfer/imports";

/** An import's progress and result. */
export const GET = apiRoute("/imports/[id]", async (request, { params }: RouteContext<"/imports/[id]">) => {
  const user = await requireApiUser(request, "read");
  return json(toApiImport(await getImport(user.id, (await params).id)));
});
