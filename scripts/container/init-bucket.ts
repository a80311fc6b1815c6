/**
 * The compose file's init step (service `bucket-init`, the app image with this command): creates the bucket and
 * its CORS rule on the bundled S3 server from the app's own variables, then exits. Safe to run at every start.
 * CORS origins: BUCKET_CORS_ORIGINS (comma-separated), else the origin of S3_PUBLIC_ENDPOINT.
 */
import { ensureBucket } from "../lib/bucket";

const need = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`init-bucket: ${name} is not set`);
  return value;
};

const origins = (
  process.env.BUCKET_CORS_ORIGINS ??
  (process.env.S3_PUBLIC_ENDPOINT ? new URL(process.env.S3_PUBLIC_ENDPOINT).origin : "")
)
  .split(",")
  .map((o) => o.trim())
  .filter(Boolean);
const target = {
  endpoint: need("S3_ENDPOINT"),
  region: process.env.AWS_REGION ?? "us-east-1",
  accessKeyId: need("AWS_ACCESS_KEY_ID"),
  secretAccessKey: need("AWS_SECRET_ACCESS_KEY"),
  bucket: need("BUCKET_NAME"),
};

// The S3 server may still be starting: retry for a minute before giving up.
for (let attempt = 1; ; attempt++) {
  try {
    await ensureBucket(target, origins.length > 0 ? origins : ["*"]);
    console.log(`init-bucket: bucket ${target.bucket} ready, CORS origins ${origins.join(", ") || "*"}`);
    break;
  } catch (error) {
    // Servers without bucket CORS rules (MinIO before 2025 answers NotImplemented) take them from their own
    // settings instead (compose.yaml: MINIO_API_CORS_ALLOW_ORIGIN); the bucket exists by then.
    if ((error as Error).name === "NotImplemented") {
      console.log(
        `init-bucket: bucket ${target.bucket} ready; the server sets CORS itself (PutBucketCors: NotImplemented)`,
      );
      break;
    }
    if (attempt >= 30) throw error;
    await new Promise((r) => setTimeout(r, 2000));
  }
}
