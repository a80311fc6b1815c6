import { currentUser } from "@/lib/auth/session";
import { forbidden, unauthorized } from "@/lib/errors";
import { apiRoute } from "@/lib/http/handler";
import { exportResponse } from "@/lib/transfer/export-http";

/**
 * The settings page's download, with the browser's session cookie. Browsers that say where a request comes
 * from (Sec-Fetch-Site) must say this site: another site may not start a download of someone's notes.
 */
export const GET = apiRoute("/settings/export/zip", async (request) => {
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") throw forbidden("Cross-site request refused");
  const user = await currentUser();
  if (!user) throw unauthorized("Not authenticated");
  return exportResponse(user.id, request.signal);
});
