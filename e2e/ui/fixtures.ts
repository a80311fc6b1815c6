import { randomBytes } from "node:crypto";
import { test as base, expect, type Page } from "@playwright/test";

/** Journeys run against the app that global-setup started (or E2E_BASE_URL). */
export const test = base.extend({
  // eslint-disable-next-line react-hooks/rules-of-hooks -- Playwright's fixture callback, not a React hook
  baseURL: async ({}, use) => use(process.env.E2E_BASE_URL),
});
export { expect };

export const PASSWORD = "a long enough passphrase";

export function uniqueEmail(tag = "ui"): string {
  return `${tag}-${randomBytes(4).toString("hex")}@example.com`;
}

export async function signUp(page: Page, email = uniqueEmail(), password = PASSWORD): Promise<string> {
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Confirm password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Your notes", exact: true })).toBeVisible();
  return email;
}

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Opens the header's account menu (where signing out is). */
export async function openAccountMenu(page: Page): Promise<void> {
  await page.locator("summary", { hasText: "Account" }).click();
}

export async function signOut(page: Page): Promise<void> {
  await openAccountMenu(page);
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin/);
}
