"use client";

import { ProgressBar } from "@/components/ui/progress-bar";
import { useRef, useState } from "react";
import { formatBytes } from "@/lib/files/policy";
import { EXPORT_HEADERS } from "@/lib/transfer/headers";

/**
 * Downloads the export with progress: the page reads the zip as it streams and counts its bytes against the
 * size the server estimates from the database. Where the browser lets a page write a file as it goes (the File
 * System Access API: Chromium browsers), the zip goes straight to disk, so any size works; elsewhere it is
 * gathered into a Blob and saved at the end (Chromium would spill a large Blob to disk; others hold it in memory).
 */

const URL_PATH = "/settings/export/zip";

type State =
  | { phase: "idle" }
  | { phase: "running"; received: number; total: number }
  | { phase: "done"; received: number; name: string }
  | { phase: "failed"; message: string };

interface Sink {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

interface SaveFilePicker {
  (options: {
    suggestedName: string;
    types: { description: string; accept: Record<string, string[]> }[];
  }): Promise<{ createWritable(): Promise<WritableStreamDefaultWriter<Uint8Array> & WritableStream> }>;
}

function defaultName(): string {
  return `cloudnotes-${new Date().toISOString().slice(0, 10)}.zip`;
}

/** A file on disk chosen by the person (must be asked within the click), or null where browsers cannot. */
async function diskSink(name: string): Promise<Sink | null> {
  const picker = (window as unknown as { showSaveFilePicker?: SaveFilePicker }).showSaveFilePicker;
  if (typeof picker !== "function") return null;
  const handle = await picker({
    suggestedName: name,
    types: [{ description: "Zip archive", accept: { "application/zip": [".zip"] } }],
  });
  const file = await handle.createWritable();
  const writer = file.getWriter();
  return {
    write: (chunk) => writer.write(chunk),
    close: () => writer.close(),
    abort: () => writer.abort(),
  };
}

/** Chunks kept until the end, then saved through a link with `download`. */
function blobSink(nameOf: () => string): Sink {
  const parts: BlobPart[] = [];
  return {
    write: async (chunk) => void parts.push(chunk as BlobPart),
    close: async () => {
      const url = URL.createObjectURL(new Blob(parts, { type: "application/zip" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = nameOf();
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
    abort: async () => void parts.splice(0),
  };
}

function fileNameOf(res: Response): string {
  return /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? defaultName();
}

async function detailOf(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { detail?: unknown };
    if (typeof body.detail === "string") return body.detail;
  } catch {}
  return `The server answered ${res.status}`;
}

export function ExportDownload() {
  const [state, setState] = useState<State>({ phase: "idle" });
  const stop = useRef<AbortController | null>(null);

  async function run() {
    const controller = new AbortController();
    stop.current = controller;
    let sink: Sink | null = null;
    try {
      let name = defaultName();
      try {
        sink = await diskSink(name);
      } catch (error) {
        if ((error as Error).name === "AbortError") return; // the person closed the save dialog
        sink = null;
      }
      sink ??= blobSink(() => name);
      setState({ phase: "running", received: 0, total: 0 });
      const res = await fetch(URL_PATH, { signal: controller.signal, cache: "no-store" });
      if (!res.ok || !res.body) throw new Error(await detailOf(res));
      name = fileNameOf(res);
      const total = Number(res.headers.get(EXPORT_HEADERS.estimatedBytes)) || 0;
      setState({ phase: "running", received: 0, total });
      const reader = res.body.getReader();
      let received = 0;
      let shown = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        await sink.write(value);
        received += value.byteLength;
        // Re-render at most every 256 KiB: a large export has many small chunks.
        if (received - shown >= 256 * 1024) {
          shown = received;
          setState({ phase: "running", received, total });
        }
      }
      await sink.close();
      setState({ phase: "done", received, name });
    } catch (error) {
      await sink?.abort().catch(() => {});
      const cancelled = controller.signal.aborted;
      setState(
        cancelled
          ? { phase: "idle" }
          : {
              phase: "failed",
              message: `The export stopped part-way (${(error as Error).message}); nothing was saved. Try again.`,
            },
      );
    } finally {
      stop.current = null;
    }
  }

  if (state.phase === "running") {
    // The estimate is close, not exact: hold below 100% until the last byte is in.
    const percent = state.total > 0 ? Math.min(99, Math.floor((state.received / state.total) * 100)) : 0;
    return (
      <div className="space-y-3" aria-live="polite">
        <div className="flex justify-between text-sm text-stone-600 dark:text-stone-400">
          <span>
            Downloading: {formatBytes(state.received)}
            {state.total > 0 ? ` of about ${formatBytes(state.total)}` : ""}
          </span>
          <span aria-hidden="true">{percent}%</span>
        </div>
        <ProgressBar label="Export download" percent={percent} />
        <button type="button" className="btn-secondary" onClick={() => stop.current?.abort()}>
          Cancel export
        </button>
      </div>
    );
  }

  return (
    <div className="space-y-3">
      {state.phase === "done" ? (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          Saved {state.name} ({formatBytes(state.received)}).
        </p>
      ) : null}
      {state.phase === "failed" ? (
        <p role="alert" className="field-error">
          {state.message}
        </p>
      ) : null}
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className="btn-primary" onClick={() => void run()}>
          Download export
        </button>
        {/* The browser's own download: no progress here, but straight to disk in any browser, even without JavaScript. */}
        <a href={URL_PATH} download className="btn-ghost text-sm">
          Download without progress
        </a>
      </div>
    </div>
  );
}
