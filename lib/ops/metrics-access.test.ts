import { describe, expect, it } from "vitest";
import { mayReadMetrics } from "@/lib/ops/metrics-access";

const token = "0123456789abcdef0123";

describe("mayReadMetrics", () => {
  it("lets a scraper on this host read the instance directly", () => {
    expect(mayReadMetrics({ clientIp: "127.0.0.1", forwarded: false, authorization: null }, undefined)).toBe(true);
    expect(mayReadMetrics({ clientIp: "::1", forwarded: false, authorization: null }, token)).toBe(true);
  });

  it("treats anything that came through the proxy as remote, even from a loopback client", () => {
    expect(mayReadMetrics({ clientIp: "127.0.0.1", forwarded: true, authorization: null }, token)).toBe(false);
    expect(
      mayReadMetrics({ clientIp: "127.0.0.1", forwarded: true, authorization: "Bearer wrong-token-of-20c" }, token),
    ).toBe(false);
    expect(mayReadMetrics({ clientIp: "203.0.113.7", forwarded: true, authorization: `Bearer ${token}` }, token)).toBe(
      true,
    );
  });

  it("refuses remote clients without the right token, and everyone remote when no token is configured", () => {
    expect(mayReadMetrics({ clientIp: "10.0.0.9", forwarded: false, authorization: null }, token)).toBe(false);
    expect(mayReadMetrics({ clientIp: "10.0.0.9", forwarded: false, authorization: `Bearer ${token}x` }, token)).toBe(
      false,
    );
    expect(mayReadMetrics({ clientIp: "10.0.0.9", forwarded: false, authorization: "Bearer " }, undefined)).toBe(false);
  });
});
