import AxeBuilder from "@axe-core/playwright";
import { makeZip } from "../support/zip-build";
import { expect, openAccountMenu, signUp, test } from "./fixtures";

/**
 * Importing from the settings page: a Google Keep Takeout chosen in the file input goes to S3 with progress,
 * the import is followed to its end and its notes are on the notes page; a file that is not an archive of a
 * known kind ends with the reason and nothing imported.
 */

async function keepTakeout(): Promise<Buffer> {
  return makeZip([
    {
      name: "Takeout/Keep/Plants.json",
      data: JSON.stringify({
        title: "Water the plants",
        textContent: "Every Sunday",
        labels: [{ name: "Home" }],
        isPinned: false,
        isArchived: false,
        isTrashed: false,
        createdTimestampUsec: 1_700_000_000_000_000,
        userEditedTimestampUsec: 1_700_000_000_000_000,
      }),
    },
  ]);
}

test("import a Google Keep Takeout from the settings page", async ({ page }) => {
  await signUp(page);
  await openAccountMenu(page);
  await page.getByRole("link", { name: "Import notes" }).click();
  await expect(page.getByRole("heading", { name: "Import notes" })).toBeVisible();

  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual(
    [],
  );

  await page
    .getByLabel(/Zip file/)
    .setInputFiles({ name: "takeout.zip", mimeType: "application/zip", buffer: await keepTakeout() });
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByText(/Imported 1 note from the Google Keep Takeout/)).toBeVisible({ timeout: 30_000 });

  await page.getByRole("link", { name: "Go to your notes" }).click();
  await expect(page.getByRole("link", { name: "Water the plants" })).toBeVisible();
});

test("an archive of no known kind ends with the reason, and nothing is imported", async ({ page }) => {
  await signUp(page);
  await page.goto("/settings/import");
  await page.getByLabel(/Zip file/).setInputFiles({
    name: "other.zip",
    mimeType: "application/zip",
    buffer: await makeZip([{ name: "a.txt", data: "a" }]),
  });
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Nothing was imported" })).toContainText(
    "neither a CloudNotes export",
    { timeout: 30_000 },
  );
  await page.goto("/");
  await expect(page.getByText("Water the plants")).toHaveCount(0);
});
