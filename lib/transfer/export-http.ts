import "server-only";
import { Readable } from "node:stream";
import { exportArchive, exportEstimate } from "@/lib/transfer/export";
import { EXPORT_HEADERS } from "@/lib/transfer/headers";
import { takeExportSlot } from "@/lib/transfer/slots";

/**
 * The export as an HTTP answer, for both doors (GET /export with a bearer token, the settings page's download
 * with the session cookie).
 */

export async function exportResponse(userId: string, signal: AbortSignal): Promise<Response> {
  const release = takeExportSlot(userId);
  let estimate;
  try {
    estimate = await exportEstimate(userId);
  } catch (error) {
    release();
    throw error;
  }
  const archive = exportArchive(userId, { signal });
  // 'close' comes at the end of every stream: finished, failed or abandoned by the client.
  archive.once("close", release);
  const date = new Date().toISOString().slice(0, 10);
  return new Response(Readable.toWeb(archive) as ReadableStream<Uint8Array>, {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="cloudnotes-${date}.zip"`,
      "cache-control": "no-store",
      [EXPORT_HEADERS.notes]: String(estimate.notes),
      [EXPORT_HEADERS.files]: String(estimate.files),
      [EXPORT_HEADERS.estimatedBytes]: String(estimate.bytes),
    },
  });
}
