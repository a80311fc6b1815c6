import { json } from "@/lib/http/problem";
import { openApiDocument } from "@/lib/openapi";

export function GET(): Response {
  return json(openApiDocument());
}
