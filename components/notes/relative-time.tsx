"use client";

import { useEffect, useState } from "react";
import { fullTimestamp, relativeTime } from "@/lib/dates/relative";

const utc = { locale: "en", timeZone: "UTC" } as const;

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
    <time dateTime={iso} title={local?.title ?? `${fullTimestamp(new Date(iso), utc)} UTC`}>
      {local?.text ?? label}
    </time>
  );
}
