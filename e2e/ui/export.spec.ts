import { readFile } from "node:fs/promises";
import AxeBuilder from "@axe-core/playwright";
import { fromMarkdown } from "@/lib/transfer/front-matter";
import { manifestSchema } from "@/lib/transfer/manifest";
import { unzip } from "../support/zip";
import { expect, openAccountMenu, signUp, test } from "./fixtures";
import { PNG_8x8 } from "./storage";

/**
 * Export all notes from the account menu: the page streams the zip with the session cookie, shows its progress
 * and saves it; the zip holds the notes and their files byte for byte. Both ways of saving are exercised: the
 * File System Access API (written to disk as it arrives) and, where a browser lacks it, a Blob saved at the end.
 */

async function addNotes(page: import("@playwright/test").Page) {
  await page.getByLabel("Title").fill("Trip to Lisbon #travel");
  await page.getByLabel(/^Description/).fill("Pastel de nata at **Manteigaria**");
  await page.getByLabel("File").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: PNG_8x8 });
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByRole("article", { name: "Trip to Lisbon #travel" })).toBeVisible();
  await page.getByLabel("Title").fill("Plain note");
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByRole("article", { name: "Plain note" })).toBeVisible();
}

async function expectExport(zip: Buffer) {
  const { names, files } = await unzip(zip);
  expect(names.at(-1)).toBe("manifest.json");
  const manifest = manifestSchema.parse(JSON.parse(files.get("manifest.json")!.toString("utf8")));
  expect(manifest.counts).toMatchObject({ notes: 2, files: 1, bytes: PNG_8x8.length });
  const trip = manifest.notes.find((n) => n.file)!;
  expect(trip.path).toMatch(/^notes\/trip-to-lisbon-travel-\d+\.md$/);
  expect(files.get(trip.file!.path)!.equals(PNG_8x8)).toBe(true);
  const md = fromMarkdown(files.get(trip.path)!.toString("utf8"));
  expect(md.ok && md.frontMatter.tags).toEqual(["travel"]);
  expect(md.ok && md.description).toBe("Pastel de nata at **Manteigaria**");
}

test("export all notes from the account menu, saved as a file at the end", async ({ page }) => {
  // As in a browser without the File System Access API.
  await page.addInitScript(() => {
    delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker;
  });
  await signUp(page);
  await addNotes(page);

  await openAccountMenu(page);
  await page.getByRole("link", { name: "Export all notes" }).click();
  await expect(page.getByRole("heading", { name: "Export all notes", level: 1 })).toBeVisible();
  await expect(page.getByTestId("export-summary")).toContainText("2 notes, 1 file");
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${colorScheme}: ${v.id} ${v.help}`)).toEqual([]);
  }

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download export" }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toMatch(/^cloudnotes-\d{4}-\d{2}-\d{2}\.zip$/);
  await expect(page.getByText(/^Saved cloudnotes-.*\.zip/)).toBeVisible();
  await expectExport(await readFile((await saved.path())!));
});

test("export straight to a file chosen in the save dialog, with progress", async ({ page }) => {
  // The save dialog of the File System Access API, answered with a file whose writes the test can read back.
  await page.addInitScript(() => {
    const w = window as unknown as {
      showSaveFilePicker: unknown;
      __written: number[][];
      __closed: boolean;
      __release: () => void;
    };
    w.__written = [];
    w.__closed = false;
    // The first write waits for the test, which looks at the progress meanwhile.
    const gate = new Promise<void>((resolve) => (w.__release = resolve));
    w.showSaveFilePicker = async () => ({
      createWritable: async () =>
        new WritableStream<Uint8Array>({
          write: async (chunk) => {
            await gate;
            w.__written.push(Array.from(chunk));
          },
          close: () => void (w.__closed = true),
        }),
    });
  });
  await signUp(page);
  await addNotes(page);
  await page.goto("/settings/export");
  await page.getByRole("button", { name: "Download export" }).click();
  await expect(page.getByRole("progressbar", { name: "Export download" })).toBeVisible();
  await expect(page.getByText(/Downloading: .* of about .*/)).toBeVisible();
  await page.evaluate(() => (window as unknown as { __release: () => void }).__release());
  await expect(page.getByText(/^Saved cloudnotes-.*\.zip/)).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __closed: boolean }).__closed)).toBe(true);
  const written = await page.evaluate(() => (window as unknown as { __written: number[][] }).__written.flat());
  await expectExport(Buffer.from(written));
});

test("the export page needs a session", async ({ page }) => {
  await page.goto("/settings/export");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fsettings%2Fexport/);
  const res = await page.request.get("/settings/export/zip");
  expect(res.status()).toBe(401);
});
