import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "@/lib/notes/cursor";
import { NOTE_ID_MAX } from "@/lib/notes/schema";

/** A cursor as a client could forge it: any JSON, base64url-encoded like the real ones. */
const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("keyset cursor", () => {
  it("round-trips (created_at, id) with millisecond precision", () => {
    const position = { createdAt: new Date("2026-03-04T05:06:07.891Z"), id: 42 };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/); // URL-safe, no padding
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it("round-trips the extremes of the id column", () => {
    for (const id of [1, NOTE_ID_MAX]) {
      const position = { createdAt: new Date(0), id };
      expect(decodeCursor(encodeCursor(position))).toEqual(position);
    }
  });

  it("answers null for garbage", () => {
    for (const cursor of ["", "!!!", "not a cursor", "%%%", "eyJ", "a".repeat(200), "\u0000"]) {
      expect(decodeCursor(cursor), JSON.stringify(cursor)).toBeNull();
    }
  });

  it("answers null for well-encoded JSON of the wrong shape", () => {
    for (const value of [
      null,
      {},
      [],
      "2026-01-01T00:00:00.000Z",
      ["2026-01-01T00:00:00.000Z"],
      [42, "2026-01-01T00:00:00.000Z"],
      ["2026-01-01T00:00:00.000Z", 42, "extra"],
      { createdAt: "2026-01-01T00:00:00.000Z", id: 42 },
      ["2026-01-01T00:00:00.000Z", "42"],
      ["2026-01-01T00:00:00.000Z", 1.5],
      ["2026-01-01T00:00:00.000Z", null],
    ]) {
      expect(decodeCursor(forge(value)), JSON.stringify(value)).toBeNull();
    }
  });

  it("answers null for an id that no note can have (zero, negative, beyond the integer column)", () => {
    for (const id of [0, -1, -42, NOTE_ID_MAX + 1, 99_999_999_999, Number.MAX_SAFE_INTEGER + 2]) {
      expect(decodeCursor(forge(["2026-01-01T00:00:00.000Z", id])), String(id)).toBeNull();
    }
  });

  it("answers null for an invalid or non-UTC date", () => {
    for (const date of [
      "2026-02-30T00:00:00.000Z",
      "2026-13-01T00:00:00.000Z",
      "2026-01-01T25:00:00.000Z",
      "2026-01-01",
      "yesterday",
      "",
      "2026-01-01T00:00:00.000+02:00",
      1767225600000,
    ]) {
      expect(decodeCursor(forge([date, 1])), JSON.stringify(date)).toBeNull();
    }
  });
});
