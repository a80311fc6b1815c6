"use client";

import { type ReactNode, useEffect, useRef, useState, useTransition } from "react";
import { previewMarkdownAction } from "@/app/preview-action";
import { useHydrated } from "@/components/notes/drafts";
import { describedBy, Frame } from "@/components/ui/field";
import { applyFormat, type Format, insertAttachedImage } from "@/lib/markdown/format";

const TOOLS: { format: Format; label: string; text: ReactNode }[] = [
  { format: "bold", label: "Bold", text: <b>B</b> },
  { format: "italic", label: "Italic", text: <i>I</i> },
  { format: "link", label: "Link", text: "Link" },
  { format: "list", label: "Bulleted list", text: "• List" },
  { format: "checklist", label: "Checklist", text: "☐ To do" },
  { format: "code", label: "Code", text: <code>{"</>"}</code> },
];

/**
 * The description box: grows with its text, a small toolbar that edits the Markdown, Write / Preview, and
 * images pasted or dropped into it handed to `onImage` (once it has taken one, a reference to it is placed at the
 * caret, where the note shows it). Without JavaScript it is a plain text area.
 */
export function MarkdownField({
  id,
  name,
  label,
  value,
  onChange,
  error,
  hint,
  placeholder,
  maxLength,
  onImage,
  textareaRef,
}: {
  id: string;
  name: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: ReactNode;
  placeholder?: string;
  maxLength?: number;
  /** Takes a pasted or dropped image as the note's file; true once it has. */
  onImage?: (file: File) => boolean | Promise<boolean>;
  textareaRef?: React.RefObject<HTMLTextAreaElement | null>;
}) {
  const ownRef = useRef<HTMLTextAreaElement>(null);
  const ref = textareaRef ?? ownRef;
  const hydrated = useHydrated();
  const [preview, setPreview] = useState<ReactNode>(null);
  const [previewing, setPreviewing] = useState(false);
  const [loading, startLoading] = useTransition();
  const [selection, setSelection] = useState<{ start: number; end: number } | null>(null);

  // Puts the caret back after a toolbar edit (the text changed through React state).
  useEffect(() => {
    if (!selection || !ref.current) return;
    ref.current.focus();
    ref.current.setSelectionRange(selection.start, selection.end);
    setSelection(null);
  }, [selection, ref]);

  function format(f: Format) {
    const el = ref.current;
    if (!el) return;
    const edit = applyFormat(f, { text: el.value, start: el.selectionStart, end: el.selectionEnd });
    onChange(edit.text);
    setSelection({ start: edit.start, end: edit.end });
  }

  function showPreview(on: boolean) {
    setPreviewing(on);
    if (on) startLoading(async () => setPreview(await previewMarkdownAction(value).catch(() => null)));
    else requestAnimationFrame(() => ref.current?.focus());
  }

  function imageOf(data: DataTransfer | null): File | null {
    return Array.from(data?.files ?? []).find((file) => file.type.startsWith("image/")) ?? null;
  }

  async function takeImage(image: File) {
    const el = ref.current;
    const at = { start: el?.selectionStart ?? value.length, end: el?.selectionEnd ?? value.length };
    if (!onImage || !(await onImage(image))) return;
    // The text may have changed while the image uploaded: insert into what is there now.
    const text = ref.current?.value ?? value;
    const edit = insertAttachedImage(
      { text, start: Math.min(at.start, text.length), end: Math.min(at.end, text.length) },
      image.name,
    );
    onChange(edit.text);
    setSelection({ start: edit.start, end: edit.end });
  }

  const tab = "rounded-md px-2.5 py-1 text-sm font-medium aria-pressed:bg-stone-200 dark:aria-pressed:bg-stone-800";
  return (
    <Frame id={id} label={label} error={error} hint={hint}>
      <textarea
        ref={ref}
        id={id}
        name={name}
        value={value}
        hidden={previewing}
        maxLength={maxLength}
        placeholder={placeholder}
        rows={3}
        className="field min-h-24 max-h-[60vh] resize-y [field-sizing:content]"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
        onChange={(event) => onChange(event.currentTarget.value)}
        onPaste={(event) => {
          const image = onImage && imageOf(event.clipboardData);
          if (image) {
            event.preventDefault();
            void takeImage(image);
          }
        }}
        onDragOver={(event) => {
          if (onImage && Array.from(event.dataTransfer.types).includes("Files")) event.preventDefault();
        }}
        onDrop={(event) => {
          const image = onImage && imageOf(event.dataTransfer);
          if (image) {
            event.preventDefault();
            void takeImage(image);
          }
        }}
      />
      {previewing ? (
        <div
          className="markdown min-h-24 rounded-lg border border-stone-200 p-3 dark:border-stone-800"
          aria-busy={loading}
          aria-label="Preview"
          role="region"
        >
          {loading ? <p className="text-stone-500">Rendering…</p> : preview}
        </div>
      ) : null}
      {hydrated ? (
        <div className="mt-1.5 flex flex-wrap items-center justify-between gap-2">
          {previewing ? <span /> : <Toolbar controls={id} onFormat={format} />}
          <div role="group" aria-label="Write or preview" className="flex gap-1">
            <button type="button" aria-pressed={!previewing} className={tab} onClick={() => showPreview(false)}>
              Write
            </button>
            <button type="button" aria-pressed={previewing} className={tab} onClick={() => showPreview(true)}>
              Preview
            </button>
          </div>
        </div>
      ) : null}
    </Frame>
  );
}

/** The formatting buttons: one tab stop, arrow keys move between them (the ARIA toolbar pattern). */
function Toolbar({ controls, onFormat }: { controls: string; onFormat: (f: Format) => void }) {
  const [active, setActive] = useState(0);
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  function move(to: number) {
    const next = (to + TOOLS.length) % TOOLS.length;
    setActive(next);
    refs.current[next]?.focus();
  }
  return (
    <div
      role="toolbar"
      aria-label="Formatting"
      aria-controls={controls}
      className="flex flex-wrap gap-1"
      onKeyDown={(event) => {
        if (event.key === "ArrowRight") move(active + 1);
        else if (event.key === "ArrowLeft") move(active - 1);
        else if (event.key === "Home") move(0);
        else if (event.key === "End") move(TOOLS.length - 1);
        else return;
        event.preventDefault();
      }}
    >
      {TOOLS.map((tool, i) => (
        <button
          key={tool.format}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          tabIndex={i === active ? 0 : -1}
          aria-label={tool.label}
          title={tool.label}
          className="btn-ghost min-w-9 px-2 py-1 text-sm"
          onMouseDown={(event) => event.preventDefault()}
          onFocus={() => setActive(i)}
          onClick={() => onFormat(tool.format)}
        >
          {tool.text}
        </button>
      ))}
    </div>
  );
}
