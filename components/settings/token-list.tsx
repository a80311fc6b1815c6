import { revokeTokenAction } from "@/app/settings/tokens/actions";
import type { PersonalToken } from "@/lib/auth/contract";

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const when = (d: Date) => `${dateFormat.format(d)} UTC`;

/** The user's tokens (never their secrets), each with a revoke button that works without JavaScript. */
export function TokenList({ tokens }: { tokens: PersonalToken[] }) {
  return (
    <section aria-labelledby="tokens-heading" className="space-y-3">
      <h2 id="tokens-heading" className="text-base font-semibold">
        Your tokens
      </h2>
      {tokens.length === 0 ? (
        <p className="text-sm text-stone-600 dark:text-stone-400">No tokens yet.</p>
      ) : (
        <ul className="space-y-3">
          {tokens.map((t) => {
            return (
              <li key={t.id} className="card flex flex-wrap items-start justify-between gap-3 p-4" aria-label={t.name}>
                <div className="min-w-0 space-y-1 text-sm">
                  <p className="font-medium">
                    {t.name}{" "}
                    <span className="ml-1 rounded bg-stone-100 px-1.5 py-0.5 text-xs font-normal dark:bg-stone-800">
                      {t.scope === "write" ? "read and write" : "read only"}
                    </span>
                  </p>
                  <p className="font-mono text-xs text-stone-500 dark:text-stone-400">{t.prefix}…</p>
                  <p className="text-stone-600 dark:text-stone-400">
                    Created {when(t.createdAt)} ·{" "}
                    {t.expiresAt ? `${t.expired ? "Expired" : "Expires"} ${when(t.expiresAt)}` : "Never expires"} ·{" "}
                    {t.lastUsedAt ? `Last used ${when(t.lastUsedAt)}` : "Never used"}
                  </p>
                </div>
                <form action={revokeTokenAction}>
                  <input type="hidden" name="id" value={t.id} />
                  <button type="submit" className="btn-danger" aria-label={`Revoke ${t.name}`}>
                    Revoke
                  </button>
                </form>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
