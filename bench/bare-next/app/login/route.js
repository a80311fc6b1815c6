import { fields, reply, work } from "../../lib/work.js";

export async function POST(request) {
  const ip = request.headers.get("x-forwarded-for") ?? "unknown";
  return reply(await work().login(await fields(request), ip));
}
