import type { Page } from "@playwright/test";
import { expect, PASSWORD, signOut, signUp, test, uniqueEmail } from "./fixtures";
import { PNG_8x8 } from "./storage";

/**
 * Writing is never lost: drafts survive a reload and a sign-in round trip, a failed save keeps the text and
 * offers Retry, a concurrent edit is never silently overwritten. Quick capture: the compact composer, its
 * keys, toolbar and pasted images. And creating and editing work without JavaScript.
 */

const composerTitle = (page: Page) => page.getByLabel("Title", { exact: true }).first();
const composerText = (page: Page) => page.getByLabel(/^Description/).first();
const addNote = (page: Page) => page.getByRole("button", { name: "Add note" });

/** Pastes an image into a text area as a browser does (a paste event carrying a file). */
async function pasteImage(page: Page, selector: string, name: string) {
  await page.locator(selector).evaluate(
    (el, { name, bytes }) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(bytes)], name, { type: "image/png" }));
      el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    },
    { name, bytes: [...PNG_8x8] },
  );
}

test("a draft of a new note survives a reload, and leaving first asks", async ({ page }) => {
  await signUp(page);
  await composerTitle(page).fill("Half-written thought");
  await composerText(page).fill("that I must not lose");

  const asked = new Promise<string>((resolve) =>
    page.once("dialog", (dialog) => (resolve(dialog.type()), void dialog.accept())),
  );
  await page.reload();
  expect(await asked).toBe("beforeunload");
  await expect(composerTitle(page)).toHaveValue("Half-written thought");
  await expect(composerText(page)).toHaveValue("that I must not lose");

  await addNote(page).click();
  await expect(page.getByRole("article", { name: "Half-written thought" })).toBeVisible();
  // Saved: the draft is gone, and nothing asks before leaving.
  await page.reload();
  await expect(composerTitle(page)).toHaveValue("");
});

test("an edit in progress survives a reload: the editor reopens with it", async ({ page }) => {
  await signUp(page);
  await composerTitle(page).fill("Recipe");
  await addNote(page).click();
  const card = page.getByRole("article", { name: "Recipe" });
  await card.getByRole("button", { name: /^Edit/ }).click();
  await page.getByLabel("Title", { exact: true }).last().fill("Recipe, improved");
  page.once("dialog", (dialog) => void dialog.accept());
  await page.reload();
  await expect(page.getByLabel("Title", { exact: true }).last()).toHaveValue("Recipe, improved");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("article", { name: "Recipe, improved" })).toBeVisible();
  await page.reload();
  await expect(
    page.getByRole("article", { name: "Recipe, improved" }).getByRole("button", { name: /^Edit/ }),
  ).toBeVisible();
});

test("a save while offline keeps the text, says so, and Retry saves it", async ({ page, context }) => {
  await signUp(page);
  await composerTitle(page).fill("Written on the train");
  await composerText(page).fill("no signal here");
  await context.setOffline(true);
  await addNote(page).click();
  const alert = page.getByRole("alert").filter({ hasText: /not saved|could not be saved/ });
  await expect(alert).toBeVisible();
  await expect(composerTitle(page)).toHaveValue("Written on the train");
  await expect(composerText(page)).toHaveValue("no signal here");

  await context.setOffline(false);
  await alert.getByRole("button", { name: "Retry" }).click();
  await expect(page.getByRole("article", { name: "Written on the train" })).toBeVisible();
  await expect(alert).toHaveCount(0);
});

test("an edit saved while offline keeps the editor open, and Retry saves it", async ({ page, context }) => {
  await signUp(page);
  await composerTitle(page).fill("Packing list");
  await addNote(page).click();
  await page.getByRole("article", { name: "Packing list" }).getByRole("button", { name: /^Edit/ }).click();
  await page.getByLabel("Title", { exact: true }).last().fill("Packing list for Oslo");
  await context.setOffline(true);
  await page.getByRole("button", { name: "Save" }).click();
  const alert = page.getByRole("alert").filter({ hasText: /not saved|could not be saved/ });
  await expect(alert).toBeVisible();
  await expect(page.getByLabel("Title", { exact: true }).last()).toHaveValue("Packing list for Oslo");
  await context.setOffline(false);
  await alert.getByRole("button", { name: "Retry" }).click();
  await expect(page.getByRole("article", { name: "Packing list for Oslo" })).toBeVisible();
});

test("a session that ended asks to sign in again, and comes back to the same draft", async ({ page, context }) => {
  const email = await signUp(page);
  // Another tab signs out: this one's session is gone.
  const other = await context.newPage();
  await other.goto("/");
  await signOut(other);
  await other.close();

  await composerTitle(page).fill("Idea after lunch");
  await composerText(page).fill("do not lose this");
  await addNote(page).click();
  const notice = page.getByRole("alert").filter({ hasText: "session has ended" });
  await expect(notice).toBeVisible();
  await expect(composerTitle(page)).toHaveValue("Idea after lunch");

  await notice.getByRole("link", { name: "Sign in again" }).click();
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(composerTitle(page)).toHaveValue("Idea after lunch");
  await expect(composerText(page)).toHaveValue("do not lose this");
  await addNote(page).click();
  await expect(page.getByRole("article", { name: "Idea after lunch" })).toBeVisible();
});

test("a concurrent edit in another tab is never silently overwritten: keep mine, or take theirs", async ({
  page,
  context,
}) => {
  await signUp(page);
  await composerTitle(page).fill("Shared plan");
  await composerText(page).fill("version one");
  await addNote(page).click();
  const href = await page.getByRole("link", { name: "Shared plan" }).getAttribute("href");

  // Both tabs open the editor on the same version.
  const other = await context.newPage();
  await other.goto(href!);
  await other.getByRole("button", { name: /^Edit/ }).click();
  await page.goto(href!);
  await page.getByRole("button", { name: /^Edit/ }).click();

  await other.getByLabel(/^Description/).fill("their change");
  await other.getByRole("button", { name: "Save" }).click();
  await expect(other.getByText("their change")).toBeVisible();

  await page.getByLabel(/^Description/).fill("my change");
  await page.getByRole("button", { name: "Save" }).click();
  const choice = page.getByRole("alert").filter({ hasText: "changed in another tab" });
  await expect(choice).toBeVisible();
  await expect(choice.getByText("their change")).toBeVisible();
  await expect(page.getByLabel(/^Description/)).toHaveValue("my change");

  await choice.getByRole("button", { name: "Keep mine" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Shared plan" })).toBeVisible();
  await expect(page.getByText("my change")).toBeVisible();

  // The other tab, still on the older version, now gets the choice and takes theirs (this tab's text).
  await other.getByRole("button", { name: /^Edit/ }).click();
  await other.getByLabel(/^Description/).fill("stale text");
  await other.getByRole("button", { name: "Save" }).click();
  const otherChoice = other.getByRole("alert").filter({ hasText: "changed in another tab" });
  await otherChoice.getByRole("link", { name: "Take theirs" }).click();
  await expect(other.getByLabel(/^Description/)).toHaveValue("my change");
  await other.reload();
  await expect(other.getByText("my change")).toBeVisible();
  await expect(other.getByText("stale text")).toHaveCount(0);
});

test("quick capture: Enter moves to the text, the toolbar formats, Ctrl+Enter saves, Esc keeps the draft", async ({
  page,
}) => {
  await signUp(page);
  await expect(composerTitle(page)).toHaveAttribute("placeholder", "Take a note…");
  await expect(composerText(page)).toBeHidden();
  await composerTitle(page).click();
  await page.keyboard.type("Groceries");
  await page.keyboard.press("Enter");
  await expect(composerText(page)).toBeFocused();
  await expect(page.getByRole("article", { name: "Groceries" })).toHaveCount(0);

  await page.keyboard.type("milk");
  await page.getByRole("button", { name: "Checklist" }).click();
  await expect(composerText(page)).toHaveValue("- [ ] milk");
  await page.keyboard.press("Escape");
  await expect(composerText(page)).toBeHidden();
  await composerTitle(page).focus();
  await expect(composerText(page)).toHaveValue("- [ ] milk");

  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByRole("region", { name: "Preview" }).getByRole("checkbox")).toHaveCount(1);
  await page.getByRole("button", { name: "Write" }).click();
  await composerText(page).press("ControlOrMeta+Enter");
  await expect(page.getByRole("article", { name: "Groceries" })).toBeVisible();
});

test("on a phone the composer waits behind a floating button", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await signUp(page);
  await expect(composerTitle(page)).toBeHidden();
  await page.getByRole("button", { name: "New note" }).click();
  await expect(composerTitle(page)).toBeFocused();
  await composerTitle(page).fill("Groceries");
  await addNote(page).click();
  await expect(page.getByRole("button", { name: "New note" })).toBeVisible();
  // While a note is being edited the button steps aside: it would cover the card below the editor.
  await page.getByRole("article", { name: "Groceries" }).getByRole("button", { name: /^Edit/ }).click();
  await expect(page.getByRole("button", { name: "New note" })).toBeHidden();
});

test("an image pasted into the text uploads, is attached and shows where it was pasted", async ({ page }) => {
  await signUp(page);
  await composerTitle(page).fill("Screenshot");
  await composerText(page).fill("Before");
  await pasteImage(page, "#new-description", "pasted.png");
  await composerText(page).press("End");
  await composerText(page).pressSequentially("After");
  await expect(composerText(page)).toHaveValue("Before\n![pasted.png](attachment:pasted.png)\nAfter");
  await addNote(page).click();
  const card = page.getByRole("article", { name: "Screenshot" });
  await expect(card.getByRole("img", { name: "Preview of pasted.png" })).toBeVisible();
  // In the text, between the two words: served through the app, the image really loads.
  const inline = card.locator(".markdown img").first();
  await expect(inline).toHaveAttribute("alt", "pasted.png");
  await expect.poll(() => inline.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(8);

  await composerTitle(page).fill("Later image");
  await addNote(page).click();
  const later = page.getByRole("article", { name: "Later image" });
  await later.getByRole("button", { name: /^Edit/ }).click();
  const textarea = later.getByLabel(/^Description/);
  await pasteImage(page, `#${await textarea.getAttribute("id")}`, "second.png");
  await expect(later.getByText("second.png is attached to this note.")).toBeVisible();
  // The editor stays usable and saves its text on the new version (no conflict with its own attachment).
  await textarea.fill("with a picture");
  await later.getByRole("button", { name: "Save" }).click();
  await expect(later.getByText("with a picture")).toBeVisible();
  await expect(later.getByRole("img", { name: "Preview of second.png" })).toBeVisible();

  // The image's address is the owner's only: signed out, it answers 404 and reveals nothing.
  const src = await inline.getAttribute("src");
  await page.context().clearCookies();
  const anonymous = await page.request.get(src!, { maxRedirects: 0 });
  expect(anonymous.status()).toBe(404);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a text note can be created and edited", async ({ page }) => {
    const email = uniqueEmail("nojs-write");
    await page.goto("/signup");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Confirm password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(composerTitle(page)).toBeVisible();
    // (Playwright's text locators skip <noscript>, whose content this browser shows.)
    expect(await page.content()).toContain("Attaching a file needs JavaScript");

    await composerTitle(page).fill("Plain form");
    await composerText(page).fill("posted **without** scripts");
    await addNote(page).click();
    const card = page.getByRole("article", { name: "Plain form" });
    await expect(card.locator("strong", { hasText: "without" })).toBeVisible();

    await card.getByRole("button", { name: /^Edit/ }).click();
    await expect(page).toHaveURL(/\/n\/\d+\?edit/);
    await page.getByLabel("Title", { exact: true }).fill("Plain form, edited");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Plain form, edited" })).toBeVisible();
    await expect(page).not.toHaveURL(/edit/);
  });
});
