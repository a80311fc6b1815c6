"use server";

import { revalidatePath } from "next/cache";
import { actionError } from "@/lib/actions/result";
import { requireUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import type { PresignedUpload } from "@/lib/files/contract";
import { asDomainError } from "@/lib/http/problem";
import { type ImportRecord, importUploadRequestSchema, startImportSchema } from "@/lib/transfer/import-contract";
import { getImport, presignImportUpload, startImport } from "@/lib/transfer/imports";
import { parseInput } from "@/lib/validation";

/** The import page's operations: thin adapters over lib/transfer/imports.ts (the same rules as /imports). */

const PAGE = "/settings/import";

export type ImportTicket = { ok: true; upload: PresignedUpload } | { ok: false; message: string };
export type ImportAnswer = { ok: true; import: ImportRecord } | { ok: false; message: string };

function refusal(error: unknown): string {
  const state = actionError(error);
  return Object.values(state.fieldErrors ?? {})[0] ?? state.message ?? "The import could not start.";
}

export async function requestImportUploadAction(size: number): Promise<ImportTicket> {
  const user = await requireUser(PAGE);
  try {
    const input = parseInput(importUploadRequestSchema(config().IMPORT_MAX_BYTES), { size });
    return { ok: true, upload: await presignImportUpload(user.id, input) };
  } catch (error) {
    return { ok: false, message: refusal(error) };
  }
}

export async function startImportAction(key: string): Promise<ImportAnswer> {
  const user = await requireUser(PAGE);
  try {
    const input = parseInput(startImportSchema, { key });
    const record = await startImport(user.id, input.key);
    revalidatePath(PAGE);
    return { ok: true, import: record };
  } catch (error) {
    return { ok: false, message: refusal(error) };
  }
}

export async function importProgressAction(id: string): Promise<ImportAnswer> {
  const user = await requireUser(PAGE);
  try {
    const record = await getImport(user.id, String(id));
    if (record.status === "done") revalidatePath("/");
    return { ok: true, import: record };
  } catch (error) {
    if (asDomainError(error)?.kind === "not_found") return { ok: false, message: "This import no longer exists." };
    return { ok: false, message: refusal(error) };
  }
}
