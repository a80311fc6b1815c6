import { json } from "@/lib/http/problem";

export const dynamic = "force-dynamic";

/** Liveness: the process answers. Deliberately checks nothing else, so a database outage does not restart it. */
export function GET(): Response {
  return json({ status: "ok" });
}
