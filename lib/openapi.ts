import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject } from "zod-openapi";
import {
  apiCreatedPersonalTokenSchema,
  apiNewPersonalTokenSchema,
  apiPersonalTokenSchema,
  apiTokenSchema,
  loginFormSchema,
  personalTokenIdSchema,
} from "@/lib/auth/contract";
import { apiPresignedUploadSchema, apiUploadRequestSchema } from "@/lib/files/rest";
import { httpErrorSchema, validationErrorSchema } from "@/lib/http/fastapi";
import { apiFileKeySchema, apiNewNoteSchema, apiNoteSchema } from "@/lib/notes/rest";
import { apiRevisionSchema } from "@/lib/notes/revision-rest";
import { revisionListQuerySchema, revisionNumberSchema } from "@/lib/notes/revision-schema";
import {
  descriptionUpdateSchema,
  LIST_PAGE_MAX_BYTES,
  listQuerySchema,
  newNoteSchema,
  noteIdSchema,
  tagRenameSchema,
  titleUpdateSchema,
} from "@/lib/notes/schema";
import { SEARCH_COUNT_CAP, SEARCH_RANK_WINDOW, SEARCH_TYPOS_BELOW } from "@/lib/notes/search";
import { importSchema } from "@/lib/transfer/import-contract";
import { apiImportSchema, apiImportUploadRequestSchema, apiStartImportSchema } from "@/lib/transfer/import-rest";
import { publicUserSchema, registrationSchema } from "@/lib/users/schema";
import { apiNewShareSchema, apiShareSchema, shareSchema } from "@/lib/shares/schema";

/**
 * The OpenAPI 3.1 document of the REST API, built from the contracts that validate the requests and shape
 * the responses (lib/<resource>/ and their REST edges), which the integration tests check real responses
 * against.
 */

const messageSchema = z.object({ message: z.string() }).meta({ id: "Message" });

export const tagCountSchema = z
  .object({ tag: z.string(), count: z.number().int().meta({ description: "Notes not in the trash with this tag" }) })
  .meta({ id: "TagCount" });

const tagChangeSchema = z
  .object({ message: z.string(), notes: z.number().int().meta({ description: "Notes whose text was changed" }) })
  .meta({ id: "TagChange" });

const trashEmptiedSchema = z
  .object({ message: z.string(), deleted: z.number().int().meta({ description: "Notes deleted for good" }) })
  .meta({ id: "TrashEmptied" });

const registeredSchema = messageSchema.extend(publicUserSchema.pick({ id: true, email: true }).shape);

/** Documents the request only: the limits are the deployment's (MAX_UPLOAD_BYTES, ALLOWED_UPLOAD_TYPES). */
const uploadRequestDoc = apiUploadRequestSchema(Number.MAX_SAFE_INTEGER, ["*"]).meta({ id: "UploadRequest" });

const loginForm = loginFormSchema.meta({ id: "LoginForm" });

/** The multipart form of POST /notes: the contract's fields, with the file itself instead of `file_key`. */
const multipartNote = newNoteSchema.omit({ fileKey: true }).extend({
  file: z.string().meta({ format: "binary", description: "Optional file, streamed to S3" }).optional(),
});

const jsonOrForm = <S extends z.ZodType>(schema: S) => ({
  content: {
    "application/json": { schema },
    "application/x-www-form-urlencoded": { schema },
  },
});

const ok = (schema: z.ZodType, description = "OK") => ({ description, content: { "application/json": { schema } } });
const err = (description: string) => ({ description, content: { "application/json": { schema: httpErrorSchema } } });

const common = {
  "401": err("Missing, invalid, revoked or expired bearer token"),
  "422": { description: "Validation error", content: { "application/json": { schema: validationErrorSchema } } },
  "429": err("Too many refused personal access tokens from this address (see Retry-After)"),
  "503": err("Database or file storage unavailable"),
};

/** What a write answers on top of `common`: a read-only personal access token is refused. */
const writes = { "403": err("A personal access token without the write scope") };

type Security = Record<string, string[]>[];
/** Reading and writing notes: a password-login JWT or a personal access token (of the write scope to write). */
const secured = { security: [{ bearer: [] }, { personalAccessToken: [] }] as Security };
/** Managing personal access tokens: a password-login JWT only. */
const accountOnly = { security: [{ bearer: [] }] as Security };
const publicOp = { security: [] as Security };
const tokenIdParam = { path: z.object({ id: personalTokenIdSchema.meta({ description: "Token id" }) }) };
const tokenAdminOnly = err("Sent with a personal access token: managing tokens takes a password login");
const idParam = { path: z.object({ id: noteIdSchema.meta({ description: "Note id" }) }) };
const tagParam = {
  path: z.object({
    tag: z.string().meta({ description: "The tag, without #; a nested tag spans segments: work/clients" }),
  }),
};

/** POST sets a flag of a note, DELETE clears it. */
function flagPath(what: string, on: [id: string, summary: string], off: [id: string, summary: string]) {
  const one = ([operationId, summary]: [string, string]) =>
    op({
      operationId,
      tags: ["organise"],
      summary,
      ...secured,
      requestParams: idParam,
      responses: { "200": ok(apiNoteSchema), "404": err("Note not found (or in the trash)"), ...writes, ...common },
    });
  return { post: one(on), delete: one(off), description: what };
}

const SEARCH_HELP =
  "`q` searches titles, descriptions and file names: every word by prefix (`lisb` finds Lisbon) and, failing " +
  `that, when the words find fewer than ${SEARCH_TYPOS_BELOW} notes, by a similar word in titles and file names (\`lisbn\`); ` +
  '`-word` excludes, `"a phrase"` wants words in order. ' +
  `Results of a text search come best match first (full-text rank, then similarity) among its ${SEARCH_RANK_WINDOW} newest ` +
  `matches, then the older ones newest first, with \`X-Total-Count\` (counted up to ${SEARCH_COUNT_CAP}; \`X-Total-Count-Capped: true\` past it); ` +
  "without words, pinned notes come first, then in `sort` order. `q` also takes the filters `tag:work` (or " +
  "`#work`), `is:pinned`, `is:archived`, `in:trash`, `has:file`, `has:image`, `before:YYYY-MM-DD` and " +
  "`after:YYYY-MM-DD`, which are also query parameters of their own (`tag`, `is`, `in`, `has`, `before`, `after`). " +
  "Archived notes are listed unless `is=archived` asks for them only; notes in the trash only with `in=trash`.";

// Optional optimistic concurrency (lib/http/etag.ts): clients that send no If-Match see no difference.
const versionedIdParam = {
  ...idParam,
  header: z.object({
    "if-match": z
      .string()
      .optional()
      .meta({
        description:
          'Apply the change only if the note is still at this version: the ETag of an earlier answer (or "*"). ' +
          "A stale version answers 412.",
      }),
  }),
};
const noteOk = {
  ...ok(apiNoteSchema),
  headers: z.object({
    ETag: z.string().meta({ description: "The note's version (id and updated_at), for If-Match" }),
  }),
};
const stale = { "412": err("If-Match named another version: the note changed since") };
const revisionParam = {
  path: z.object({
    id: noteIdSchema.meta({ description: "Note id" }),
    number: revisionNumberSchema.meta({ description: "Revision number" }),
  }),
};
const revisionMissing = err('"Note not found" (or in the trash, or another user\'s), or "Revision not found"');

function op(o: ZodOpenApiOperationObject): ZodOpenApiOperationObject {
  return o;
}

let cached: ReturnType<typeof createDocument> | undefined;

export function openApiDocument() {
  cached ??= createDocument({
    openapi: "3.1.0",
    info: {
      title: "CloudNotes API",
      version: "1.0.0",
      description:
        "Notes with files, compatible with clients of the original FastAPI CloudNotes. Log in with POST /login " +
        "and send `Authorization: Bearer <access_token>`, or send a personal access token (`cnp_...`) the same " +
        'way. Errors are `{"detail": ...}`.',
    },
    servers: [{ url: "/", description: "The server that serves this document" }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "The access_token of POST /login" },
        personalAccessToken: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "cnp_...",
          description:
            "A personal access token (`cnp_...`), created in the web app's settings or with POST /tokens; " +
            "scope `read` or `write`",
        },
      },
    },
    paths: {
      "/register": {
        post: op({
          operationId: "registerUser",
          ...publicOp,
          tags: ["auth"],
          summary: "Create a user",
          requestBody: jsonOrForm(registrationSchema),
          responses: { "200": ok(registeredSchema), "400": err("Email already registered"), "422": common["422"] },
        }),
      },
      "/login": {
        post: op({
          operationId: "login",
          ...publicOp,
          tags: ["auth"],
          summary: "Get an access token (OAuth2 password flow)",
          requestBody: jsonOrForm(loginForm),
          responses: {
            "200": ok(apiTokenSchema),
            "401": err("Invalid email or password"),
            "403": err("Account disabled (only said once the password was right)"),
            "422": common["422"],
            "429": err("Too many failed attempts from this address, or for this account (see Retry-After)"),
          },
        }),
      },
      "/notes": {
        get: op({
          operationId: "listNotes",
          tags: ["notes"],
          summary: "The caller's notes (newest first), searched and filtered",
          description:
            SEARCH_HELP +
            "\n\n" +
            'Pages with `limit` and the opaque `cursor` announced in the `Link: <...>; rel="next"` header. A page also ' +
            `ends once its titles and descriptions reach ${LIST_PAGE_MAX_BYTES / 1024 / 1024} MiB (UTF-8; always at least one note): ` +
            "fewer notes than `limit` does not mean the last page, the absence of a `Link` header does.",
          ...secured,
          requestParams: { query: listQuerySchema },
          responses: {
            "200": {
              ...ok(z.array(apiNoteSchema)),
              headers: z.object({
                "x-total-count": z
                  .string()
                  .optional()
                  .meta({
                    description: `Matches of a text search, counted up to ${SEARCH_COUNT_CAP}`,
                  }),
                "x-total-count-capped": z
                  .string()
                  .optional()
                  .meta({ description: `"true" when a text search has more than ${SEARCH_COUNT_CAP} matches` }),
              }),
            },
            ...common,
          },
        }),
        post: op({
          tags: ["notes"],
          summary: "Create a note",
          operationId: "createNote",
          ...secured,
          requestBody: {
            content: {
              "multipart/form-data": { schema: multipartNote },
              "application/json": { schema: apiNewNoteSchema },
            },
          },
          responses: {
            "200": ok(apiNoteSchema),
            "400": err("Unknown file_key"),
            "413": err("File too large"),
            "415": err("Unsupported type"),
            ...writes,
            ...common,
          },
        }),
      },
      "/notes/{id}": {
        get: op({
          operationId: "getNote",
          tags: ["notes"],
          summary: "One note",
          ...secured,
          requestParams: idParam,
          responses: { "200": noteOk, "404": err("Note not found"), ...common },
        }),
        delete: op({
          tags: ["notes"],
          summary: "Move a note to the trash and delete its file",
          description:
            "As the original API did, the file is deleted now; the note stays restorable (POST /notes/{id}/restore) " +
            "until the trash is emptied or TRASH_RETENTION_DAYS pass. POST /notes/{id}/trash keeps the file.",
          operationId: "deleteNote",
          ...secured,
          requestParams: versionedIdParam,
          responses: { "200": ok(messageSchema), "404": err("Note not found"), ...stale, ...writes, ...common },
        }),
      },
      "/notes/{id}/title": {
        put: op({
          operationId: "updateNoteTitle",
          tags: ["notes"],
          summary: "Change the title",
          ...secured,
          requestParams: versionedIdParam,
          requestBody: jsonOrForm(titleUpdateSchema),
          responses: { "200": noteOk, "404": err("Note not found"), ...stale, ...writes, ...common },
        }),
      },
      "/notes/{id}/description": {
        put: op({
          operationId: "updateNoteDescription",
          tags: ["notes"],
          summary: "Change the description",
          ...secured,
          requestParams: versionedIdParam,
          requestBody: jsonOrForm(descriptionUpdateSchema),
          responses: { "200": noteOk, "404": err("Note not found"), ...stale, ...writes, ...common },
        }),
      },
      "/notes/{id}/file": {
        put: op({
          operationId: "replaceNoteFile",
          tags: ["notes"],
          summary: "Replace the file (the old object is deleted)",
          ...secured,
          requestParams: versionedIdParam,
          requestBody: {
            content: {
              "multipart/form-data": { schema: z.object({ file: z.string().meta({ format: "binary" }) }) },
              "application/json": { schema: apiFileKeySchema },
            },
          },
          responses: {
            "200": noteOk,
            "404": err("Note not found"),
            ...stale,
            "413": err("File too large"),
            "415": err("Unsupported type"),
            ...writes,
            ...common,
          },
        }),
        delete: op({
          tags: ["notes"],
          summary: "Remove the file",
          operationId: "removeNoteFile",
          ...secured,
          requestParams: versionedIdParam,
          responses: { "200": noteOk, "404": err("Note not found"), ...stale, ...writes, ...common },
        }),
      },
      "/notes/{id}/pin": flagPath(
        "Pinned notes come first in listings",
        ["pinNote", "Pin a note"],
        ["unpinNote", "Unpin a note"],
      ),
      "/notes/{id}/archive": flagPath(
        "Archived notes leave the UI's main list; they stay in GET /notes and in searches",
        ["archiveNote", "Archive a note"],
        ["unarchiveNote", "Unarchive a note"],
      ),
      "/notes/{id}/trash": {
        post: op({
          tags: ["organise"],
          operationId: "trashNote",
          summary: "Move a note to the trash, keeping its file (restorable until the trash is emptied or expires)",
          ...secured,
          requestParams: idParam,
          responses: {
            "200": ok(apiNoteSchema),
            "404": err("Note not found (or already in the trash)"),
            ...writes,
            ...common,
          },
        }),
      },
      "/notes/{id}/revisions": {
        get: op({
          operationId: "listNoteRevisions",
          tags: ["history"],
          summary: "A note's revisions, newest first",
          description:
            "Every save of a note's title, description or file keeps a revision (the newest is the note as it is). " +
            "Kept: the newest 50, and beyond them the last revision of each day (UTC). Pages with `limit` and the " +
            'opaque `cursor` of the `Link: <...>; rel="next"` header; a page also ends once its titles and ' +
            `descriptions reach ${LIST_PAGE_MAX_BYTES / 1024 / 1024} MiB.`,
          ...secured,
          requestParams: { ...idParam, query: revisionListQuerySchema },
          responses: {
            "200": ok(z.array(apiRevisionSchema)),
            "404": err("Note not found (or in the trash, or another user's)"),
            ...common,
          },
        }),
      },
      "/notes/{id}/revisions/{number}": {
        get: op({
          operationId: "getNoteRevision",
          tags: ["history"],
          summary: "One revision of a note",
          ...secured,
          requestParams: revisionParam,
          responses: { "200": ok(apiRevisionSchema), "404": revisionMissing, ...common },
        }),
      },
      "/notes/{id}/revisions/{number}/restore": {
        post: op({
          operationId: "restoreNoteRevision",
          tags: ["history"],
          summary: "Restore a revision: the note takes its title, description and file, saved as a new revision",
          description:
            "History is never rewritten: the restored state becomes the newest revision. The file a revision had " +
            "stays stored while a kept revision names it. With If-Match, applies only to that version of the note.",
          ...secured,
          requestParams: { ...revisionParam, header: versionedIdParam.header },
          responses: { "200": noteOk, "404": revisionMissing, ...stale, ...writes, ...common },
        }),
      },
      "/notes/{id}/restore": {
        post: op({
          tags: ["organise"],
          operationId: "restoreNote",
          summary: "Bring a note back from the trash",
          ...secured,
          requestParams: idParam,
          responses: { "200": ok(apiNoteSchema), "404": err("Note not found in the trash"), ...writes, ...common },
        }),
      },
      "/notes/{id}/shares": {
        get: op({
          tags: ["shares"],
          operationId: "listShareLinks",
          summary: "The note's read-only share links that are not revoked (expired ones marked), newest first",
          ...secured,
          requestParams: idParam,
          responses: { "200": ok(z.array(apiShareSchema)), "404": err("Note not found (or in the trash)"), ...common },
        }),
        post: op({
          tags: ["shares"],
          operationId: "createShareLink",
          summary: "Share a note read-only by link (/s/<token>, 256 random bits); the note's owner can copy it again",
          ...secured,
          requestParams: idParam,
          requestBody: { content: { "application/json": { schema: apiNewShareSchema } } },
          responses: {
            "201": ok(apiShareSchema, "Created"),
            "404": err("Note not found (or in the trash)"),
            "415": err("Not JSON"),
            ...writes,
            ...common,
          },
        }),
      },
      "/notes/{id}/shares/{share_id}": {
        delete: op({
          tags: ["shares"],
          operationId: "revokeShareLink",
          summary: "Revoke a share link: it stops working at once",
          ...secured,
          requestParams: {
            path: z.object({
              id: noteIdSchema.meta({ description: "Note id" }),
              share_id: shareSchema.shape.id.meta({ description: "Share link id" }),
            }),
          },
          responses: {
            "204": { description: "Revoked" },
            "404": err("Note or share link not found (or already revoked)"),
            ...writes,
            ...common,
          },
        }),
      },
      "/trash": {
        get: op({
          tags: ["organise"],
          operationId: "listTrash",
          summary: "The notes in the trash (GET /notes?in=trash: same parameters, same paging)",
          ...secured,
          requestParams: { query: listQuerySchema },
          responses: { "200": ok(z.array(apiNoteSchema)), ...common },
        }),
        delete: op({
          tags: ["organise"],
          operationId: "emptyTrash",
          summary: "Empty the trash: its notes and their files are deleted for good",
          ...secured,
          responses: { "200": ok(trashEmptiedSchema), ...writes, ...common },
        }),
      },
      "/trash/{id}": {
        delete: op({
          tags: ["organise"],
          operationId: "deleteTrashedNote",
          summary: "Delete one note of the trash for good (and its file)",
          ...secured,
          requestParams: idParam,
          responses: { "200": ok(messageSchema), "404": err("Note not found in the trash"), ...writes, ...common },
        }),
      },
      "/tags": {
        get: op({
          tags: ["organise"],
          operationId: "listTags",
          summary: "The caller's tags with their note counts (#words of titles and descriptions)",
          ...secured,
          responses: { "200": ok(z.array(tagCountSchema)), ...common },
        }),
      },
      "/tags/{tag}": {
        put: op({
          tags: ["organise"],
          operationId: "renameTag",
          summary: "Rename a tag (and the tags nested under it) in the text of every note that has it",
          ...secured,
          requestParams: tagParam,
          requestBody: jsonOrForm(tagRenameSchema),
          responses: { "200": ok(tagChangeSchema), "404": err("Tag not found"), ...writes, ...common },
        }),
        delete: op({
          tags: ["organise"],
          operationId: "deleteTag",
          summary: "Remove a tag from every note (its # goes, the word stays)",
          ...secured,
          requestParams: tagParam,
          responses: { "200": ok(tagChangeSchema), "404": err("Tag not found"), ...writes, ...common },
        }),
      },
      "/uploads": {
        post: op({
          operationId: "createUpload",
          tags: ["files"],
          summary: "Presigned POST for a direct upload to S3",
          ...secured,
          requestBody: { content: { "application/json": { schema: uploadRequestDoc } } },
          responses: { "200": ok(apiPresignedUploadSchema), ...writes, ...common },
        }),
      },
      "/imports/uploads": {
        post: op({
          operationId: "createImportUpload",
          tags: ["import"],
          summary: "Presigned POST for the archive to import (a zip: a CloudNotes export or a Google Keep Takeout)",
          description:
            "Send the zip straight to S3 with this form (Content-Type application/zip, exactly `size` bytes, at " +
            "most IMPORT_MAX_BYTES), then start the import with POST /imports and its `key`.",
          ...secured,
          requestBody: {
            content: { "application/json": { schema: apiImportUploadRequestSchema(Number.MAX_SAFE_INTEGER) } },
          },
          responses: { "200": ok(apiPresignedUploadSchema), ...writes, ...common },
        }),
      },
      "/imports": {
        post: op({
          operationId: "startImport",
          tags: ["import"],
          summary: "Import an uploaded archive in the background",
          description:
            "The archive is checked whole before any note is written, then every note is written at once: a bad " +
            "archive fails with `error` and imports nothing. Importing the same archive again into the same " +
            "account creates nothing new. Poll GET /imports/{id}.",
          ...secured,
          requestBody: { content: { "application/json": { schema: apiStartImportSchema } } },
          responses: {
            "202": ok(apiImportSchema, "Queued"),
            "400": err("Unknown key, or the archive was not uploaded"),
            "409": err("Another import of this account is under way"),
            "415": err("Not JSON"),
            ...writes,
            ...common,
          },
        }),
      },
      "/imports/{id}": {
        get: op({
          operationId: "getImport",
          tags: ["import"],
          summary: "An import's progress and result",
          ...secured,
          requestParams: { path: z.object({ id: importSchema.shape.id.meta({ description: "Import id" }) }) },
          responses: { "200": ok(apiImportSchema), "404": err("Import not found"), ...common },
        }),
      },
      "/tokens": {
        get: op({
          operationId: "listTokens",
          tags: ["tokens"],
          summary: "The caller's personal access tokens (never their secrets)",
          ...accountOnly,
          responses: { "200": ok(z.array(apiPersonalTokenSchema)), "403": tokenAdminOnly, ...common },
        }),
        post: op({
          operationId: "createToken",
          tags: ["tokens"],
          summary: "Create a personal access token; its secret is in this answer only",
          ...accountOnly,
          requestBody: { content: { "application/json": { schema: apiNewPersonalTokenSchema } } },
          responses: {
            "201": ok(apiCreatedPersonalTokenSchema, "Created"),
            "403": tokenAdminOnly,
            "415": err("Not JSON"),
            ...common,
          },
        }),
      },
      "/tokens/{id}": {
        delete: op({
          operationId: "revokeToken",
          tags: ["tokens"],
          summary: "Revoke a personal access token (it stops working at once)",
          ...accountOnly,
          requestParams: tokenIdParam,
          responses: { "200": ok(messageSchema), "403": tokenAdminOnly, "404": err("Token not found"), ...common },
        }),
      },
      "/export": {
        get: op({
          operationId: "exportNotes",
          tags: ["export"],
          summary: "Everything the caller owns as one zip, streamed",
          description:
            "Every note (archived and trashed ones too) as `notes/<slug>-<id>.md` (YAML front matter: id, title, tags, " +
            "pinned, archived, created, updated, deleted_at when trashed, file; then the description unchanged), its " +
            "file beside it as `notes/<slug>-<id>/<name>`, and `manifest.json` last, listing every note and file with " +
            "its size and sha256. The length is not known ahead; the `X-Export-*` headers estimate it. A failure " +
            "mid-way breaks the download off: a zip that ends without its manifest and central directory is incomplete.",
          ...secured,
          responses: {
            "200": {
              description: "The zip",
              headers: z.object({
                "content-disposition": z.string().meta({ description: 'attachment; filename="cloudnotes-<date>.zip"' }),
                "x-export-notes": z.string().meta({ description: "Notes in the export" }),
                "x-export-files": z.string().meta({ description: "Files in the export" }),
                "x-export-estimated-bytes": z.string().meta({ description: "About how many bytes the zip will be" }),
              }),
              content: { "application/zip": { schema: z.string().meta({ format: "binary" }) } },
            },
            "401": common["401"],
            "429": err(
              "Two exports of this user (or eight of this server) already under way, or too many refused personal " +
                "access tokens from this address (see Retry-After)",
            ),
            "503": common["503"],
          },
        }),
      },
      "/healthz": {
        get: op({
          operationId: "health",
          ...publicOp,
          tags: ["operations"],
          summary: "Process alive",
          responses: { "200": { description: "OK" } },
        }),
      },
      "/readyz": {
        get: op({
          operationId: "ready",
          ...publicOp,
          tags: ["operations"],
          summary: "Database and S3 reachable",
          responses: { "200": { description: "Ready" }, "503": { description: "Not ready" } },
        }),
      },
    },
  });
  return cached;
}
