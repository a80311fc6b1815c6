import type { Page } from "@playwright/test";
import { expect, signUp, test } from "./fixtures";

/**
 * A note's history in the browser: every save is a version; the History page shows what each changed (marked
 * up as insertions and deletions, not by colour alone) and restores an old version as a new one.
 */

async function editDescription(page: Page, text: string) {
  await page.getByRole("button", { name: /^Edit/ }).click();
  await page
    .getByLabel(/^Description/)
    .last()
    .fill(text);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("article").getByText(text, { exact: true })).toBeVisible();
}

test("edit twice, see the changes in History, restore the first version", async ({ page }) => {
  await signUp(page);
  await page.getByLabel("Title", { exact: true }).first().fill("Shopping list");
  await page
    .getByLabel(/^Description/)
    .first()
    .fill("milk and bread");
  await page.getByRole("button", { name: "Add note" }).click();
  await page.getByRole("article", { name: "Shopping list" }).getByRole("link", { name: "Shopping list" }).click();
  await expect(page).toHaveURL(/\/n\/\d+/);

  await editDescription(page, "milk and honey");
  await editDescription(page, "oat milk and honey");

  await page.getByRole("link", { name: "History" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /History of/ })).toBeVisible();
  const versions = page.getByRole("navigation", { name: "Versions" });
  await expect(versions.getByRole("link")).toHaveCount(3);
  // The newest version is chosen first: what it added to the one before.
  const description = page.getByRole("group", { name: "Description changes" });
  await expect(description.locator("ins")).toContainText("oat");

  await versions.getByRole("link", { name: /^Version 2\b/ }).click();
  await expect(page).toHaveURL(/[?&]r=2$/);
  await expect(description.locator("del")).toContainText("bread");
  await expect(description.locator("ins")).toContainText("honey");

  await versions.getByRole("link", { name: /^Version 1\b/ }).click();
  // Every version's page has this link: wait for version 1's before following it.
  await expect(page).toHaveURL(/[?&]r=1$/);
  await page.getByRole("link", { name: "Compare with the current note" }).click();
  await expect(description.locator("del")).toContainText("bread");
  await page.getByRole("button", { name: "Restore this version" }).click();

  await expect(page).toHaveURL(/\/n\/\d+$/);
  await expect(page.getByRole("article").getByText("milk and bread", { exact: true })).toBeVisible();
  await page.getByRole("link", { name: "History" }).click();
  await expect(versions.getByRole("link")).toHaveCount(4);
  await expect(versions.getByRole("link", { name: /^Version 4 \(current\)/ })).toBeVisible();
});
