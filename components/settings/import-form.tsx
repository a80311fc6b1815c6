"use client";

import { ProgressBar } from "@/components/ui/progress-bar";
import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { importProgressAction, requestImportUploadAction, startImportAction } from "@/app/settings/import/actions";
import { UploadProgress } from "@/components/notes/upload-progress";
import { uploadToS3, UploadError } from "@/components/notes/upload-to-s3";
import { FormMessage } from "@/components/ui/form-message";
import { formatBytes } from "@/lib/files/policy";
import { type ImportRecord, isFinished } from "@/lib/transfer/import-contract";

const POLL_MS = 1000;

/**
 * Chooses a zip, sends it straight to S3 with progress (as note files go), starts the import, then follows it
 * (polling its progress) to its result or its error. A reload shows the latest import and keeps following it.
 */
export function ImportForm({ maxBytes, latest }: { maxBytes: number; latest: ImportRecord | null }) {
  const [current, setCurrent] = useState<ImportRecord | null>(latest);
  const [message, setMessage] = useState<string | undefined>();
  const [uploading, setUploading] = useState<{ name: string; progress: number } | null>(null);
  const controller = useRef<AbortController | null>(null);

  const following = current && !isFinished(current.status) ? current.id : null;
  useEffect(() => {
    if (!following) return;
    const timer = setInterval(async () => {
      const answer = await importProgressAction(following);
      if (answer.ok) setCurrent(answer.import);
      else setMessage(answer.message);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [following]);

  const submit = useCallback(
    async (event: React.FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      setMessage(undefined);
      const file = (event.currentTarget.elements.namedItem("archive") as HTMLInputElement).files?.[0];
      if (!file) return setMessage("Choose a .zip file first.");
      if (file.size > maxBytes)
        return setMessage(`${file.name} is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}.`);
      const ticket = await requestImportUploadAction(file.size);
      if (!ticket.ok) return setMessage(ticket.message);
      controller.current = new AbortController();
      setUploading({ name: file.name, progress: 0 });
      try {
        await uploadToS3(ticket.upload, new File([file], file.name, { type: "application/zip" }), {
          signal: controller.current.signal,
          onProgress: (progress) => setUploading({ name: file.name, progress }),
        });
      } catch (error) {
        setUploading(null);
        return setMessage(error instanceof UploadError ? error.message : "The upload failed.");
      } finally {
        controller.current = null;
      }
      setUploading(null);
      const started = await startImportAction(ticket.upload.key);
      if (!started.ok) return setMessage(started.message);
      setCurrent(started.import);
    },
    [maxBytes],
  );

  const busy = !!uploading || !!following;
  return (
    <div className="space-y-4">
      <form onSubmit={submit} className="card space-y-4 p-4 sm:p-5" aria-labelledby="import-heading" noValidate>
        <h2 id="import-heading" className="text-base font-semibold">
          Archive
        </h2>
        <FormMessage message={message} />
        <div>
          <label htmlFor="import-archive" className="label">
            Zip file (up to {formatBytes(maxBytes)})
          </label>
          <input
            id="import-archive"
            name="archive"
            type="file"
            accept=".zip,application/zip"
            className="field"
            disabled={busy}
          />
        </div>
        {uploading ? (
          <UploadProgress
            fileName={uploading.name}
            progress={uploading.progress}
            onCancel={() => controller.current?.abort()}
          />
        ) : null}
        <button type="submit" className="btn-primary" disabled={busy}>
          Import
        </button>
      </form>
      {current ? <ImportStatusView record={current} /> : null}
    </div>
  );
}

function ImportStatusView({ record }: { record: ImportRecord }) {
  const fraction =
    record.bytesTotal > 0 ? record.bytesDone / record.bytesTotal : record.total > 0 ? record.done / record.total : 0;
  const percent = Math.round(Math.min(1, fraction) * 100);
  const source =
    record.format === "keep" ? "Google Keep Takeout" : record.format === "cloudnotes" ? "CloudNotes export" : "archive";
  return (
    <section className="card space-y-2 p-4 sm:p-5" aria-labelledby="import-status-heading" aria-live="polite">
      <h2 id="import-status-heading" className="text-base font-semibold">
        {record.status === "done" ? "Import finished" : record.status === "failed" ? "Import failed" : "Importing"}
      </h2>
      {record.status === "queued" ? <p className="text-sm">Waiting to start…</p> : null}
      {record.status === "running" ? (
        <>
          <p className="text-sm">
            Checking the {source}: {record.done} of {record.total} notes
            {record.bytesTotal > 0
              ? `, ${formatBytes(record.bytesDone)} of ${formatBytes(record.bytesTotal)} of files`
              : ""}
            .
          </p>
          <ProgressBar label="Import progress" percent={percent} />
        </>
      ) : null}
      {record.status === "done" ? (
        <p className="text-sm">
          Imported {record.createdNotes} {record.createdNotes === 1 ? "note" : "notes"} from the {source}
          {record.skippedNotes > 0 ? ` (${record.skippedNotes} already here, left as they are)` : ""}.{" "}
          <Link href="/" className="underline">
            Go to your notes
          </Link>
        </p>
      ) : null}
      {record.status === "failed" ? (
        <p className="text-sm text-red-700 dark:text-red-400" role="alert">
          Nothing was imported: {record.error}
        </p>
      ) : null}
    </section>
  );
}
