import { apiUploadRequestSchema, toApiPresignedUpload } from "@/lib/files/rest";
import { uploadLimits } from "@/lib/files/upload-limits";
import { presignUpload } from "@/lib/files/uploads";
import { requireApiUser } from "@/lib/http/bearer";
import { readFields } from "@/lib/http/body";
import { apiRoute } from "@/lib/http/handler";
import { json } from "@/lib/http/problem";
import { parseInput } from "@/lib/validation";

/** Direct upload: a presigned POST the client sends the bytes to; then attach `key` as `file_key`. */
export const POST = apiRoute("/uploads", async (request) => {
  const user = await requireApiUser(request);
  const { maxBytes, allowedTypes } = uploadLimits();
  const input = parseInput(apiUploadRequestSchema(maxBytes, allowedTypes), await readFields(request, ["json"]));
  return json(toApiPresignedUpload(await presignUpload(user.id, input)));
});
