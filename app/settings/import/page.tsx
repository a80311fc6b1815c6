import type { Metadata } from "next";
import { AppHeader } from "@/components/app-header";
import { ImportForm } from "@/components/settings/import-form";
import { requireUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { latestImport } from "@/lib/transfer/imports";

export const metadata: Metadata = { title: "Import · CloudNotes" };

/** Import a CloudNotes export or a Google Keep Takeout: upload the zip, then follow the import to its end. */
export default async function ImportPage() {
  const user = await requireUser("/settings/import");
  const latest = await latestImport(user.id);
  return (
    <>
      <AppHeader email={user.email} />
      <main id="main" className="mx-auto max-w-3xl space-y-6 px-4 py-6 sm:py-8">
        <div className="space-y-1">
          <h1 className="text-xl font-semibold tracking-tight">Import notes</h1>
          <p className="text-sm text-stone-600 dark:text-stone-400">
            Bring in a CloudNotes export (the zip from Export, from this or another server) or a Google Keep Takeout
            (takeout.google.com, Keep, as a .zip). The whole archive is checked first: if anything in it is wrong,
            nothing is imported. Importing the same archive again adds nothing new.
          </p>
        </div>
        <ImportForm maxBytes={config().IMPORT_MAX_BYTES} latest={latest} />
      </main>
    </>
  );
}
