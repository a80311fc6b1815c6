import { config } from "@/lib/config";
import { apiRoute, clientIp } from "@/lib/http/handler";
import { currentRequest } from "@/lib/request-context";
import { json } from "@/lib/http/problem";
import { metrics } from "@/lib/metrics";
import { registerCollectors } from "@/lib/ops/collectors";
import { mayReadMetrics } from "@/lib/ops/metrics-access";

export const dynamic = "force-dynamic";

/** Prometheus metrics: for a scraper on this host, or with `Authorization: Bearer $METRICS_TOKEN`. */
export const GET = apiRoute("/metrics", async (request) => {
  const access = {
    clientIp: clientIp(),
    // From the server's view of the request: Next.js adds X-Forwarded-For to every request it hands on.
    forwarded: currentRequest()?.viaProxy ?? true,
    authorization: request.headers.get("authorization"),
  };
  if (!mayReadMetrics(access, config().METRICS_TOKEN)) return json({ detail: "Not authorized" }, { status: 403 });
  registerCollectors();
  const { registry } = metrics();
  return new Response(await registry.metrics(), {
    headers: { "content-type": registry.contentType, "cache-control": "no-store" },
  });
});
