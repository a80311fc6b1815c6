import { expect, signUp, test } from "./fixtures";

/** Sharing a note by link from its page; the link opens in a browser with no session, until it is revoked. */

test("share a note from its page, open the link signed out, revoke it", async ({ page, browser }) => {
  await signUp(page);
  await page.getByLabel("Title").fill("Shared in the browser");
  await page.getByLabel(/^Description/).fill("Read **me** #shared");
  await page.getByRole("button", { name: "Add note" }).click();
  const card = page.getByRole("article", { name: "Shared in the browser" });
  await expect(card).toBeVisible();
  const href = await card.locator('a[href^="/n/"]').first().getAttribute("href");
  await page.goto(href!);

  await page.getByText("Share…").click();
  await page.getByLabel("Expires").selectOption("7");
  await page.getByRole("button", { name: "Create link" }).click();
  const links = page.getByRole("list", { name: "Share links" });
  await expect(links.getByRole("listitem")).toHaveCount(1);
  await expect(links.getByText(/Expires .* UTC/)).toBeVisible();
  const url = await links.getByLabel("Share link").inputValue();
  expect(url).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);

  // A fresh context: no cookies, nobody signed in.
  const stranger = await browser.newContext();
  const view = await stranger.newPage();
  const res = await view.goto(url);
  expect(res?.status()).toBe(200);
  await expect(view.getByRole("heading", { name: "Shared in the browser" })).toBeVisible();
  await expect(view.locator("strong", { hasText: "me" })).toBeVisible();
  await expect(view.getByRole("list", { name: "Tags" }).getByText("#shared")).toBeVisible();

  await links.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByText("No active links.")).toBeVisible();
  const dead = await view.goto(url);
  expect(dead?.status()).toBe(404);
  await expect(view.getByText("Shared in the browser")).toHaveCount(0);
  await stranger.close();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the share panel creates and revokes links with plain forms", async ({ page, browser }) => {
    await signUp(page);
    await page.getByLabel("Title").fill("Shared without scripts");
    await page.getByRole("button", { name: "Add note" }).click();
    const href = await page
      .getByRole("article", { name: "Shared without scripts" })
      .locator('a[href^="/n/"]')
      .first()
      .getAttribute("href");
    await page.goto(href!);
    await page.getByText("Share…").click();
    await page.getByLabel("Allow search engines").check();
    await page.getByRole("button", { name: "Create link" }).click();
    const links = page.getByRole("list", { name: "Share links" });
    await expect(links.getByText("Never expires · search engines allowed")).toBeVisible();
    const url = await links.getByLabel("Share link").inputValue();

    const stranger = await browser.newContext();
    expect((await (await stranger.newPage()).goto(url))?.status()).toBe(200);
    await links.getByRole("button", { name: "Revoke" }).click();
    await expect(page.getByText("No active links.")).toBeVisible();
    expect((await (await stranger.newPage()).goto(url))?.status()).toBe(404);
    await stranger.close();
  });
});
