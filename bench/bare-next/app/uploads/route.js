import { fields, reply, userOf, work } from "../../lib/work.js";

export async function POST(request) {
  const user = await userOf(request);
  if (!user) return reply(work().unauthorized());
  return reply(await work().presignUpload(user, await fields(request)));
}
