import AxeBuilder from "@axe-core/playwright";
import { expect, PASSWORD, signOut, signUp, test, uniqueEmail } from "./fixtures";
import { PNG_8x8 } from "./storage";

test("the keyboard alone can create a note, with a visible focus", async ({ page }) => {
  await signUp(page);
  const title = page.getByLabel("Title");
  for (let i = 0; i < 12 && !(await title.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press("Tab");
  }
  await expect(title).toBeFocused();
  const outline = await title.evaluate((el) => getComputedStyle(el).boxShadow + getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe("none" + "none");
  await page.keyboard.type("Typed with the keyboard");
  // The composer (issue 11): Enter in the title moves to the text; the text's toolbar, the Write/Preview
  // switch, the file input and Close come before the button.
  await page.keyboard.press("Enter");
  await page.keyboard.type("No mouse was harmed.");
  for (
    let i = 0;
    i < 8 && !(await page.getByRole("button", { name: "Add note" }).evaluate((el) => el === document.activeElement));
    i++
  ) {
    await page.keyboard.press("Tab");
  }
  await expect(page.getByRole("button", { name: "Add note" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("article", { name: "Typed with the keyboard" })).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("sign-up, sign-out and sign-in forms still work", async ({ page }) => {
    const email = uniqueEmail("nojs");
    await page.goto("/signup");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Confirm password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("heading", { name: "Your notes", exact: true })).toBeVisible();
    await signOut(page);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Invalid email or password.")).toBeVisible();
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Your notes", exact: true })).toBeVisible();
  });
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`every page passes an accessibility check (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    const check = async (name: string) => {
      const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
      const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(
        serious.map((v) => `${name}: ${v.id} ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
      ).toEqual([]);
    };
    await page.goto("/");
    await check("landing");
    await page.goto("/signin");
    await check("sign-in");
    await page.goto("/signup");
    await check("sign-up");
    await signUp(page);
    await check("notes (empty)");
    await page.getByLabel("Title").fill("Accessible note");
    await page.getByLabel(/^Description/).fill("# Heading\n\n- a list\n- [a link](https://example.com)\n\n`code`");
    await page.getByLabel("File").setInputFiles({ name: "pixel.png", mimeType: "image/png", buffer: PNG_8x8 });
    await page.getByRole("button", { name: "Add note" }).click();
    await expect(page.getByRole("img", { name: "Preview of pixel.png" })).toBeVisible();
    await check("notes");
    await page.getByRole("button", { name: /^Edit/ }).click();
    await check("notes (editing)");
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("link", { name: "Accessible note" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Accessible note" })).toBeVisible();
    await check("note page");
    await page.goto("/n/999999999");
    await check("not found");
  });
}
