"use client";

import { useEffect, useState } from "react";
import { fullTimestamp, relativeTime, rememberedLabel } from "@/lib/dates/relative";

// The first render's tooltip, the same on the server and in the browser.
const utcTimestamp = rememberedLabel((date) => `${fullTimestamp(date, { locale: "en", timeZone: "UTC" })} UTC`);

/**
 * A date as "5 minutes ago" in the reader's language and time zone, the full timestamp on hover. The first
 * render (server and hydration) shows the fixed UTC label, so both agree; the browser then switches.
 */
export function RelativeTime({ iso, label }: { iso: string; label: string }) {
  const [local, setLocal] = useState<{ text: string; title: string } | null>(null);
  useEffect(() => {
    const date = new Date(iso);
    const update = () => setLocal({ text: relativeTime(date, new Date()), title: fullTimestamp(date) });
    update();
    const timer = setInterval(update, 60_000);
    return () => clearInterval(timer);
  }, [iso]);
  return (
    <time dateTime={iso} title={local?.title ?? utcTimestamp(iso)}>
      {local?.text ?? label}
    </time>
  );
}
