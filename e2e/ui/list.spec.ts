import { PNG_8x8 } from "./storage";
import { expect, openAccountMenu, signUp, test } from "./fixtures";
import type { Page } from "@playwright/test";

/** The notes list (issue 11): checklists, undo, layout, file viewer and download, relative dates. */

async function addNote(
  page: Page,
  title: string,
  description = "",
  file?: { name: string; mimeType: string; buffer: Buffer },
) {
  await page.getByLabel("Title").fill(title);
  await page.getByLabel(/^Description/).fill(description);
  if (file) await page.getByLabel("File").setInputFiles(file);
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByRole("article", { name: title })).toBeVisible();
}

test("a checklist item is ticked in place, and a stale page is refused rather than overwriting", async ({ page }) => {
  await signUp(page);
  await addNote(page, "Groceries", "- [ ] milk\n- [ ] bread\n- [x] eggs");
  const card = page.getByRole("article", { name: "Groceries" });
  const milk = card.getByRole("checkbox", { name: "milk" });
  await expect(milk).not.toBeChecked();
  await milk.check();
  await expect(milk).toBeEnabled(); // the server answered
  await page.reload();
  await expect(card.getByRole("checkbox", { name: "milk" })).toBeChecked();
  await expect(card.getByRole("checkbox", { name: "bread" })).not.toBeChecked();
  await expect(card.getByRole("checkbox", { name: "eggs" })).toBeChecked();

  // Another tab ticks "bread" meanwhile: this page's version is stale, so its tick is refused.
  const other = await page.context().newPage();
  await other.goto("/");
  await other.getByRole("article", { name: "Groceries" }).getByRole("checkbox", { name: "bread" }).check();
  await expect(
    other.getByRole("article", { name: "Groceries" }).getByRole("checkbox", { name: "bread" }),
  ).toBeEnabled();
  // click(), not uncheck(): the box is put back as soon as the server refuses, which uncheck() would report.
  await card.getByRole("checkbox", { name: "eggs" }).click();
  await expect(card.getByRole("alert")).toContainText("changed since the page showed it");
  await expect(card.getByRole("checkbox", { name: "eggs" })).toBeChecked(); // rolled back
  await card.getByRole("button", { name: "Reload" }).click();
  await expect(card.getByRole("checkbox", { name: "bread" })).toBeChecked();
  await other.close();
});

test("deleting a note can be undone, and is committed after the undo window", async ({ page }) => {
  await signUp(page);
  await addNote(page, "Keep me");
  await addNote(page, "Drop me");

  const keep = page.getByRole("article", { name: "Keep me" });
  await keep.getByRole("button", { name: "More actions for Keep me" }).click();
  await keep.getByRole("menuitem", { name: "Delete note" }).click();
  await expect(page.getByRole("article", { name: "Keep me" })).toHaveCount(0);
  await page.getByRole("status").getByRole("button", { name: "Undo" }).click();
  await expect(page.getByRole("article", { name: "Keep me" })).toBeVisible();

  const drop = page.getByRole("article", { name: "Drop me" });
  await drop.getByRole("button", { name: "More actions for Drop me" }).click();
  await drop.getByRole("menuitem", { name: "Delete note" }).click();
  await expect(page.getByRole("status").getByText("Note deleted")).toBeVisible();
  // The toast leaves when the deletion reaches the server.
  await expect(page.getByRole("status").getByText("Note deleted")).toHaveCount(0, { timeout: 20_000 });
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("article", { name: "Drop me" })).toHaveCount(0);
  }).toPass();
  await expect(page.getByRole("article", { name: "Keep me" })).toBeVisible();
  await expect(page.getByText("1 note", { exact: true })).toBeVisible();
});

test("list or grid is remembered for the account, after a reload and on another device", async ({ page, browser }) => {
  const email = await signUp(page);
  await addNote(page, "One");
  const notes = page.getByRole("list", { name: "Notes" });
  await expect(notes).toHaveAttribute("data-layout", "list");
  await page.getByRole("button", { name: "Grid" }).click();
  await expect(page.getByRole("button", { name: "Grid" })).toHaveAttribute("aria-pressed", "true");
  await expect(notes).toHaveAttribute("data-layout", "grid");
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("list", { name: "Notes" })).toHaveAttribute("data-layout", "grid");
  }).toPass();

  const elsewhere = await (await browser.newContext({ baseURL: page.url() })).newPage();
  await elsewhere.goto("/signin");
  await elsewhere.getByLabel("Email").fill(email);
  await elsewhere.getByLabel("Password").fill("a long enough passphrase");
  await elsewhere.getByRole("button", { name: "Sign in" }).click();
  await expect(elsewhere.getByRole("list", { name: "Notes" })).toHaveAttribute("data-layout", "grid");
  await elsewhere.context().close();
});

test("an image opens in a viewer, Download really downloads, and expired links are renewed", async ({ page }) => {
  await signUp(page);
  await addNote(page, "Photo", "", { name: "pixel.png", mimeType: "image/png", buffer: PNG_8x8 });
  const card = page.getByRole("article", { name: "Photo" });
  await card.getByRole("link", { name: "Preview of pixel.png" }).click();
  const viewer = page.getByRole("dialog", { name: "pixel.png" });
  await expect(viewer).toBeVisible();
  await expect
    .poll(() => viewer.getByRole("img", { name: "pixel.png" }).evaluate((i: HTMLImageElement) => i.naturalWidth))
    .toBe(8);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    viewer.getByRole("link", { name: "Download" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("pixel.png");
  await viewer.getByRole("button", { name: "Close" }).click();
  await expect(viewer).toBeHidden();

  // From the card's menu too.
  await card.getByRole("button", { name: "More actions for Photo" }).click();
  const [again] = await Promise.all([
    page.waitForEvent("download"),
    card.getByRole("menuitem", { name: "Download file" }).click(),
  ]);
  expect(again.suggestedFilename()).toBe("pixel.png");

  // A tab left open past the links' lifetime: the link is renewed on use, not followed broken.
  await page.clock.install();
  await page.reload();
  const renewed = page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith("/"));
  await page.clock.fastForward("24:00:00");
  await card.getByRole("button", { name: "More actions for Photo" }).click();
  const [late] = await Promise.all([
    page.waitForEvent("download"),
    card.getByRole("menuitem", { name: "Download file" }).click(),
  ]);
  await renewed;
  expect(late.suggestedFilename()).toBe("pixel.png");
  expect(await late.failure()).toBeNull();
});

test("dates are relative with the full timestamp on hover, and edits are marked", async ({ page }) => {
  await signUp(page);
  await addNote(page, "Dated", "text");
  const card = page.getByRole("article", { name: "Dated" });
  const time = card.locator("time").first();
  await expect(time).toHaveText(/now|minute/);
  expect(await time.getAttribute("title")).toMatch(/\d{4}/);
  expect(Date.parse((await time.getAttribute("datetime"))!)).not.toBeNaN();
  await expect(card.getByText(/edited/)).toHaveCount(0);
  await card.getByRole("button", { name: /^Edit/ }).click();
  await card.getByLabel(/^Description/).fill("changed");
  await card.getByRole("button", { name: "Save" }).click();
  await expect(card.getByText(/edited/)).toBeVisible();
});

test("installable: the manifest, icons and robots.txt are served; shared text opens the composer", async ({
  page,
  request,
}) => {
  const manifest = await request.get("/manifest.webmanifest");
  expect(manifest.ok()).toBe(true);
  const body = await manifest.json();
  expect(body).toMatchObject({
    name: "CloudNotes",
    display: "standalone",
    share_target: { action: "/", method: "GET" },
  });
  for (const icon of body.icons as { src: string }[]) {
    const res = await request.get(icon.src);
    expect(res.headers()["content-type"], icon.src).toBe("image/png");
  }
  expect((await request.get("/icon-dark-192.png")).ok()).toBe(true);
  expect(await (await request.get("/robots.txt")).text()).toContain("Disallow: /");

  await signUp(page);
  await page.goto(
    `/?${new URLSearchParams({ "share-title": "A good read", "share-text": "Worth it", "share-url": "https://example.com/a" })}`,
  );
  await expect(page.getByLabel("Title")).toHaveValue("A good read");
  await expect(page.getByLabel(/^Description/)).toHaveValue("Worth it\n\nhttps://example.com/a");
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  await expect(page.locator('meta[name="theme-color"]')).toHaveCount(2);

  // The note's page: its title in the tab, and "All notes" back to the search it came from.
  await addNote(page, "Findable", "needle");
  await page.goto("/?q=needle");
  await page.getByRole("link", { name: "Findable" }).click();
  await expect(page).toHaveTitle("Findable · CloudNotes");
  await page.getByRole("link", { name: "← All notes" }).click();
  await expect(page).toHaveURL(/\/\?q=needle$/);
  await openAccountMenu(page);
  await expect(page.getByRole("button", { name: "Sign out everywhere" })).toBeVisible();
});
