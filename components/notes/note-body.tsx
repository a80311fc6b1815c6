"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { toggleChecklistAction } from "@/app/list-actions";
import type { NoteView } from "@/lib/notes/view";

/**
 * A note's rendered description (sanitised HTML from lib/markdown/render.ts). Its checklist boxes can be
 * ticked in place: each carries its source line, and the server edits that line only if the note is still the
 * version shown. In a list the text is clamped to about six lines, with "Show more".
 */
export function NoteBody({ note, clamp, href }: { note: NoteView; clamp: boolean; href: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const seen = useRef(note.updatedAt);
  const router = useRouter();
  const [problem, setProblem] = useState<string | null>(null);
  const [overflows, setOverflows] = useState(false);
  const [expanded, setExpanded] = useState(false);

  useEffect(() => {
    seen.current = note.updatedAt;
  }, [note.updatedAt]);

  useEffect(() => {
    const el = ref.current;
    if (!el || !clamp) return;
    const measure = () => setOverflows(el.scrollHeight > el.clientHeight + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [clamp, note.html]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    async function onChange(event: Event) {
      const box = event.target;
      if (!(box instanceof HTMLInputElement) || !box.dataset.line) return;
      const checked = box.checked;
      box.disabled = true;
      setProblem(null);
      const result = await toggleChecklistAction({
        id: note.id,
        line: Number(box.dataset.line),
        checked,
        seenUpdatedAt: seen.current,
      }).catch(() => ({ ok: false as const, message: "The server could not be reached. Try again." }));
      box.disabled = false;
      if (result.ok) {
        seen.current = result.updatedAt;
      } else {
        box.checked = !checked;
        setProblem(result.message);
      }
    }
    el.addEventListener("change", onChange);
    return () => el.removeEventListener("change", onChange);
  }, [note.id]);

  return (
    <div>
      <div
        ref={ref}
        className={`markdown ${clamp && !expanded ? "clamped" : ""}`}
        dangerouslySetInnerHTML={{ __html: note.html }}
      />
      {problem ? (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {problem}{" "}
          <button type="button" className="font-medium underline" onClick={() => router.refresh()}>
            Reload
          </button>
        </p>
      ) : null}
      {clamp && (overflows || expanded) ? (
        <button
          type="button"
          className="mt-1 text-sm font-medium text-brand-700 hover:underline dark:text-brand-300"
          aria-expanded={expanded}
          onClick={() => setExpanded((e) => !e)}
        >
          {expanded ? "Show less" : "Show more"}
        </button>
      ) : null}
      {note.truncated && (expanded || !overflows) ? (
        <p className="mt-1 text-sm">
          <Link href={href} className="font-medium text-brand-700 hover:underline dark:text-brand-300">
            … read the whole note
          </Link>
        </p>
      ) : null}
    </div>
  );
}
