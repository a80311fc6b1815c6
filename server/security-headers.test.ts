import http from "node:http";
import { describe, expect, it } from "vitest";
import { setSecurityHeaders } from "./security-headers";

describe("setSecurityHeaders", () => {
  it("sets nosniff and the same Referrer-Policy as system/nginx.conf", async () => {
    const res = new http.ServerResponse(new http.IncomingMessage(null as never));
    setSecurityHeaders(res);
    expect(res.getHeader("x-content-type-options")).toBe("nosniff");
    const nginx = await import("node:fs").then((fs) =>
      fs.readFileSync(new URL("../system/nginx.conf", import.meta.url), "utf8"),
    );
    const value = /add_header Referrer-Policy "([^"]+)"/.exec(nginx)?.[1];
    expect(res.getHeader("referrer-policy")).toBe(value);
  });
});
