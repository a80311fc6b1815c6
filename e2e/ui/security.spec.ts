import type { Page } from "@playwright/test";
import { expect, signUp, test } from "./fixtures";
import { PNG_8x8 } from "./storage";

/**
 * The browser side of the response headers: the app's Content-Security-Policy (a nonce per response,
 * lib/http/csp.ts) lets every page work, uploads to S3 and previews from S3 included, with not one violation;
 * and over HTTPS (the operations test runs this file through NGINX) the session cookie is a Secure,
 * __Secure- prefixed cookie.
 */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test("every page works under the Content-Security-Policy, without a violation", async ({ page, baseURL }) => {
  const violations = watchCsp(page);

  const landing = await page.goto("/");
  const policy = landing!.headers()["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  expect(nonce, policy).toBeTruthy();
  expect(policy).toContain("'strict-dynamic'");
  expect(policy).toContain("frame-ancestors 'none'");
  // Next.js put the nonce on its scripts; the policy allows nothing else.
  const scripts = await page.locator("script").evaluateAll((els) => els.map((el) => (el as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.every((n) => n === nonce)).toBe(true);
  // A new response, a new nonce.
  const again = await page.goto("/signin");
  expect(again!.headers()["content-security-policy"]).not.toContain(`'nonce-${nonce}'`);

  // The upload goes from the browser to S3 (connect-src), the preview comes from S3 (img-src).
  await signUp(page);
  await page.getByLabel("Title").fill("Under the policy");
  await page.getByLabel("File").setInputFiles({ name: "pixel.png", mimeType: "image/png", buffer: PNG_8x8 });
  await page.getByRole("button", { name: "Add note" }).click();
  const preview = page
    .getByRole("article", { name: "Under the policy" })
    .getByRole("img", { name: "Preview of pixel.png" });
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(8);

  // The note page, a missing page and the API reference (its own policy, no user content).
  await page.getByRole("link", { name: "Under the policy" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Under the policy" })).toBeVisible();
  await page.goto("/no-such-page");
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  await page.goto("/docs");
  await expect(page.getByText("CloudNotes API").first()).toBeVisible();
  await expect(
    page
      .locator("#app")
      .getByText(/register/i)
      .first(),
  ).toBeVisible();

  expect(violations, `on ${baseURL}`).toEqual([]);
});

test("over HTTPS the session cookie is Secure and __Secure- prefixed", async ({ page, context, baseURL }) => {
  test.skip(!baseURL?.startsWith("https:"), "HTTPS deployments only (the operations test runs it through NGINX)");
  await signUp(page);
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name.endsWith("authjs.session-token"));
  expect(session?.name).toBe("__Secure-authjs.session-token");
  expect(session!.secure).toBe(true);
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe("Lax");
  // No cookie of the app goes over plain HTTP.
  expect(cookies.filter((c) => c.name.includes("authjs") && !c.secure)).toEqual([]);
});
