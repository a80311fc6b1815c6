import { describe, expect, it } from "vitest";
import { fastApiIssue } from "@/lib/http/fastapi";

describe("fastApiIssue", () => {
  it("locates a field by its name: path, query or body", () => {
    expect(fastApiIssue({ path: ["id"], message: "m", type: "t" }).loc).toEqual(["path", "id"]);
    expect(fastApiIssue({ path: ["before"], message: "m", type: "t" }).loc).toEqual(["query", "before"]);
    expect(fastApiIssue({ path: ["fileKey"], message: "m", type: "t" }).loc).toEqual(["body", "file_key"]);
  });

  it("puts `tag` in the query (GET /notes?tag=) unless the issue says it is the path's (/tags/{tag})", () => {
    expect(fastApiIssue({ path: ["tag"], message: "m", type: "t" }).loc).toEqual(["query", "tag"]);
    expect(fastApiIssue({ path: ["tag"], message: "m", type: "t", in: "path" }).loc).toEqual(["path", "tag"]);
  });
});
