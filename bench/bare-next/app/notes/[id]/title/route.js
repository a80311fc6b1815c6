import { fields, reply, userOf, work } from "../../../../lib/work.js";

export async function PUT(request, { params }) {
  const user = await userOf(request);
  if (!user) return reply(work().unauthorized());
  const { id } = await params;
  if (!/^\d+$/.test(id)) return reply({ status: 404, body: { detail: "Note not found" } });
  return reply(await work().updateTitle(user, Number(id), await fields(request)));
}
