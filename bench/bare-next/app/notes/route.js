import { fields, reply, userOf, work } from "../../lib/work.js";

export const dynamic = "force-dynamic";

export async function GET(request) {
  const user = await userOf(request);
  if (!user) return reply(work().unauthorized());
  return reply(await work().listNotes(user, new URL(request.url).searchParams));
}

export async function POST(request) {
  const user = await userOf(request);
  if (!user) return reply(work().unauthorized());
  return reply(await work().createNote(user, await fields(request)));
}
