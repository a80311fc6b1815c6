import { reply } from "../../lib/work.js";

export const dynamic = "force-dynamic";

export function GET() {
  return reply({ status: 200, body: { status: "ok" } });
}
