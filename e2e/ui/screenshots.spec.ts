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

type Sample = { name: string; mimeType: string; buffer: Buffer };

/** Notes that show what the list does: #tags, a checklist, a pinned note, an image and a document. */
const samples: { title: string; text: string; file?: Sample; pin?: boolean }[] = [
  {
    title: "Reading list",
    text: "- *Designing Data-Intensive Applications*\n- *The Pragmatic Programmer*\n- [PostgreSQL docs on full-text search](https://www.postgresql.org/docs/current/textsearch.html)\n\n#books",
  },
  {
    title: "Packing list for Lisbon",
    text: "- [x] Passport\n- [x] Charger\n- [ ] Sunscreen\n- [ ] Rain jacket\n\n#travel",
  },
  {
    title: "Sketch for the new landing page",
    text: "First pass at the hero colours. Feedback welcome. #design #work",
    file: { name: "hero.png", mimeType: "image/png", buffer: gradientPng() },
  },
  {
    title: "Planning the team offsite",
    text: "Two days in May. Venue shortlist, travel budget, one workshop on **planning** for next year. #work",
  },
  {
    title: "Quarterly planning",
    text: "Agenda for Thursday:\n\n1. Review **Q3 numbers**\n2. Hiring plan\n3. Offsite dates\n\nSlides attached. #work",
    file: { name: "roadmap.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% CloudNotes sample\n") },
    pin: true,
  },
];

test("screenshots of the main pages", async ({ browser }) => {
  test.setTimeout(600_000);
  const setup = await browser.newPage();
  await signUp(setup, "ada@example.com");
  for (const { title, text, file, pin } of samples) {
    await setup.getByLabel("Title", { exact: true }).first().fill(title);
    await setup
      .getByLabel(/^Description/)
      .first()
      .fill(text);
    if (file) await setup.getByLabel("File").first().setInputFiles(file);
    await setup.getByRole("button", { name: "Add note" }).click();
    const card = setup.getByRole("article", { name: title });
    await expect(card).toBeVisible();
    if (pin) {
      await card.getByRole("button", { name: `Pin ${title}` }).click();
      await expect(setup.getByRole("button", { name: `Unpin ${title}` })).toBeVisible();
    }
  }
  const noteHref = await setup.getByRole("link", { name: "Sketch for the new landing page" }).getAttribute("href");
  const offsiteHref = await setup.getByRole("link", { name: "Planning the team offsite" }).getAttribute("href");

  // A history worth showing: the offsite note saved twice more, on its own page.
  await setup.goto(offsiteHref!);
  for (const [text, shown] of [
    [
      "Two days in May. Venue shortlist, travel budget, one workshop on **planning** for next year.\n\n- [ ] Book the venue #work",
      "Book the venue",
    ],
    [
      "Two days in early May, in Porto. Venue shortlist, travel budget, one workshop on **planning** for next year.\n\n- [x] Book the venue\n- [ ] Send the invitations #work",
      "Send the invitations",
    ],
  ] as const) {
    await setup.getByRole("button", { name: /^Edit/ }).click();
    await setup
      .getByLabel(/^Description/)
      .last()
      .fill(text);
    await setup.getByRole("button", { name: "Save" }).click();
    await expect(setup.getByRole("article").getByText(shown)).toBeVisible();
  }
  // A share link on the sketch, shown in its Share panel.
  await setup.goto(noteHref!);
  await setup.getByText("Share…").click();
  await setup.getByLabel("Expires").selectOption("7");
  await setup.getByRole("button", { name: "Create link" }).click();
  await expect(setup.getByRole("list", { name: "Share links" }).getByRole("listitem")).toHaveCount(1);
  const cookies = await setup.context().cookies();
  await setup.close();

  for (const scheme of ["light", "dark"] as const) {
    for (const [device, viewport] of Object.entries(sizes)) {
      const context = await browser.newContext({ viewport, colorScheme: scheme, deviceScaleFactor: 1 });
      const page = await context.newPage();
      const phone = device === "phone";
      const imagesLoaded = () =>
        page.waitForFunction(() =>
          // Lazy images below the fold are not fetched until scrolled to.
          [...document.images].every(
            (img) => (img.complete && img.naturalWidth > 0) || img.getBoundingClientRect().top > innerHeight,
          ),
        );
      const shot = async (name: string, fullPage = !phone) => {
        await page.evaluate(() => document.fonts.ready);
        await page.screenshot({ path: `docs/screenshots/${name}-${scheme}-${device}.png`, fullPage });
      };
      const layout = async (name: "List" | "Grid") => {
        await page.getByRole("button", { name, exact: true }).click();
        await expect(page.getByRole("list", { name: "Notes" })).toHaveAttribute("data-layout", name.toLowerCase());
      };

      await page.goto("/");
      await shot("landing");
      await page.goto("/signin");
      await shot("signin");
      await context.addCookies(cookies);

      await page.goto("/");
      await expect(page.getByRole("img", { name: "Preview of hero.png" })).toBeVisible();
      await imagesLoaded();
      await layout("List");
      await shot("notes");
      await layout("Grid");
      await imagesLoaded();
      await shot("notes-grid");
      await layout("List"); // the layout is kept for the account

      // The composer: opened (on a phone by its button), with text, the formatting toolbar showing.
      if (phone) await page.getByRole("button", { name: "New note" }).click();
      const composer = page.getByRole("form", { name: "New note" });
      await composer.getByLabel("Title", { exact: true }).click();
      await composer.getByLabel("Title", { exact: true }).fill("Ideas for the blog");
      await composer
        .getByLabel(/^Description/)
        .fill(
          "- Why we moved to **PostgreSQL** search\n- [ ] Draft the intro\n- Screenshots of the new list\n\n#writing",
        );
      await expect(composer.getByRole("toolbar", { name: "Formatting" })).toBeVisible();
      await shot("composer", false);
      await page.keyboard.press("Escape");
      await page.evaluate(() => localStorage.clear()); // no draft left for the next shots

      // Editing a note in its card, with its Preview shown.
      await page.goto("/");
      const card = page.getByRole("article", { name: "Planning the team offsite" });
      await card.getByRole("button", { name: /^Edit/ }).click();
      await card.getByRole("button", { name: "Preview", exact: true }).click();
      await expect(card.getByRole("region", { name: "Preview" })).toContainText("planning");
      await card.scrollIntoViewIfNeeded();
      await shot("editor", false);

      // Search: a prefix, matches highlighted and counted.
      // Prefixes first; the first query whose results come back highlighted is shot.
      const marks = page.locator("article mark");
      for (const query of ["plann", "offsit", "offsite", "lisb"]) {
        await page.goto("/");
        await page.getByRole("searchbox", { name: "Search notes" }).pressSequentially(query, { delay: 30 });
        await expect(page).toHaveURL(new RegExp(`[?&]q=${query}(&|$)`));
        await expect(page.getByRole("status").filter({ hasText: /notes? match/ })).toBeVisible();
        if (
          await marks
            .first()
            .isVisible({ timeout: 3000 })
            .catch(() => false)
        )
          break;
        console.log(`search: no highlighted match for "${query}"`);
      }
      await expect(marks.first()).toBeVisible();
      await imagesLoaded();
      await shot("search");

      // A tag filter, with the tag list (on a phone, its disclosure opened).
      await page.goto("/?q=tag%3Awork");
      await expect(page.getByRole("article", { name: "Reading list" })).toHaveCount(0);
      if (phone) await page.locator("summary", { hasText: "Filters and tags" }).click();
      await imagesLoaded();
      await shot("tag");

      await page.goto(noteHref!);
      await imagesLoaded();
      await shot("note");

      // The note's share links: its Share panel opened (?share), with the link made above.
      await page.goto(`${noteHref}?share`);
      await expect(page.getByRole("list", { name: "Share links" }).getByRole("listitem")).toHaveCount(1);
      await page.locator("#share").scrollIntoViewIfNeeded();
      await imagesLoaded();
      await shot("share", false);

      // The offsite note's history: its newest version, what it changed marked up.
      await page.goto(`${offsiteHref}/history`);
      await expect(page.getByRole("heading", { level: 1, name: /History of/ })).toBeVisible();
      await expect(page.getByRole("group", { name: "Description changes" }).locator("ins").first()).toBeVisible();
      await shot("history");

      await page.goto("/settings/tokens");
      await expect(page.getByRole("heading", { name: "Access tokens" })).toBeVisible();
      await shot("tokens");
      await context.close();
    }
  }
});
