import type { Config } from "tailwindcss";

/**
 * Tailwind 4 reads its configuration from CSS; app/globals.css loads this file with `@config` so that the
 * theme lives in one typed place. Dark mode follows the system (prefers-color-scheme), Tailwind's default.
 */
export default {
  content: ["./app/**/*.{ts,tsx}", "./components/**/*.{ts,tsx}"],
  theme: {
    extend: {
      fontFamily: {
        // System fonts only: nothing is fetched from the internet, and text renders at once.
        sans: [
          "ui-sans-serif",
          "system-ui",
          "-apple-system",
          "Segoe UI",
          "Roboto",
          "Noto Sans",
          "Helvetica Neue",
          "Arial",
          "sans-serif",
        ],
        mono: ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace"],
      },
      colors: {
        brand: {
          50: "#eef6ff",
          100: "#d9eaff",
          200: "#bcdaff",
          300: "#8ec3ff",
          400: "#59a1ff",
          500: "#337dfc",
          600: "#1d5ef1",
          700: "#1549dd",
          800: "#183cb3",
          900: "#1a378d",
          950: "#152356",
        },
      },
      maxWidth: { prose: "68ch" },
    },
  },
} satisfies Config;
