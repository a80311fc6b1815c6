import { expect, signUp, test } from "./fixtures";

const limit = () => Number(process.env.E2E_MAX_UPLOAD_BYTES);

test("a file over the limit is refused before upload, and S3 refuses it if the browser is bypassed", async ({
  page,
  request,
}) => {
  await signUp(page);
  const tooBig = Buffer.alloc(limit() + 1024, 7);
  await page
    .getByLabel("File")
    .setInputFiles({ name: "huge.bin", mimeType: "application/octet-stream", buffer: tooBig });
  await expect(page.getByText(/huge\.bin is .*; the limit is 2 MiB/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Add note" })).toBeDisabled();

  // Bypassing the page: a presigned POST for a small file, then the large body sent from the browser.
  const email = `bypass-${Date.now()}@example.com`;
  await request.post("/register", { data: { email, password: "a long enough passphrase" } });
  const login = await request.post("/login", { form: { username: email, password: "a long enough passphrase" } });
  const { access_token } = await login.json();
  const ticket = await (
    await request.post("/uploads", {
      headers: { authorization: `Bearer ${access_token}` },
      data: { filename: "small.bin", content_type: "application/octet-stream", size: 10 },
    })
  ).json();
  const status = await page.evaluate(
    async ({ url, fields, size }) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields as Record<string, string>)) form.append(k, v);
      form.append("file", new Blob([new Uint8Array(size)], { type: "application/octet-stream" }), "small.bin");
      const res = await fetch(url, { method: "POST", body: form });
      return { status: res.status, body: await res.text() };
    },
    { url: ticket.url, fields: ticket.fields, size: limit() + 1024 },
  );
  expect(status.status).toBe(400);
  expect(status.body).toContain("EntityTooLarge");
});

test("a refused type is refused before upload", async ({ page }) => {
  await signUp(page);
  await page
    .getByLabel("File")
    .setInputFiles({ name: "setup.exe", mimeType: "application/x-msdownload", buffer: Buffer.from("MZ") });
  await expect(page.getByText("This kind of file can't be attached (PNG, JPEG, PDF… are fine).")).toBeVisible();
});

test("an upload can be cancelled", async ({ page }) => {
  await signUp(page);
  // Slow the upload down so that there is time to press Cancel.
  await page.route(/\/cloudnotes-ui$/, async (route) => {
    await new Promise((r) => setTimeout(r, 3000));
    await route.continue();
  });
  await page.getByLabel("Title").fill("Cancelled upload");
  await page
    .getByLabel("File")
    .setInputFiles({ name: "slow.txt", mimeType: "text/plain", buffer: Buffer.from("slow") });
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByRole("progressbar")).toBeVisible();
  await page.getByRole("button", { name: "Cancel upload" }).click();
  await expect(page.getByText("Upload cancelled.")).toBeVisible();
  await expect(page.getByRole("article", { name: "Cancelled upload" })).toHaveCount(0);
});
