import type { Metadata } from "next";
import { AppHeader } from "@/components/app-header";
import { ExportDownload } from "@/components/settings/export-download";
import { requireUser } from "@/lib/auth/session";
import { formatBytes } from "@/lib/files/policy";
import { exportEstimate } from "@/lib/transfer/export";

export const metadata: Metadata = { title: "Export · CloudNotes" };

/** Export all notes: one zip of Markdown files, their files and a manifest, downloaded with progress. */
export default async function ExportPage() {
  const user = await requireUser("/settings/export");
  const estimate = await exportEstimate(user.id);
  return (
    <>
      <AppHeader email={user.email} />
      <main id="main" className="mx-auto max-w-3xl space-y-6 px-4 py-6 sm:py-8">
        <div className="space-y-1">
          <h1 className="text-xl font-semibold tracking-tight">Export all notes</h1>
          <p className="text-sm text-stone-600 dark:text-stone-400">
            One zip file: every note (archived and in the trash too) as a Markdown file with its title, tags and dates
            at the top, its file beside it, and a <code>manifest.json</code> that lists them with checksums. Programs
            can download the same zip from <code>GET /export</code>.
          </p>
        </div>
        <section className="card space-y-4 p-4 sm:p-5" aria-labelledby="export-heading">
          <h2 id="export-heading" className="text-base font-semibold">
            Your export
          </h2>
          <p className="text-sm" data-testid="export-summary">
            {estimate.notes} {estimate.notes === 1 ? "note" : "notes"}, {estimate.files}{" "}
            {estimate.files === 1 ? "file" : "files"}, about {formatBytes(estimate.bytes)}.
          </p>
          <ExportDownload />
        </section>
      </main>
    </>
  );
}
