import { describe, expect, it } from "vitest";
import { isValidHost } from "./http-guards";

describe("isValidHost", () => {
  const valid = ["localhost:3000", "127.0.0.1", "notes.example.com", "[::1]:3000", "a_b.internal"];
  const invalid = ["", "a b", "[::1]:99999", "host/path", "user@host", "[zz]"];

  it("accepts bare authorities and refuses anything else, the same on every call", () => {
    for (let round = 0; round < 3; round++) {
      for (const host of valid) expect(isValidHost(host), host).toBe(true);
      for (const host of invalid) expect(isValidHost(host), host).toBe(false);
    }
    expect(isValidHost(undefined)).toBe(true);
    expect(isValidHost(["a", "b"])).toBe(false);
  });

  it("keeps its answers after more distinct hosts than it remembers", () => {
    for (let i = 0; i < 200; i++) expect(isValidHost(`host-${i}.example:${1000 + i}`)).toBe(true);
    for (const host of valid) expect(isValidHost(host), host).toBe(true);
    for (const host of invalid) expect(isValidHost(host), host).toBe(false);
  });
});
