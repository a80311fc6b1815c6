import "server-only";
import { S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { config } from "@/lib/config";
import { unavailable } from "@/lib/errors";
import { metrics } from "@/lib/metrics";
import { processSingleton } from "@/lib/process-singleton";

function createClient(endpoint: string | undefined): S3Client {
  const c = config();
  const client = new S3Client({
    region: c.AWS_REGION,
    endpoint,
    forcePathStyle: c.S3_FORCE_PATH_STYLE,
    credentials:
      c.AWS_ACCESS_KEY_ID && c.AWS_SECRET_ACCESS_KEY
        ? { accessKeyId: c.AWS_ACCESS_KEY_ID, secretAccessKey: c.AWS_SECRET_ACCESS_KEY }
        : undefined,
    // Checksums only where S3 requires them: S3-compatible servers do not all know the newer CRC headers.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    // A storage outage must answer 503 quickly, not hold requests for the SDK's default minutes.
    maxAttempts: 2,
    // socketTimeout, not requestTimeout: the SDK only logs a warning when requestTimeout passes (unless
    // throwOnRequestTimeout), so a hung S3 (connection accepted, never answered) held requests, and the file
    // worker, forever. An idle timeout also lets a slow but progressing part upload finish.
    requestHandler: { connectionTimeout: 2000, socketTimeout: c.S3_TIMEOUT_MS },
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? "unknown").replace(/Command$/, "");
      try {
        const result = await next(args);
        metrics().s3Operations.inc({ operation, outcome: "ok" });
        return result;
      } catch (error) {
        metrics().s3Operations.inc({ operation, outcome: "error" });
        throw error;
      }
    },
    { step: "initialize", name: "cloudnotesMetrics" },
  );
  return client;
}

/** The client for the app's own S3 calls. */
export function s3(): S3Client {
  return processSingleton("s3", () => createClient(config().S3_ENDPOINT));
}

/** The client that signs URLs handed to browsers, which may reach S3 under another name. */
export function s3ForBrowsers(): S3Client {
  const c = config();
  if (!c.S3_PUBLIC_ENDPOINT || c.S3_PUBLIC_ENDPOINT === c.S3_ENDPOINT) return s3();
  return processSingleton("s3Public", () => createClient(c.S3_PUBLIC_ENDPOINT));
}

export function bucket(): string {
  return config().BUCKET_NAME;
}

export function isNotFound(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.name === "NotFound" || error.name === "NoSuchKey" || error.$metadata.httpStatusCode === 404)
  );
}

/** Runs an S3 call; a storage outage (network error, timeout, 5xx) becomes a 503 with a detail. */
export async function callS3<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof S3ServiceException && (error.$metadata.httpStatusCode ?? 500) < 500) throw error;
    throw unavailable("File storage is unavailable, try again later");
  }
}
