import { deflateSync } from "node:zlib";
import { expect, signUp, test } from "./fixtures";

/**
 * The screenshots in docs/screenshots (referenced by the README): `npm run screenshots` regenerates them.
 * Skipped in the normal test run.
 */
test.skip(!process.env.UPDATE_SCREENSHOTS, "run with UPDATE_SCREENSHOTS=1 (npm run screenshots)");

const sizes = { desktop: { width: 1280, height: 860 }, phone: { width: 390, height: 844 } } as const;

/** A 640×360 gradient PNG, made here so that the preview shows something pleasant. */
function gradientPng(width = 640, height = 360): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      row[1 + x * 3] = 40 + Math.round((x / width) * 80);
      row[2 + x * 3] = 100 + Math.round((y / height) * 90);
      row[3 + x * 3] = 200 + Math.round((x / width) * 55);
    }
    rows.push(row);
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

test("screenshots of the main pages", async ({ browser }) => {
  test.setTimeout(180_000);
  const setup = await browser.newPage();
  const email = await signUp(setup, "ada@example.com");
  const add = async (title: string, description: string, file?: { name: string; mimeType: string; buffer: Buffer }) => {
    await setup.getByLabel("Title").fill(title);
    await setup.getByLabel(/^Description/).fill(description);
    if (file) await setup.getByLabel("File").setInputFiles(file);
    await setup.getByRole("button", { name: "Add note" }).click();
    await expect(setup.getByRole("article", { name: title })).toBeVisible();
  };
  await add(
    "Quarterly planning",
    "Agenda for Thursday:\n\n1. Review **Q3 numbers**\n2. Hiring plan\n3. Offsite dates\n\nSlides in the shared folder.",
    {
      name: "roadmap.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from("%PDF-1.4\n% CloudNotes sample\n"),
    },
  );
  await add("Sketch for the new landing page", "First pass at the hero colours. Feedback welcome.", {
    name: "hero.png",
    mimeType: "image/png",
    buffer: gradientPng(),
  });
  await add(
    "Reading list",
    "- *Designing Data-Intensive Applications*\n- *The Pragmatic Programmer*\n- [PostgreSQL docs on full-text search](https://www.postgresql.org/docs/current/textsearch.html)",
  );
  const noteHref = await setup.getByRole("link", { name: "Sketch for the new landing page" }).getAttribute("href");
  const cookies = await setup.context().cookies();
  await setup.close();

  for (const scheme of ["light", "dark"] as const) {
    for (const [device, viewport] of Object.entries(sizes)) {
      const context = await browser.newContext({ viewport, colorScheme: scheme, deviceScaleFactor: 1 });
      const page = await context.newPage();
      const shot = async (name: string) => {
        await page.evaluate(() => document.fonts.ready);
        await page.screenshot({
          path: `docs/screenshots/${name}-${scheme}-${device}.png`,
          fullPage: device === "desktop",
        });
      };
      await page.goto("/");
      await shot("landing");
      await page.goto("/signin");
      await shot("signin");
      await context.addCookies(cookies);
      await page.goto("/");
      await expect(page.getByRole("img", { name: "Preview of hero.png" })).toBeVisible();
      await page.waitForFunction(() => [...document.images].every((img) => img.complete && img.naturalWidth > 0));
      await shot("notes");
      await page.goto(noteHref!);
      await page.waitForFunction(() => [...document.images].every((img) => img.complete && img.naturalWidth > 0));
      await shot("note");
      await context.close();
    }
  }
  expect(email).toBe("ada@example.com");
});
