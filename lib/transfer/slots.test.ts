import { describe, expect, it } from "vitest";
import { EXPORTS_PER_PROCESS, EXPORTS_PER_USER, takeExportSlot } from "@/lib/transfer/slots";

describe("export slots", () => {
  it("lets a user run EXPORTS_PER_USER exports at once, and another one once a slot is given back", () => {
    const held = Array.from({ length: EXPORTS_PER_USER }, () => takeExportSlot("alice"));
    expect(() => takeExportSlot("alice")).toThrow(expect.objectContaining({ kind: "rate_limited" }));
    const bob = takeExportSlot("bob");
    held[0]!();
    held[0]!(); // giving back twice frees one slot only
    const again = takeExportSlot("alice");
    expect(() => takeExportSlot("alice")).toThrow(expect.objectContaining({ kind: "rate_limited" }));
    for (const release of [again, held[1]!, bob]) release();
  });

  it("holds the whole process to EXPORTS_PER_PROCESS, whoever asks", () => {
    const held = Array.from({ length: EXPORTS_PER_PROCESS }, (_, i) => takeExportSlot(`user-${i}`));
    expect(() => takeExportSlot("someone-else")).toThrow(
      expect.objectContaining({ kind: "rate_limited", extra: { retryAfterSeconds: 10 } }),
    );
    for (const release of held) release();
    takeExportSlot("someone-else")();
  });
});
