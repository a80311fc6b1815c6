import { GetObjectCommand } from "@aws-sdk/client-s3";
import { listKeys, s3Client } from "../support/s3";

/** Direct access to the test bucket, to prove what the browser did really reached (or left) S3. */
function client() {
  return s3Client({
    endpoint: process.env.E2E_S3_ENDPOINT!,
    region: process.env.E2E_S3_REGION!,
    accessKeyId: process.env.E2E_S3_ACCESS_KEY_ID!,
    secretAccessKey: process.env.E2E_S3_SECRET_ACCESS_KEY!,
  });
}

export function bucketKeys(prefix = "users/"): Promise<string[]> {
  return listKeys(client(), process.env.E2E_BUCKET!, prefix);
}

export async function objectBytes(key: string): Promise<Buffer> {
  const res = await client().send(new GetObjectCommand({ Bucket: process.env.E2E_BUCKET!, Key: key }));
  return Buffer.from(await res.Body!.transformToByteArray());
}

/** A real 8×8 PNG (so that the preview has pixels to show). */
export const PNG_8x8 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGP47+CAFTEMLQkAmbNfwaFk8aAAAAAASUVORK5CYII=",
  "base64",
);
