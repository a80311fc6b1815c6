import { bucketKeys, objectBytes, PNG_8x8 } from "./storage";
import { expect, PASSWORD, signIn, signOut, signUp, test, uniqueEmail } from "./fixtures";

/** The day-to-day journey of one person, end to end: real browser, real PostgreSQL, real S3. */
test("sign up, write, attach, edit, replace, search, delete, sign out", async ({ page }) => {
  const email = await signUp(page);

  // Signing out and in again lands back on the notes.
  await signOut(page);
  await signIn(page, email);
  await expect(page.getByRole("heading", { name: "Your notes", exact: true })).toBeVisible();
  await expect(page.getByText("No notes yet.")).toBeVisible();

  // A note with an image: the browser posts the bytes straight to S3.
  await page.getByLabel("Title").fill("Trip to Lisbon");
  await page.getByLabel(/^Description/).fill("Pastel de nata at **Manteigaria**");
  await page.getByLabel("File").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: PNG_8x8 });
  await page.getByRole("button", { name: "Add note" }).click();

  let card = page.getByRole("article", { name: "Trip to Lisbon" });
  const preview = card.getByRole("img", { name: "Preview of photo.png" });
  await expect(preview).toBeVisible();
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(8);
  await expect(card.locator("strong", { hasText: "Manteigaria" })).toBeVisible();
  const [photoKey] = (await bucketKeys()).filter((k) => k.endsWith("/photo.png"));
  expect(photoKey).toBeTruthy();
  expect((await objectBytes(photoKey!)).equals(PNG_8x8)).toBe(true);
  const href = await card.getByRole("link", { name: "Trip to Lisbon" }).getAttribute("href");
  const noteId = /\/n\/(\d+)$/.exec(href ?? "")?.[1];
  expect(noteId).toBeTruthy();

  // Edit title and description in place; the change survives a reload.
  await card.getByRole("button", { name: /^Edit/ }).click();
  await page.getByLabel("Title", { exact: true }).last().fill("Trip to Porto");
  await card.getByLabel(/^Description/).fill("Francesinha, and the **Livraria Lello**");
  await card.getByRole("button", { name: "Save" }).click();
  card = page.getByRole("article", { name: "Trip to Porto" });
  await expect(card).toBeVisible();
  // The card shows the change at once (optimistic); the form closes when the server has saved it. Reloading
  // before that would abort the save (it did, through NGINX, in the operations test).
  await expect(card.getByRole("button", { name: /^Edit/ })).toBeVisible();
  await page.reload();
  await expect(card.getByText("Francesinha")).toBeVisible();

  // Replace the image with a document: the old object stays, restorable from the note's history.
  await card.getByRole("button", { name: "More actions for Trip to Porto" }).click();
  await card.getByRole("menuitem", { name: "Replace file" }).click();
  await card
    .getByLabel("Replace the file with")
    .setInputFiles({ name: "itinerary.txt", mimeType: "text/plain", buffer: Buffer.from("Day 1: Ribeira\n") });
  await expect(card.getByRole("link", { name: /itinerary\.txt/ })).toBeVisible();
  await expect(card.getByRole("img")).toHaveCount(0);
  expect(await bucketKeys()).toContain(photoKey!);
  const [docKey] = (await bucketKeys()).filter((k) => k.endsWith("/itinerary.txt"));
  expect(docKey).toBeTruthy();

  // Search through the box; the query is in the URL, so it can be shared.
  await page.getByRole("searchbox", { name: "Search notes" }).fill("francesinha");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/[?&]q=francesinha/);
  await expect(page.getByRole("article", { name: "Trip to Porto" })).toBeVisible();
  await page.goto("/?q=zebra");
  await expect(page.getByText("No notes match this search.")).toBeVisible();

  // Delete (undoable for a few seconds, then committed): note and object are gone.
  await page.goto("/");
  card = page.getByRole("article", { name: "Trip to Porto" });
  await card.getByRole("button", { name: "More actions for Trip to Porto" }).click();
  await card.getByRole("menuitem", { name: "Delete note" }).click();
  await expect(page.getByRole("article", { name: "Trip to Porto" })).toHaveCount(0);
  await expect(page.getByRole("status").getByText("Note deleted")).toBeVisible();
  await expect.poll(async () => (await bucketKeys()).includes(docKey!), { timeout: 15_000 }).toBe(false);
  await page.reload();
  await expect(page.getByText("No notes yet.")).toBeVisible();

  // Signed out, private pages send to sign-in (and remember where to come back).
  await signOut(page);
  await page.goto(`/n/${noteId}`);
  await expect(page).toHaveURL(new RegExp(`/signin\\?callbackUrl=%2Fn%2F${noteId}$`));
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Your notes", exact: true })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
});

test("a private page brings you back after sign-in", async ({ page }) => {
  const email = await signUp(page);
  await page.getByLabel("Title").fill("Come back here");
  await page.getByRole("button", { name: "Add note" }).click();
  const href = await page.getByRole("link", { name: "Come back here" }).getAttribute("href");
  await signOut(page);
  await page.goto(href!);
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Come back here" })).toBeVisible();
});

test("a second user sees none of the first user's notes or files", async ({ browser }) => {
  const alice = await browser.newPage();
  await signUp(alice, uniqueEmail("alice"));
  await alice.getByLabel("Title").fill("Alice's secret plan");
  await alice.getByLabel(/^Description/).fill("rendezvous at the lighthouse");
  await alice.getByLabel("File").setInputFiles({ name: "map.png", mimeType: "image/png", buffer: PNG_8x8 });
  await alice.getByRole("button", { name: "Add note" }).click();
  const href = await alice.getByRole("link", { name: "Alice's secret plan" }).getAttribute("href");

  const bob = await browser.newPage();
  await signUp(bob, uniqueEmail("bob"));
  await expect(bob.getByText("No notes yet.")).toBeVisible();
  await expect(bob.getByText("Alice's secret plan")).toHaveCount(0);
  await bob.goto("/?q=lighthouse");
  await expect(bob.getByText("No notes match this search.")).toBeVisible();
  await bob.goto(href!);
  await expect(bob.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expect(bob.getByText("rendezvous")).toHaveCount(0);
  await expect(bob.getByRole("img", { name: /map\.png/ })).toHaveCount(0);
});

test("a wrong password is refused with a message", async ({ page }) => {
  const email = await signUp(page);
  await signOut(page);
  await signIn(page, email, "not the password");
  await expect(page.getByText("Invalid email or password.")).toBeVisible();
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByLabel("Email")).toHaveValue(email);
});

test("sign-up explains what is wrong beside the fields", async ({ page }) => {
  const email = await signUp(page);
  await signOut(page);
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email.toUpperCase());
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("Confirm password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText(/at least 8 characters/)).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Confirm password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText(/already exists/)).toBeVisible();
});

test("the session cookie is HttpOnly and SameSite=Lax", async ({ page, context }) => {
  await signUp(page);
  const session = (await context.cookies()).find((c) => c.name.endsWith("authjs.session-token"));
  expect(session).toBeTruthy();
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe("Lax");
  expect(await page.evaluate(() => document.cookie)).not.toContain("session-token");
});

test("repeated wrong passwords are rate limited like the API", async ({ page, request }) => {
  const email = await signUp(page);
  await signOut(page);
  // The API and the browser share the per-account counter: spend most of it through the API...
  for (let i = 0; i < 9; i++) {
    const res = await request.post("/login", { form: { username: email, password: `wrong ${i}` } });
    expect(res.status()).toBe(401);
  }
  // ...and the browser's next attempts hit the same limit (10 failures per 15 minutes by default).
  await signIn(page, email, "wrong again");
  await expect(page.getByText("Invalid email or password.")).toBeVisible();
  await signIn(page, email, PASSWORD);
  await expect(page.getByText("Too many failed attempts. Wait a few minutes and try again.")).toBeVisible();
});

test("descriptions render as Markdown without running scripts or raw HTML", async ({ page }) => {
  await signUp(page);
  page.on("dialog", (dialog) => void dialog.dismiss());
  await page.getByLabel("Title").fill("Hostile markdown");
  await page
    .getByLabel(/^Description/)
    .fill(
      '**bold** <script>window.__pwned = 1</script>\n\n<img src="x" onerror="window.__pwned = 2">\n\n[click me](javascript:window.__pwned=3)\n\n<b>raw</b>',
    );
  await page.getByRole("button", { name: "Add note" }).click();
  const card = page.getByRole("article", { name: "Hostile markdown" });
  await expect(card.locator("strong", { hasText: "bold" })).toBeVisible();
  await expect(card.locator("script")).toHaveCount(0);
  await expect(card.locator("img")).toHaveCount(0);
  await expect(card.locator("b", { hasText: "raw" })).toHaveCount(0);
  const link = card.getByRole("link", { name: "click me" });
  expect(await link.getAttribute("href").catch(() => "")).not.toMatch(/^javascript:/i);
  await link.click().catch(() => {});
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});
