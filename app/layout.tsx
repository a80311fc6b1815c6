import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "CloudNotes",
  description: "Your notes and files, on a server you run.",
  appleWebApp: { capable: true, title: "CloudNotes", statusBarStyle: "default" },
  icons: {
    apple: "/apple-touch-icon.png",
    other: [{ rel: "icon", url: "/icon-dark-192.png", media: "(prefers-color-scheme: dark)" }],
  },
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#fafaf9" },
    { media: "(prefers-color-scheme: dark)", color: "#0c0a09" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request, the not-found page included: the Content-Security-Policy carries a
  // fresh nonce for each response (lib/http/csp.ts), and a page prerendered at build time would have none.
  await connection();
  return (
    <html lang="en">
      <body>
        <a
          href="#main"
          className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-medium shadow focus:not-sr-only focus:fixed focus:left-3 focus:top-3 dark:bg-stone-900"
        >
          Skip to content
        </a>
        {children}
      </body>
    </html>
  );
}
