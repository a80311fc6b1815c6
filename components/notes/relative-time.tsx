"use client";

import { useEffect, useState } from "react";
import { fullTimestamp, relativeTime } from "@/lib/dates/relative";

// The first render's tooltip, the same on the server and in the browser.
const utcTimestamp = new Intl.DateTimeFormat("en", { timeZone: "UTC", dateStyle: "full", timeStyle: "short" });

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
    <time dateTime={iso} title={local?.title ?? `${utcTimestamp.format(new Date(iso))} UTC`}>
      {local?.text ?? label}
    </time>
  );
}
