import { requireApiUser } from "@/lib/http/bearer";
import { readFields } from "@/lib/http/body";
import { apiRoute } from "@/lib/http/handler";
import { json } from "@/lib/http/problem";
import { apiStartImportSchema, toApiImport } from "@/lib/transfer/import-rest";
import { startImport } from "@/lib/transfer/imports";
import { parseInput } from "@/lib/validation";

/** Starts importing an archive uploaded with POST /imports/uploads; poll GET /imports/{id} for its progress. */
export const POST = apiRoute("/imports", async (request) => {
  const user = await requireApiUser(request, "write");
  const { key } = parseInput(apiStartImportSchema, await readFields(request, ["json"]));
  return json(toApiImport(await startImport(user.id, key)), { status: 202 });
});
