import type { PresignedUpload } from "@/lib/files/contract";

/**
 * Sends a file straight from the browser to S3 with a presigned POST (no byte passes through the app), with
 * progress events and cancellation. XMLHttpRequest because fetch still has no upload progress.
 */
export type PresignedPost = Pick<PresignedUpload, "url" | "fields">;

export class UploadError extends Error {
  constructor(
    message: string,
    readonly cancelled = false,
  ) {
    super(message);
  }
}

const S3_MESSAGES: Record<string, string> = {
  // The policy pins the size the file had when the upload was requested.
  EntityTooLarge: "The file is larger than the upload limit, or changed since it was chosen.",
  EntityTooSmall: "The file changed since it was chosen. Choose it again.",
  AccessDenied: "The storage refused this file (type, name or an expired upload link). Try again.",
  RequestTimeout: "The upload took too long. Try again.",
};

export function uploadToS3(
  post: PresignedPost,
  file: File,
  options: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
    form.append("file", file); // S3 requires the file to be the last field

    const xhr = new XMLHttpRequest();
    xhr.open("POST", post.url);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        options.onProgress?.(1);
        resolve();
        return;
      }
      const code = /<Code>([^<]+)<\/Code>/.exec(xhr.responseText ?? "")?.[1] ?? "";
      reject(new UploadError(S3_MESSAGES[code] ?? `The upload failed (${xhr.status}${code ? ` ${code}` : ""}).`));
    };
    xhr.onerror = () => reject(new UploadError("The upload failed: the storage could not be reached."));
    xhr.onabort = () => reject(new UploadError("Upload cancelled.", true));
    if (options.signal) {
      if (options.signal.aborted) return xhr.abort();
      options.signal.addEventListener("abort", () => xhr.abort(), { once: true });
    }
    xhr.send(form);
  });
}
