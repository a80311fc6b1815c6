/**
 * Writes the PNG icons of public/ from app/icon.svg (run once when the logo changes: `npx tsx
 * scripts/make-icons.ts`; the PNGs are committed). Rendered by the Chromium that Playwright drives, so no image
 * library is needed. Light icons: the blue tile; dark: the tile on the dark page colour; maskable: a safe zone.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";

const root = path.resolve(import.meta.dirname, "..");
const svg = readFileSync(path.join(root, "app/icon.svg"), "utf8");
const dataUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;

const icons = [
  { file: "icon-192.png", size: 192, background: "transparent", inset: 0 },
  { file: "icon-512.png", size: 512, background: "transparent", inset: 0 },
  { file: "icon-dark-192.png", size: 192, background: "#0c0a09", inset: 0.08 },
  { file: "icon-dark-512.png", size: 512, background: "#0c0a09", inset: 0.08 },
  { file: "icon-maskable-512.png", size: 512, background: "#1d5ef1", inset: 0.1 },
  { file: "apple-touch-icon.png", size: 180, background: "#1d5ef1", inset: 0 },
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
try {
  const page = await browser.newPage();
  for (const icon of icons) {
    const pad = Math.round(icon.size * icon.inset);
    await page.setViewportSize({ width: icon.size, height: icon.size });
    await page.setContent(
      `<html><body style="margin:0;background:${icon.background}">` +
        `<img src="${dataUrl}" style="display:block;width:${icon.size - 2 * pad}px;height:${icon.size - 2 * pad}px;margin:${pad}px"></body></html>`,
    );
    const png = await page.screenshot({ omitBackground: icon.background === "transparent" });
    writeFileSync(path.join(root, "public", icon.file), png);
    console.log(`public/${icon.file}`);
  }
} finally {
  await browser.close();
}
