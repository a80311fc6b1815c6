import { describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { errorResponse, isDatabaseUnavailable } from "@/lib/http/problem";

describe("isDatabaseUnavailable", () => {
  it("recognises pg's refusal to query on a client whose connection broke mid-transaction", () => {
    // Seen when PostgreSQL restarts under load (e2e/faults/postgres-restart.test.ts): pg throws it locally,
    // without a code, for the next statement of a transaction whose connection was terminated.
    expect(isDatabaseUnavailable(new Error("Client has encountered a connection error and is not queryable"))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(new Error("Client was closed and is not queryable"))).toBe(true);
    expect(
      isDatabaseUnavailable(new Error("wrapped", { cause: new Error("Connection terminated unexpectedly") })),
    ).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("x"), { code: "57P01" }))).toBe(true);
  });

  it("recognises a transaction that outlived its timeout (P2028), e.g. behind a row lock held elsewhere", () => {
    const expired = new Prisma.PrismaClientKnownRequestError(
      "Transaction API error: A commit cannot be executed on an expired transaction. The timeout for this transaction was 5000 ms",
      { code: "P2028", clientVersion: "7" },
    );
    expect(isDatabaseUnavailable(expired)).toBe(true);
  });

  it("leaves other errors alone", () => {
    expect(isDatabaseUnavailable(new Error('relation "notes" does not exist'))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error("x"), { code: "23505" }))).toBe(false);
  });

  it("answers 503 with a detail and Retry-After", async () => {
    const res = errorResponse(new Error("Client has encountered a connection error and is not queryable"));
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(await res.json()).toEqual({ detail: "Database is unavailable, try again later" });
  });
});
