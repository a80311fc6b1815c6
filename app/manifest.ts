import type { MetadataRoute } from "next";

/**
 * The web app manifest: installable to a phone's home screen, and a share target, so that text or a link shared
 * from another app opens the composer with it (app/page.tsx reads share-title, share-text and share-url).
 */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "CloudNotes",
    short_name: "CloudNotes",
    description: "Your notes and files, on a server you run.",
    id: "/",
    start_url: "/",
    scope: "/",
    display: "standalone",
    background_color: "#fafaf9",
    theme_color: "#1d5ef1",
    icons: [
      { src: "/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
    share_target: {
      action: "/",
      method: "GET",
      params: { title: "share-title", text: "share-text", url: "share-url" },
    },
  };
}
