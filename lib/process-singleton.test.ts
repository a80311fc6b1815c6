import { describe, expect, it, vi } from "vitest";

describe("processSingleton", () => {
  it("creates one instance per name, however often it is asked for", async () => {
    const { processSingleton } = await import("@/lib/process-singleton");
    const create = vi.fn(() => ({ made: Math.random() }));
    const first = processSingleton("test.once", create);
    expect(processSingleton("test.once", create)).toBe(first);
    expect(processSingleton("test.other", () => ({ made: 0 }))).not.toBe(first);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it("gives a second copy of the module (another bundle, a reload) the same instance", async () => {
    const one = await import("@/lib/process-singleton");
    const value = one.processSingleton("test.shared", () => ({ pool: "one" }));
    vi.resetModules();
    const two = await import("@/lib/process-singleton");
    expect(two).not.toBe(one);
    const create = vi.fn(() => ({ pool: "two" }));
    expect(two.processSingleton("test.shared", create)).toBe(value);
    expect(create).not.toHaveBeenCalled();
  });

  it("builds the instance again once a test has forgotten it", async () => {
    const { forgetProcessSingletonForTests, processSingleton } = await import("@/lib/process-singleton");
    const old = processSingleton("test.forgotten", () => ({ endpoint: "a" }));
    forgetProcessSingletonForTests("test.forgotten");
    expect(processSingleton("test.forgotten", () => ({ endpoint: "b" }))).not.toBe(old);
  });
});
