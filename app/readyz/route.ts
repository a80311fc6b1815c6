import { apiRoute } from "@/lib/http/handler";
import { json } from "@/lib/http/problem";
import { readiness } from "@/lib/ops/readiness";

export const dynamic = "force-dynamic";

/** Readiness: PostgreSQL and S3 reachable and not shutting down. */
export const GET = apiRoute("/readyz", async () => {
  const r = await readiness();
  return json({ status: r.ready ? "ready" : "unavailable", checks: r.checks }, { status: r.ready ? 200 : 503 });
});
