import { requireApiUser } from "@/lib/http/bearer";
import { apiRoute } from "@/lib/http/handler";
import { exportResponse } from "@/lib/transfer/export-http";

export const GET = apiRoute("/export", async (request) => {
  const user = await requireApiUser(request, "read");
  return exportResponse(user.id, request.signal);
});
