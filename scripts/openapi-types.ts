// Writes e2e/support/openapi-types.ts, the openapi-typescript client types of /openapi.json, which the REST
// end-to-end tests use (`npm run openapi:types` after changing lib/openapi.ts; lib/openapi.test.ts fails while
// the file is stale). Run with the react-server condition: the document imports server-only modules.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { generatedClientTypes } from "./lib/openapi-client-types";

const target = path.resolve(import.meta.dirname, "../e2e/support/openapi-types.ts");
await writeFile(target, await generatedClientTypes());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
