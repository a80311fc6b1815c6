import openapiTS, { astToString } from "openapi-typescript";
import { openApiDocument } from "@/lib/openapi";

/** The TypeScript client types of the OpenAPI document (openapi-typescript), as committed in e2e/support. */
export async function generatedClientTypes(): Promise<string> {
  const ast = await openapiTS(JSON.stringify(openApiDocument()));
  return (
    "// Generated from /openapi.json by openapi-typescript (npm run openapi:types). Do not edit.\n" + astToString(ast)
  );
}
