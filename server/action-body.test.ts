import { describe, expect, it } from "vitest";
import { formReplyRefusal, jsonDepth, MAX_REPLY_DEPTH, textReplyRefusal } from "./action-body";

const utf8 = (s: string) => new TextEncoder().encode(s);
const nested = (n: number) => `[${"[".repeat(n - 1)}${"]".repeat(n - 1)}]`;

describe("jsonDepth", () => {
  it("counts arrays and objects, not brackets inside strings", () => {
    expect(jsonDepth("1")).toBe(0);
    expect(jsonDepth('[{"a":[1]},[]]')).toBe(3);
    expect(jsonDepth('["[[[[", "\\"[[[", {"}": "{{"}]')).toBe(2);
  });

  it("stops counting past the bound (a 50,000-deep body costs one pass, no recursion)", () => {
    expect(jsonDepth(nested(50_000))).toBe(50_000);
    expect(jsonDepth(nested(50_000), 10)).toBe(11);
  });
});

describe("textReplyRefusal (a fetch action's text body)", () => {
  it("accepts what the browser sends: an argument list of JSON values and references", () => {
    expect(textReplyRefusal(utf8('[{"ok":false},"$K1"]'))).toBeNull();
    expect(textReplyRefusal(utf8("[]"))).toBeNull();
    expect(textReplyRefusal(utf8(`[${nested(MAX_REPLY_DEPTH - 1)}]`))).toBeNull();
  });

  it("refuses bodies React's decoder would throw on", () => {
    expect(textReplyRefusal(Buffer.from([0x5b, 0x22, 0xff, 0xfe, 0x22, 0x5d]))).toMatch(/UTF-8/);
    expect(textReplyRefusal(utf8("[{"))).toMatch(/JSON/);
    expect(textReplyRefusal(utf8("not json"))).toMatch(/JSON/);
    expect(textReplyRefusal(utf8(""))).toMatch(/JSON/);
    expect(textReplyRefusal(utf8(nested(50_000)))).toMatch(/nested/);
    expect(textReplyRefusal(utf8(`[${nested(MAX_REPLY_DEPTH)}]`))).toMatch(/nested/);
    expect(textReplyRefusal(utf8('{"a":1}'))).toMatch(/list/);
    expect(textReplyRefusal(utf8('"$K1"'))).toMatch(/list/);
    expect(textReplyRefusal(utf8(`[${"0,".repeat(1000)}0]`))).toMatch(/Too many/);
  });

  it('takes the plain values React writes with a "$", refuses references it cannot resolve', () => {
    const plain = [
      "$$escaped",
      "$undefined",
      "$NaN",
      "$-Infinity",
      "$-0",
      "$n123",
      "$D2026-01-01T00:00:00.000Z",
      "$K1",
    ];
    expect(textReplyRefusal(utf8(JSON.stringify([{ ok: false, values: plain }, "$K1"])))).toBeNull();
    for (const ref of ["$1", "$@1", "$1:a:b", "$Q1", "$W1", "$F1", "$T", "$h1", "$B1", "$l1", "$R1", "$Z", "$"]) {
      expect({ ref, refusal: textReplyRefusal(utf8(JSON.stringify([{ a: [ref] }]))) }).toEqual({
        ref,
        refusal: "Unsupported server action argument",
      });
    }
  });
});

describe("formReplyRefusal (multipart actions)", () => {
  const form = (entries: [string, string][]) => {
    const f = new FormData();
    for (const [n, v] of entries) f.append(n, v);
    return f;
  };

  it("a fetch action: row 0 is the argument list, other numbered rows JSON; prefixed form fields are data", () => {
    expect(
      formReplyRefusal(
        form([
          ["0", '[{"ok":false},"$K1"]'],
          ["1_email", "[[[[{{"],
          ["1_password", "x"],
        ]),
        true,
      ),
    ).toBeNull();
    expect(formReplyRefusal(form([["1_email", "a"]]), true)).toMatch(/missing/);
    expect(formReplyRefusal(form([["0", '{"a":1}']]), true)).toMatch(/list/);
    expect(
      formReplyRefusal(
        form([
          ["0", '["$1"]'],
          ["1", nested(50_000)],
        ]),
        true,
      ),
    ).toMatch(/nested/);
    expect(
      formReplyRefusal(
        form([
          ["0", '["$1"]'],
          ["1", "{"],
        ]),
        true,
      ),
    ).toMatch(/JSON/);
    // References to rows: "$a" is row 10 (ids are written in hex); a row that is not there is refused.
    expect(
      formReplyRefusal(
        form([
          ["0", '["$1","$@a"]'],
          ["1", "{}"],
          ["10", "[]"],
        ]),
        true,
      ),
    ).toBeNull();
    expect(
      formReplyRefusal(
        form([
          ["0", '["$2"]'],
          ["1", "{}"],
        ]),
        true,
      ),
    ).toMatch(/Unsupported/);
  });

  it("a form posted without JavaScript: the $ACTION_ rows must be JSON of sane depth", () => {
    const descriptor = '{"id":"7f00","bound":"$@1"}';
    expect(
      formReplyRefusal(
        form([
          ["$ACTION_REF_1", ""],
          ["$ACTION_1:0", descriptor],
          ["$ACTION_1:1", '[{"ok":false}]'],
          ["email", "[[["],
        ]),
        false,
      ),
    ).toBeNull();
    expect(
      formReplyRefusal(
        form([
          ["$ACTION_1:0", descriptor],
          ["$ACTION_1:1", nested(50_000)],
        ]),
        false,
      ),
    ).toMatch(/nested/);
    expect(formReplyRefusal(form([["$ACTION_1:0", '{"id":"7f0']]), false)).toMatch(/descriptor/);
    expect(formReplyRefusal(form([["$ACTION_1:0", descriptor]]), false)).toMatch(/Unsupported/);
    // The bound arguments must be a list; the descriptor must name them (or none).
    expect(
      formReplyRefusal(
        form([
          ["$ACTION_1:0", descriptor],
          ["$ACTION_1:1", "null"],
        ]),
        false,
      ),
    ).toMatch(/list/);
    expect(formReplyRefusal(form([["$ACTION_1:0", '{"id":"7f00","bound":null}']]), false)).toBeNull();
    expect(formReplyRefusal(form([["$ACTION_1:0", '{"id":"7f00","bound":5}']]), false)).toMatch(/descriptor/);
    expect(formReplyRefusal(form([["$ACTION_1:0", "[]"]]), false)).toMatch(/descriptor/);
    expect(
      formReplyRefusal(
        form([
          ["$ACTION_1:0", descriptor],
          ["$ACTION_1:1", `[${"0,".repeat(999)}0]`],
        ]),
        false,
      ),
    ).toMatch(/Too many/);
    // Not an action at all (any other multipart POST to a page): nothing to check.
    expect(formReplyRefusal(form([["title", "x"]]), false)).toBeNull();
  });
});
