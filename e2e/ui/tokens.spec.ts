import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, openAccountMenu, signUp, test } from "./fixtures";

/**
 * Personal access tokens from the settings page: created with a name, scope and expiry, the secret shown once
 * (gone after a reload), usable by a program at once, and dead at once when revoked.
 */

/** The page passes the same accessibility check as the others (e2e/ui/access.spec.ts), light and dark. */
async function checkAccessibility(page: Page): Promise<void> {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${colorScheme}: ${v.id} ${v.help}`)).toEqual([]);
  }
}

const notes = (token: string) =>
  fetch(`${process.env.E2E_BASE_URL}/notes`, { headers: { authorization: `Bearer ${token}` } });

test("create a token, use it from a program, revoke it", async ({ page }) => {
  await signUp(page);
  await page.getByLabel("Title").fill("Seen through a token");
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByRole("link", { name: "Seen through a token" })).toBeVisible();

  await openAccountMenu(page);
  await page.getByRole("link", { name: "Access tokens" }).click();
  await expect(page.getByRole("heading", { name: "Access tokens", level: 1 })).toBeVisible();
  await expect(page.getByText("No tokens yet.")).toBeVisible();

  await page.getByLabel("Name").fill("sync script");
  await page.getByLabel("Read notes", { exact: true }).check();
  await page.getByLabel("Expires after").selectOption("30");
  await page.getByRole("button", { name: "Create token" }).click();

  const shown = page.getByLabel("The new token");
  await expect(shown).toHaveValue(/^cnp_/);
  const token = await shown.inputValue();
  await expect(page.getByText("it is shown only this once")).toBeVisible();
  const item = page.getByRole("listitem", { name: "sync script" });
  await expect(item).toContainText("read only");
  await expect(item).toContainText("Never used");
  await expect(item).toContainText(token.slice(0, 12));
  await checkAccessibility(page);

  // A program uses it: it reads the notes, and may not write (read scope).
  const res = await notes(token);
  expect(res.status).toBe(200);
  expect(((await res.json()) as { title: string }[]).map((n) => n.title)).toEqual(["Seen through a token"]);
  const write = await fetch(`${process.env.E2E_BASE_URL}/notes`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ title: "no" }),
  });
  expect(write.status).toBe(403);

  // Shown once: after a reload the page has the token's prefix only, and its last use.
  await page.reload();
  await expect(page.getByLabel("The new token")).toHaveCount(0);
  expect(await page.content()).not.toContain(token);
  await expect(page.getByRole("listitem", { name: "sync script" })).toContainText("Last used");

  await page.getByRole("button", { name: "Revoke sync script" }).click();
  await expect(page.getByText("No tokens yet.")).toBeVisible();
  expect((await notes(token)).status).toBe(401);
});

test("signing out everywhere ends the tokens too", async ({ page }) => {
  await signUp(page);
  await page.goto("/settings/tokens");
  await page.getByLabel("Name").fill("phone app");
  await page.getByLabel("Read and write notes").check();
  await page.getByLabel("Expires after").selectOption("never");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await page.getByLabel("The new token").inputValue();
  await expect(page.getByRole("listitem", { name: "phone app" })).toContainText("Never expires");
  expect((await notes(token)).status).toBe(200);

  await openAccountMenu(page);
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/signin/);
  expect((await notes(token)).status).toBe(401);
});
