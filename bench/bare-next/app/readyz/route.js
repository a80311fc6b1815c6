import { reply, work } from "../../lib/work.js";

export const dynamic = "force-dynamic";

export async function GET() {
  await work().ready();
  return reply({ status: 200, body: { ready: true } });
}
