"use client";

import { ProgressBar } from "@/components/ui/progress-bar";

/** Upload progress with a cancel button; announced to screen readers. */
export function UploadProgress({
  progress,
  onCancel,
  fileName,
}: {
  progress: number;
  onCancel: () => void;
  fileName: string;
}) {
  const percent = Math.round(progress * 100);
  return (
    <div className="flex items-center gap-3 rounded-lg border border-stone-200 p-3 dark:border-stone-800">
      <div className="min-w-0 flex-1">
        <div className="flex justify-between text-xs text-stone-600 dark:text-stone-400">
          <span className="truncate">Uploading {fileName}</span>
          <span aria-hidden="true">{percent}%</span>
        </div>
        <ProgressBar label={`Uploading ${fileName}`} percent={percent} className="mt-1.5" />
      </div>
      <button type="button" className="btn-secondary" onClick={onCancel}>
        Cancel upload
      </button>
    </div>
  );
}
