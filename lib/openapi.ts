import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject } from "zod-openapi";
import { apiTokenSchema, loginFormSchema } from "@/lib/auth/contract";
import { apiPresignedUploadSchema, apiUploadRequestSchema } from "@/lib/files/rest";
import { httpErrorSchema, validationErrorSchema } from "@/lib/http/fastapi";
import { apiFileKeySchema, apiNewNoteSchema, apiNoteSchema } from "@/lib/notes/rest";
import {
  descriptionUpdateSchema,
  LIST_PAGE_MAX_BYTES,
  listQuerySchema,
  newNoteSchema,
  noteIdSchema,
  tagRenameSchema,
  titleUpdateSchema,
} from "@/lib/notes/schema";
import { publicUserSchema, registrationSchema } from "@/lib/users/schema";

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
  "401": err("Missing, invalid or expired bearer token"),
  "422": { description: "Validation error", content: { "application/json": { schema: validationErrorSchema } } },
  "503": err("Database or file storage unavailable"),
};

const secured = { security: [{ bearer: [] }] };
const idParam = { path: z.object({ id: noteIdSchema.meta({ description: "Note id" }) }) };
const tagParam = {
  path: z.object({
    tag: z.string().meta({ description: "The tag, without #; a nested tag spans segments: work/clients" }),
  }),
};

/** POST sets a flag of a note, DELETE clears it. */
function flagPath(what: string, on: string, off: string) {
  const one = (summary: string) =>
    op({
      tags: ["organise"],
      summary,
      ...secured,
      requestParams: idParam,
      responses: { "200": ok(apiNoteSchema), "404": err("Note not found (or in the trash)"), ...common },
    });
  return { post: one(on), delete: one(off), description: what };
}

const SEARCH_HELP =
  "`q` searches titles, descriptions and file names: every word by prefix (`lisb` finds Lisbon) and, failing " +
  'that, by similarity in titles and file names (`lisbn`); `-word` excludes, `"a phrase"` wants words in order. ' +
  "Results of a text search come best match first (full-text rank, then similarity), with `X-Total-Count`; " +
  "without words, pinned notes come first, then in `sort` order. `q` also takes the filters `tag:work` (or " +
  "`#work`), `is:pinned`, `is:archived`, `in:trash`, `has:file`, `has:image`, `before:YYYY-MM-DD` and " +
  "`after:YYYY-MM-DD`, which are also query parameters of their own (`tag`, `is`, `in`, `has`, `before`, `after`). " +
  "Archived notes are listed unless `is=archived` asks for them only; notes in the trash only with `in=trash`.";

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
        'and send `Authorization: Bearer <access_token>`. Errors are `{"detail": ...}`.',
    },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
    paths: {
      "/register": {
        post: op({
          tags: ["auth"],
          summary: "Create a user",
          requestBody: jsonOrForm(registrationSchema),
          responses: { "200": ok(registeredSchema), "400": err("Email already registered"), "422": common["422"] },
        }),
      },
      "/login": {
        post: op({
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
                "x-total-count": z.string().optional().meta({ description: "Matches of a text search" }),
              }),
            },
            ...common,
          },
        }),
        post: op({
          tags: ["notes"],
          summary: "Create a note",
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
            ...common,
          },
        }),
      },
      "/notes/{id}": {
        get: op({
          tags: ["notes"],
          summary: "One note",
          ...secured,
          requestParams: idParam,
          responses: { "200": ok(apiNoteSchema), "404": err("Note not found"), ...common },
        }),
        delete: op({
          tags: ["notes"],
          summary: "Move a note to the trash and delete its file",
          description:
            "As the original API did, the file is deleted now; the note stays restorable (POST /notes/{id}/restore) " +
            "until the trash is emptied or TRASH_RETENTION_DAYS pass. POST /notes/{id}/trash keeps the file.",
          ...secured,
          requestParams: idParam,
          responses: { "200": ok(messageSchema), "404": err("Note not found"), ...common },
        }),
      },
      "/notes/{id}/title": {
        put: op({
          tags: ["notes"],
          summary: "Change the title",
          ...secured,
          requestParams: idParam,
          requestBody: jsonOrForm(titleUpdateSchema),
          responses: { "200": ok(apiNoteSchema), "404": err("Note not found"), ...common },
        }),
      },
      "/notes/{id}/description": {
        put: op({
          tags: ["notes"],
          summary: "Change the description",
          ...secured,
          requestParams: idParam,
          requestBody: jsonOrForm(descriptionUpdateSchema),
          responses: { "200": ok(apiNoteSchema), "404": err("Note not found"), ...common },
        }),
      },
      "/notes/{id}/file": {
        put: op({
          tags: ["notes"],
          summary: "Replace the file (the old object is deleted)",
          ...secured,
          requestParams: idParam,
          requestBody: {
            content: {
              "multipart/form-data": { schema: z.object({ file: z.string().meta({ format: "binary" }) }) },
              "application/json": { schema: apiFileKeySchema },
            },
          },
          responses: {
            "200": ok(apiNoteSchema),
            "404": err("Note not found"),
            "413": err("File too large"),
            "415": err("Unsupported type"),
            ...common,
          },
        }),
        delete: op({
          tags: ["notes"],
          summary: "Remove the file",
          ...secured,
          requestParams: idParam,
          responses: { "200": ok(apiNoteSchema), "404": err("Note not found"), ...common },
        }),
      },
      "/notes/{id}/pin": flagPath("Pinned notes come first in listings", "Pin a note", "Unpin a note"),
      "/notes/{id}/archive": flagPath(
        "Archived notes leave the UI's main list; they stay in GET /notes and in searches",
        "Archive a note",
        "Unarchive a note",
      ),
      "/notes/{id}/trash": {
        post: op({
          tags: ["organise"],
          summary: "Move a note to the trash, keeping its file (restorable until the trash is emptied or expires)",
          ...secured,
          requestParams: idParam,
          responses: { "200": ok(apiNoteSchema), "404": err("Note not found (or already in the trash)"), ...common },
        }),
      },
      "/notes/{id}/restore": {
        post: op({
          tags: ["organise"],
          summary: "Bring a note back from the trash",
          ...secured,
          requestParams: idParam,
          responses: { "200": ok(apiNoteSchema), "404": err("Note not found in the trash"), ...common },
        }),
      },
      "/trash": {
        get: op({
          tags: ["organise"],
          summary: "The notes in the trash (GET /notes?in=trash: same parameters, same paging)",
          ...secured,
          requestParams: { query: listQuerySchema },
          responses: { "200": ok(z.array(apiNoteSchema)), ...common },
        }),
        delete: op({
          tags: ["organise"],
          summary: "Empty the trash: its notes and their files are deleted for good",
          ...secured,
          responses: { "200": ok(trashEmptiedSchema), ...common },
        }),
      },
      "/trash/{id}": {
        delete: op({
          tags: ["organise"],
          summary: "Delete one note of the trash for good (and its file)",
          ...secured,
          requestParams: idParam,
          responses: { "200": ok(messageSchema), "404": err("Note not found in the trash"), ...common },
        }),
      },
      "/tags": {
        get: op({
          tags: ["organise"],
          summary: "The caller's tags with their note counts (#words of titles and descriptions)",
          ...secured,
          responses: { "200": ok(z.array(tagCountSchema)), ...common },
        }),
      },
      "/tags/{tag}": {
        put: op({
          tags: ["organise"],
          summary: "Rename a tag (and the tags nested under it) in the text of every note that has it",
          ...secured,
          requestParams: tagParam,
          requestBody: jsonOrForm(tagRenameSchema),
          responses: { "200": ok(tagChangeSchema), "404": err("Tag not found"), ...common },
        }),
        delete: op({
          tags: ["organise"],
          summary: "Remove a tag from every note (its # goes, the word stays)",
          ...secured,
          requestParams: tagParam,
          responses: { "200": ok(tagChangeSchema), "404": err("Tag not found"), ...common },
        }),
      },
      "/uploads": {
        post: op({
          tags: ["files"],
          summary: "Presigned POST for a direct upload to S3",
          ...secured,
          requestBody: { content: { "application/json": { schema: uploadRequestDoc } } },
          responses: { "200": ok(apiPresignedUploadSchema), ...common },
        }),
      },
      "/healthz": {
        get: op({ tags: ["operations"], summary: "Process alive", responses: { "200": { description: "OK" } } }),
      },
      "/readyz": {
        get: op({
          tags: ["operations"],
          summary: "Database and S3 reachable",
          responses: { "200": { description: "Ready" }, "503": { description: "Not ready" } },
        }),
      },
    },
  });
  return cached;
}
