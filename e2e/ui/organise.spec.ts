import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, signUp, test } from "./fixtures";

/** Tags, pin, archive, trash and search in a real browser (production build, real PostgreSQL and S3). */

async function addNote(page: Page, title: string, description = "") {
  await page.getByLabel("Title").fill(title);
  await page.getByLabel(/^Description/).fill(description);
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByRole("article", { name: title })).toBeVisible();
}

async function expectAccessible(page: Page, name: string) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${name}: ${v.id} ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
  ).toEqual([]);
}

test("tags filter, rename and delete; pin comes first; archive and trash leave the list and come back", async ({
  page,
}) => {
  // One long journey (about 30 page loads).
  test.setTimeout(180_000);
  await signUp(page);
  await addNote(page, "Lisbon trip", "Pastel de nata #travel #food");
  await addNote(page, "Client call", "Notes for #work/clients");
  await addNote(page, "Groceries", "milk, #food");

  // The tag list with counts; clicking a tag filters, and the URL says so.
  const tags = page.getByRole("navigation", { name: "Filters and tags", exact: true });
  await expect(tags.getByRole("link", { name: "#food, 2 notes" })).toBeVisible();
  await tags.getByRole("link", { name: "#travel, 1 note" }).click();
  await expect(page).toHaveURL(/[?&]q=tag%3Atravel/);
  await expect(page.getByRole("article", { name: "Lisbon trip" })).toBeVisible();
  await expect(page.getByRole("article", { name: "Groceries" })).toHaveCount(0);
  await expectAccessible(page, "tag filter");

  // Rename the active tag: the Markdown of its notes changes.
  await page.getByLabel("Rename #travel").fill("trips");
  await page.getByRole("button", { name: "Rename", exact: true }).click();
  await expect(page).toHaveURL(/[?&]q=tag%3Atrips/);
  await expect(tags.getByRole("link", { name: "#trips, 1 note" })).toBeVisible();
  await expect(page.getByRole("article", { name: "Lisbon trip" })).toContainText("#trips");

  // Delete a tag: gone from the list, the word stays in the notes.
  await tags.getByRole("link", { name: "#food, 2 notes" }).click();
  await page.getByRole("button", { name: "Delete #food from every note" }).click();
  await expect(tags.getByRole("link", { name: /#food/ })).toHaveCount(0);

  // Pin: the oldest note comes first.
  await page.goto("/");
  await page.getByRole("article", { name: "Lisbon trip" }).getByRole("button", { name: "Pin Lisbon trip" }).click();
  await expect(page.getByRole("list", { name: "Notes" }).getByRole("article").first()).toHaveAccessibleName(
    "Lisbon trip",
  );
  await expect(page.getByRole("button", { name: "Unpin Lisbon trip" })).toBeVisible();

  // Archive: out of the main list, found with is:archived.
  await page.getByRole("button", { name: "Archive Groceries" }).click();
  await expect(page.getByRole("article", { name: "Groceries" })).toHaveCount(0);
  await page.goto("/?q=is%3Aarchived");
  await expect(page.getByRole("article", { name: "Groceries" })).toBeVisible();

  // Trash: out of the list, restorable from the Trash view, then emptied.
  await page.goto("/");
  await page.getByRole("button", { name: "Move to trash Client call" }).click();
  await expect(page.getByRole("article", { name: "Client call" })).toHaveCount(0);
  await tags.getByRole("link", { name: "Trash" }).click();
  await expect(page.getByRole("heading", { name: "Trash" })).toBeVisible();
  await expectAccessible(page, "trash");
  await page.getByRole("button", { name: "Restore Client call" }).click();
  await expect(page.getByRole("article", { name: "Client call" })).toHaveCount(0);
  await page.goto("/");
  await expect(page.getByRole("article", { name: "Client call" })).toBeVisible();
  await page.getByRole("button", { name: "Move to trash Client call" }).click();
  await page.goto("/?q=in%3Atrash");
  await page.getByRole("button", { name: "Empty trash" }).click();
  await expect(page.getByText("No notes match this search.")).toBeVisible();
});

test("results as you type: prefix and typos, highlighted, counted, in a shareable URL", async ({ page }) => {
  await signUp(page);
  await addNote(page, "Weekend in Lisbon", "We ate pastel de nata by the river");
  await addNote(page, "Porto", "Francesinha");

  const box = page.getByRole("searchbox", { name: "Search notes" });
  await box.pressSequentially("lisb", { delay: 30 });
  await expect(page).toHaveURL(/[?&]q=lisb(&|$)/);
  await expect(page.getByRole("status").filter({ hasText: "1 note matches" })).toBeVisible();
  const hit = page.getByRole("article", { name: "Weekend in Lisbon" });
  await expect(hit.locator("mark")).toHaveText("Lisbon");
  await expect(page.getByRole("article", { name: "Porto" })).toHaveCount(0);
  await expectAccessible(page, "search results");

  // A typo still finds it; the URL can be shared as it is.
  await page.goto("/?q=lisbn");
  await expect(page.getByRole("article", { name: "Weekend in Lisbon" })).toBeVisible();
  await page.goto(`/?q=${encodeURIComponent("pastel")}`);
  await expect(page.getByRole("article", { name: "Weekend in Lisbon" }).locator("mark")).toHaveText("pastel");
});
