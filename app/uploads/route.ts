import { presignUpload } from "@/lib/files/uploads";
import { requireApiUser } from "@/lib/http/bearer";
import { readFields } from "@/lib/http/body";
import { apiRoute } from "@/lib/http/handler";
import { json } from "@/lib/http/problem";

/** Direct upload: a presigned POST the client sends the bytes to; then attach `key` as `file_key`. */
export const POST = apiRoute("/uploads", async (request) => {
  const user = await requireApiUser(request, "write");
  const fields = await readFields(request, ["json"]);
  return json(await presignUpload(user.id, fields));
});
