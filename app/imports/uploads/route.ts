import { config } from "@/lib/config";
import { toApiPresignedUpload } from "@/lib/files/rest";
import { requireApiUser } from "@/lib/http/bearer";
import { readFields } from "@/lib/http/body";
import { apiRoute } from "@/lib/http/handler";
import { json } from "@/lib/http/problem";
import { apiImportUploadRequestSchema } from "@/lib/transfer/import-rest";
import { presignImportUpload } from "@/lib/transfer/imports";
import { parseInput } from "@/lib/validation";

/** A presigned POST for an archive to import (a zip, up to IMPORT_MAX_BYTES), sent straight to S3. */
export const POST = apiRoute("/imports/uploads", async (request) => {
  const user = await requireApiUser(request, "write");
  const input = parseInput(
    apiImportUploadRequestSchema(config().IMPORT_MAX_BYTES),
    await readFields(request, ["json"]),
  );
  return json(toApiPresignedUpload(await presignImportUpload(user.id, input)));
});
