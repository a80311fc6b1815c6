import { CopyButton } from "@/components/notes/copy-button";
import { SubmitButton } from "@/components/ui/submit-button";
import { createShareAction, revokeShareAction } from "@/app/share-actions";
import { SHARE_EXPIRY_CHOICES } from "@/lib/shares/schema";
import type { Share } from "@/lib/shares/schema";

const EXPIRY_LABELS: Record<(typeof SHARE_EXPIRY_CHOICES)[number], string> = {
  never: "Never expires",
  "1": "1 day",
  "7": "7 days",
  "30": "30 days",
};

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/**
 * "Share…" on a note's page: create a read-only link, copy it (again, later too), revoke it. A <details>
 * element and plain forms, so it works without JavaScript.
 */
export function SharePanel({
  noteId,
  shares,
  origin,
  open,
}: {
  noteId: number;
  shares: (Share & { url: string | null })[];
  origin: string;
  open: boolean;
}) {
  return (
    <details id="share" open={open} className="card p-4 sm:p-5">
      <summary className="cursor-pointer font-medium">Share…</summary>
      <div className="mt-3 space-y-4">
        <p className="text-sm text-stone-600 dark:text-stone-400">
          Anyone with a link can read this note and its file, without signing in, until you revoke the link.
        </p>
        <form action={createShareAction} className="flex flex-wrap items-end gap-3">
          <input type="hidden" name="id" value={noteId} />
          <label className="space-y-1 text-sm">
            <span className="block font-medium">Expires</span>
            <select name="expires" defaultValue="never" className="field">
              {SHARE_EXPIRY_CHOICES.map((choice) => (
                <option key={choice} value={choice}>
                  {EXPIRY_LABELS[choice]}
                </option>
              ))}
            </select>
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="indexable" /> Allow search engines
          </label>
          <SubmitButton pendingText="Creating…">Create link</SubmitButton>
        </form>
        {shares.length === 0 ? (
          <p className="text-sm text-stone-600 dark:text-stone-400">No active links.</p>
        ) : (
          <ul aria-label="Share links" className="space-y-3">
            {shares.map((share) => {
              const url = share.url && new URL(share.url, origin).toString();
              return (
                <li key={share.id} className="space-y-2">
                  <div className="flex flex-wrap gap-2">
                    {url ? (
                      <>
                        <input
                          readOnly
                          value={url}
                          aria-label="Share link"
                          className="field min-w-0 flex-1 font-mono text-sm"
                        />
                        <CopyButton text={url} />
                      </>
                    ) : (
                      <p className="min-w-0 flex-1 text-sm">
                        This link works but can no longer be shown (the server&rsquo;s key changed): revoke it and
                        create a new one to copy.
                      </p>
                    )}
                    <form action={revokeShareAction}>
                      <input type="hidden" name="id" value={noteId} />
                      <input type="hidden" name="share" value={share.id} />
                      <SubmitButton pendingText="Revoking…" className="btn-secondary">
                        Revoke
                      </SubmitButton>
                    </form>
                  </div>
                  <p className="text-xs text-stone-500 dark:text-stone-400">
                    {share.expired
                      ? "Expired"
                      : share.expiresAt
                        ? `Expires ${dateFormat.format(share.expiresAt)} UTC`
                        : "Never expires"}
                    {share.indexable ? " · search engines allowed" : ""} · {share.viewCount} view
                    {share.viewCount === 1 ? "" : "s"}
                  </p>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </details>
  );
}
