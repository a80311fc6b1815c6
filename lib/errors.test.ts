import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DomainError, issuesFromZod, validationError } from "@/lib/errors";
import { fastApiIssue } from "@/lib/http/fastapi";

const schema = z.strictObject({
  title: z.string().min(1, "Title cannot be empty").max(5, "Title is too long"),
  email: z.email("Not an email"),
  count: z.number().int().min(1, "Too few"),
  tags: z.array(z.string()).max(2, "Too many tags"),
  nested: z.object({ name: z.string() }),
});

/** Issues of an input as lib/validation.ts produces them (safeParse with reportInput), as the REST API answers them. */
function issues(input: unknown) {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) throw new Error("expected a validation failure");
  return issuesFromZod(result.error).map(fastApiIssue);
}

const valid = { title: "ok", email: "a@example.com", count: 1, tags: [], nested: { name: "n" } };

describe("issuesFromZod", () => {
  it("reports absent fields as FastAPI's `missing`, located under where", () => {
    const { title: _t, nested: _n, ...input } = valid;
    expect(issues(input)).toEqual([
      { loc: ["body", "title"], msg: "Field required", type: "missing" },
      { loc: ["body", "nested"], msg: "Field required", type: "missing" },
    ]);
    expect(issues({ ...valid, nested: {} })).toEqual([
      { loc: ["body", "nested", "name"], msg: "Field required", type: "missing" },
    ]);
  });

  it("reports a present field of the wrong type as <type>_type, not as missing (null included)", () => {
    expect(issues({ ...valid, title: 12, count: "3", nested: null })).toEqual([
      { loc: ["body", "title"], msg: expect.any(String), type: "string_type" },
      { loc: ["body", "count"], msg: expect.any(String), type: "number_type" },
      { loc: ["body", "nested"], msg: expect.any(String), type: "object_type" },
    ]);
  });

  it("maps lengths, formats, sizes and unknown keys to FastAPI's types with the schema's messages", () => {
    expect(issues({ ...valid, title: "" })).toEqual([
      { loc: ["body", "title"], msg: "Title cannot be empty", type: "string_too_short" },
    ]);
    expect(issues({ ...valid, title: "toolong" })).toEqual([
      { loc: ["body", "title"], msg: "Title is too long", type: "string_too_long" },
    ]);
    expect(issues({ ...valid, email: "nope" })).toEqual([
      { loc: ["body", "email"], msg: "Not an email", type: "value_error" },
    ]);
    expect(issues({ ...valid, count: 0 })).toEqual([{ loc: ["body", "count"], msg: "Too few", type: "too_short" }]);
    expect(issues({ ...valid, tags: ["a", "b", "c"] })).toEqual([
      { loc: ["body", "tags"], msg: "Too many tags", type: "too_long" },
    ]);
    expect(issues({ ...valid, extra: 1 })).toEqual([
      { loc: ["body"], msg: expect.stringContaining("extra"), type: "extra_forbidden" },
    ]);
  });

  it("keeps array indexes as numbers in loc", () => {
    expect(issues({ ...valid, tags: ["a", 2] })).toEqual([
      { loc: ["body", "tags", 1], msg: expect.any(String), type: "string_type" },
    ]);
  });

  it("reports a whole missing body as one missing issue at the root", () => {
    expect(issues(undefined)).toEqual([{ loc: ["body"], msg: "Field required", type: "missing" }]);
  });
});

describe("validationError", () => {
  it("is a DomainError of kind validation that carries the issues and names the fields", () => {
    const list = [
      { path: ["title"], message: "Field required", type: "missing" },
      { path: ["limit"], message: "Too big", type: "too_long" },
    ];
    const error = validationError(list);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.kind).toBe("validation");
    expect(error.extra.issues).toEqual(list);
    expect(error.message).toBe("title: Field required; limit: Too big");
  });

  it("is located at the REST edge in FastAPI's terms: path and query parameters, snake_case body fields", () => {
    const list = [
      { path: ["title"], message: "Field required", type: "missing" },
      { path: ["limit"], message: "Too big", type: "too_long" },
      { path: ["id"], message: "Not an integer", type: "int_parsing" },
      { path: ["fileKey"], message: "Too long", type: "string_too_long" },
    ];
    expect(validationError(list).extra.issues!.map(fastApiIssue)).toEqual([
      { loc: ["body", "title"], msg: "Field required", type: "missing" },
      { loc: ["query", "limit"], msg: "Too big", type: "too_long" },
      { loc: ["path", "id"], msg: "Not an integer", type: "int_parsing" },
      { loc: ["body", "file_key"], msg: "Too long", type: "string_too_long" },
    ]);
  });
});
