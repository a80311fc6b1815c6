"use client";

import "./globals.css";
import { ErrorView } from "@/components/error-view";

/** A failure of the root layout itself: the same message, in its own document. */
export default function GlobalError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <ErrorView {...props} />
      </body>
    </html>
  );
}
