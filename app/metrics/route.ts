import { timingSafeEqual } from "node:crypto";
import proxyaddr from "proxy-addr";
import { config } from "@/lib/config";
import { apiRoute, clientIp } from "@/lib/http/handler";
import { json } from "@/lib/http/problem";
import { metrics } from "@/lib/metrics";
import { registerCollectors } from "@/lib/ops/collectors";

export const dynamic = "force-dynamic";

const isLoopback = proxyaddr.compile("loopback");

function authorised(request: Request): boolean {
  if (isLoopback(clientIp(), 0)) return true;
  const token = config().METRICS_TOKEN;
  const given = request.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? "";
  return !!token && given.length === token.length && timingSafeEqual(Buffer.from(given), Buffer.from(token));
}

/** Prometheus metrics: from localhost, or with `Authorization: Bearer $METRICS_TOKEN`. */
export const GET = apiRoute("/metrics", async (request) => {
  if (!authorised(request)) return json({ detail: "Not authorized" }, { status: 403 });
  registerCollectors();
  const { registry } = metrics();
  return new Response(await registry.metrics(), {
    headers: { "content-type": registry.contentType, "cache-control": "no-store" },
  });
});
