"use client";

import { useCallback, useRef, useState } from "react";
import { requestUploadAction } from "@/app/note-actions";
import { uploadToS3, UploadError } from "@/components/notes/upload-to-s3";

export type UploadPhase = "idle" | "uploading" | "done";

/**
 * The browser side of a direct upload: ask the server for a presigned POST (the same policy as the API),
 * send the bytes to S3 with progress, allow cancelling; returns the key to attach.
 */
export function useFileUpload() {
  const [progress, setProgress] = useState(0);
  const [phase, setPhase] = useState<UploadPhase>("idle");
  const controller = useRef<AbortController | null>(null);

  const upload = useCallback(async (file: File): Promise<{ key: string } | { error: string; cancelled?: boolean }> => {
    const ticket = await requestUploadAction({
      fileName: file.name,
      contentType: file.type || "application/octet-stream",
      size: file.size,
    });
    if (!ticket.ok) return { error: ticket.message };
    controller.current = new AbortController();
    setPhase("uploading");
    setProgress(0);
    try {
      await uploadToS3(ticket.upload, file, { onProgress: setProgress, signal: controller.current.signal });
      setPhase("done");
      return { key: ticket.upload.key };
    } catch (error) {
      setPhase("idle");
      if (error instanceof UploadError) return { error: error.message, cancelled: error.cancelled };
      return { error: "The upload failed." };
    } finally {
      controller.current = null;
    }
  }, []);

  const cancel = useCallback(() => controller.current?.abort(), []);
  const reset = useCallback(() => {
    setPhase("idle");
    setProgress(0);
  }, []);

  return { upload, cancel, reset, progress, phase };
}
