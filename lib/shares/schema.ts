import { z } from "zod";
import { restSchema, toRest } from "@/lib/http/rest-shape";

/**
 * The share-link contract: what creating a link takes (the note page's form and POST /notes/{id}/shares),
 * what the owner sees of a link, and the same at the REST edge in snake_case. lib/shares/service.ts holds
 * the rules.
 */

/** A share token: 256 random bits, base64url (lib/auth/personal-tokens.ts's randomSecret). */
export const SHARE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const isShareToken = (token: string) => SHARE_TOKEN_PATTERN.test(token);
export const sharePath = (token: string) => `/s/${token}`;

/** The expiries the UI offers, in days ("never": no expiry). */
export const SHARE_EXPIRY_CHOICES = ["never", "1", "7", "30"] as const;
export const SHARE_EXPIRY_MAX_DAYS = 3650;

const futureDate = z.date().refine((d) => d.getTime() > Date.now(), "must be in the future");

/** Creating a link: an expiry (absent or null: never) and whether search engines may index the page. */
export const newShareSchema = z.object({
  expiresAt: futureDate.nullish(),
  indexable: z.boolean().default(false),
});
export type NewShare = z.infer<typeof newShareSchema>;

/** The note page's form: an expiry choice in days and a checkbox. */
export const shareFormSchema = z
  .object({
    expires: z.enum(SHARE_EXPIRY_CHOICES).default("never"),
    indexable: z.literal("on").optional(),
  })
  .transform(({ expires, indexable }): NewShare => ({
    expiresAt: expires === "never" ? null : new Date(Date.now() + Number(expires) * 24 * 3600 * 1000),
    indexable: indexable === "on",
  }));

/** A link as its owner sees it: the token too (the owner may copy the link again). */
export const shareSchema = z.object({
  id: z.string(),
  noteId: z.number().int(),
  /** Null when it can no longer be unsealed (SECRET_KEY changed): the link works, but cannot be shown. */
  token: z.string().nullable(),
  indexable: z.boolean(),
  createdAt: z.date(),
  expiresAt: z.date().nullable(),
  /** Past its expiry (by the database's clock): the link no longer opens. */
  expired: z.boolean(),
  lastViewedAt: z.date().nullable(),
  viewCount: z.number().int(),
});
export type Share = z.infer<typeof shareSchema>;

// --- REST edge ------------------------------------------------------------------------------------------

/** POST /notes/{id}/shares. */
export const apiNewShareSchema = z
  .object({
    expires_at: z.iso
      .datetime({ offset: true })
      .nullish()
      .meta({ description: "When the link stops working (in the future); absent or null: never" }),
    indexable: z.boolean().optional().meta({ description: "Let search engines index the shared page (default false)" }),
  })
  .meta({ id: "NewShareLink" })
  .transform((body, ctx): NewShare => {
    const expiresAt = body.expires_at ? new Date(body.expires_at) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      ctx.addIssue({ code: "custom", path: ["expires_at"], message: "expires_at must be in the future" });
      return z.NEVER;
    }
    return { expiresAt, indexable: body.indexable ?? false };
  });

const { id, note_id, ...owned } = restSchema(shareSchema.omit({ token: true })).shape;

/** A link at the REST edge: the address to share in place of the token. */
export const apiShareSchema = z
  .object({
    id,
    note_id,
    url: z.string().nullable().meta({
      description: "The read-only link (anyone who has it can read the note); null if it can no longer be shown",
    }),
    ...owned,
  })
  .meta({ id: "ShareLink" });
export type ApiShare = z.infer<typeof apiShareSchema>;

export function toApiShare(share: Share, origin: string): ApiShare {
  return toRest(apiShareSchema, {
    ...share,
    url: share.token ? new URL(sharePath(share.token), origin).toString() : null,
  });
}
