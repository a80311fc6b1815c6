import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { migrate } from "@/lib/db/migrate";
import { actualSchema, diffSchemas, expectedSchema, schemaDrift } from "@/lib/db/schema-drift";
import { createDatabase } from "../../e2e/support/postgres";

/**
 * prisma/schema.prisma is the source of truth and prisma/migrations is hand-written to match it (the schema
 * engine that would generate or check the SQL cannot run here). This proves they agree: the migrated database's
 * catalog, object by object, is exactly what the DMMF of schema.prisma declares, in both directions.
 */

const SCHEMA_FILE = path.resolve(import.meta.dirname, "../../prisma/schema.prisma");
const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");

let schemaText: string;
let migratedPool: pg.Pool;
const pools: pg.Pool[] = [];
const tempDirs: string[] = [];

async function migratedDatabase(migrationsDir?: string): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: await createDatabase(inject("pgAdminUrl"), "drift"), max: 2 });
  pools.push(pool);
  await migrate(pool, migrationsDir);
  return pool;
}

/** The schema text with one model block rewritten. */
function editModel(text: string, model: string, edit: (block: string) => string): string {
  const re = new RegExp(`^model ${model} \\{[\\s\\S]*?^\\}`, "m");
  const block = re.exec(text)?.[0];
  if (!block) throw new Error(`no model ${model} in schema.prisma`);
  const edited = edit(block);
  if (edited === block) throw new Error(`the edit of model ${model} changed nothing`);
  return text.replace(block, edited);
}

function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`${JSON.stringify(from)} not found`);
  return text.replace(from, to);
}

const sorted = (lines: string[]) => [...lines].sort();

beforeAll(async () => {
  schemaText = await readFile(SCHEMA_FILE, "utf8");
  migratedPool = await migratedDatabase();
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe("schema drift", () => {
  it("the migrated database matches schema.prisma", async () => {
    const expected = expectedSchema(schemaText);
    const actual = await actualSchema(migratedPool);
    const drift = diffSchemas(expected, actual);
    expect(drift, `prisma/migrations and prisma/schema.prisma disagree:\n  ${drift.join("\n  ")}\n`).toEqual([]);

    // Not vacuous: every model was compared, with its columns, keys and indexes.
    expect(sorted([...expected.tables])).toEqual([
      "accounts",
      "file_deletions",
      "imports",
      "note_inbox",
      "note_revisions",
      "note_shares",
      "note_tags",
      "notes",
      "personal_access_tokens",
      "rate_limits",
      "revoked_sessions",
      "search_words",
      "sessions",
      "tag_counts",
      "upload_rechecks",
      "uploads",
      "users",
      "verification_tokens",
    ]);
    expect(expected.columns.size).toBeGreaterThanOrEqual(50);
    expect(expected.indexes.size).toBe(46);
    expect(expected.foreignKeys.size).toBe(11);
    expect(actual.tables.has("_prisma_migrations")).toBe(false);

    // The full-text column: a generated tsvector in the database, Unsupported("tsvector") in the schema.
    expect(schemaText).toMatch(/^\s*searchVector\s+Unsupported\("tsvector"\)\?\s+@map\("search_vector"\)/m);
    expect(expected.columns.get("notes.search_vector")).toEqual({
      type: "tsvector",
      nullable: true,
      default: null,
      generated: undefined,
    });
    expect(actual.columns.get("notes.search_vector")).toEqual({
      type: "tsvector",
      nullable: true,
      default: null,
      generated: true,
    });
    expect(actual.indexes.get("notes_owner_search_vector_idx")).toMatchObject({
      method: "gin",
      columns: ["owner_id", "search_vector"],
    });

    // A few mappings spelled out, so that a wrong mapping on both sides cannot agree by accident.
    expect(actual.columns.get("notes.id")).toEqual({
      type: "integer",
      nullable: false,
      default: "autoincrement",
      generated: false,
    });
    expect(actual.columns.get("file_deletions.id")).toMatchObject({ type: "bigint", default: "autoincrement" });
    expect(actual.columns.get("notes.title")).toMatchObject({ type: "character varying(200)", nullable: false });
    expect(actual.columns.get("notes.created_at")).toMatchObject({
      type: "timestamp(3) with time zone",
      default: "now",
    });
    expect(actual.columns.get("notes.updated_at")).toMatchObject({ default: null });
    expect(actual.columns.get("notes.description")).toMatchObject({ type: "text", default: "literal:" });
    expect(actual.indexes.get("notes_owner_created_id_idx")).toMatchObject({
      columns: ["owner_id", "created_at DESC", "id DESC"],
    });
    expect(actual.foreignKeys.get("notes_owner_id_fkey")).toMatchObject({ onDelete: "CASCADE", onUpdate: "CASCADE" });
    expect(actual.sequences).toEqual(new Set(["notes.id", "file_deletions.id", "note_revisions.id"]));
  });

  it("reports exactly what a database changed behind the schema's back", async () => {
    const pool = await migratedDatabase();
    await pool.query(`
      DROP INDEX "notes_owner_created_id_idx";
      ALTER TABLE "notes" ADD COLUMN "stray" INTEGER;
      ALTER TABLE "users" ALTER COLUMN "name" SET NOT NULL;
      ALTER TABLE "notes" ALTER COLUMN "content_type" TYPE VARCHAR(100);
      ALTER TABLE "notes" ALTER COLUMN "updated_at" SET DEFAULT now();
      ALTER TABLE "file_deletions" ALTER COLUMN "attempts" DROP DEFAULT;
      ALTER TABLE "sessions" DROP CONSTRAINT "sessions_user_id_fkey";
      ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey"
        FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
      DROP INDEX "notes_owner_search_vector_idx";
      CREATE INDEX "notes_owner_search_vector_idx" ON "notes" ("owner_id", "search_vector");
      DROP INDEX "uploads_created_at_idx";
      CREATE INDEX "uploads_created_at_idx" ON "uploads" ("created_at" DESC);
      DROP INDEX "users_email_key";
      CREATE INDEX "users_email_key" ON "users" ("email");
      ALTER TABLE "accounts" DROP CONSTRAINT "accounts_pkey";
      ALTER TABLE "uploads" ADD CONSTRAINT "uploads_size_check" CHECK ("size" >= 0);
      CREATE TABLE "stray_table" ("id" SERIAL PRIMARY KEY);
      CREATE SEQUENCE "free_seq";
      CREATE VIEW "note_titles" AS SELECT "id", "title" FROM "notes";
    `);

    expect(sorted(await schemaDrift(schemaText, pool))).toEqual(
      sorted([
        "missing index notes_owner_created_id_idx: INDEX on notes USING btree (owner_id, created_at DESC, id DESC)",
        "unexpected column notes.stray: integer, NULL, default none",
        "column users.name: nullable: database has false, schema.prisma declares true",
        'column notes.content_type: type: database has "character varying(100)", schema.prisma declares "character varying(255)"',
        'column notes.updated_at: default: database has "now", schema.prisma declares null',
        'column file_deletions.attempts: default: database has null, schema.prisma declares "literal:0"',
        'foreign key sessions_user_id_fkey: ON DELETE: database has "SET NULL", schema.prisma declares "CASCADE"',
        'index notes_owner_search_vector_idx: method: database has "btree", schema.prisma declares "gin"',
        'index uploads_created_at_idx: columns: database has ["created_at DESC"], schema.prisma declares ["created_at"]',
        'index users_email_key: kind: database has "index", schema.prisma declares "unique"',
        "missing index accounts_pkey: PRIMARY KEY on accounts USING btree (provider, provider_account_id)",
        "unexpected check constraint uploads_size_check on uploads: CHECK ((size >= 0)) (schema.prisma cannot declare it)",
        "unexpected table stray_table",
        "unexpected index stray_table_pkey: PRIMARY KEY on stray_table USING btree (id)",
        "unexpected sequence owned by stray_table.id",
        "unexpected sequence free_seq (owned by no column)",
        "unexpected view note_titles (schema.prisma cannot declare it)",
      ]),
    );
  });

  it("reports exactly where a migration.sql was written differently from schema.prisma", async () => {
    // A copy of prisma/migrations with the kind of slips a hand-written migration can have.
    const dir = await mkdtemp(path.join(os.tmpdir(), "cloudnotes-drift-"));
    tempDirs.push(dir);
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    // Migrations are immutable once shipped, so the one that creates these tables keeps these statements.
    const init = (await readdir(dir)).sort().find((name) => name.endsWith("_init"));
    const file = path.join(dir, init!, "migration.sql");
    let sql = await readFile(file, "utf8");
    sql = replaceOnce(sql, '"title" VARCHAR(200) NOT NULL', '"title" VARCHAR(201) NOT NULL');
    sql = replaceOnce(sql, '("owner_id", "created_at" DESC, "id" DESC)', '("owner_id", "created_at", "id")');
    sql = replaceOnce(sql, '"expires_at" INTEGER,', '"expires_at" BIGINT,');
    sql = replaceOnce(
      sql,
      'ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE',
      'ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE',
    );
    await writeFile(file, sql);

    expect(sorted(await schemaDrift(schemaText, await migratedDatabase(dir)))).toEqual(
      sorted([
        'column notes.title: type: database has "character varying(201)", schema.prisma declares "character varying(200)"',
        'column accounts.expires_at: type: database has "bigint", schema.prisma declares "integer"',
        'index notes_owner_created_id_idx: columns: database has ["owner_id","created_at","id"], schema.prisma declares ["owner_id","created_at DESC","id DESC"]',
        'foreign key sessions_user_id_fkey: ON UPDATE: database has "NO ACTION", schema.prisma declares "CASCADE"',
      ]),
    );
  });

  it("reports exactly what the schema declares that the database lacks", async () => {
    let text = schemaText;
    text = editModel(text, "Note", (b) =>
      replaceOnce(
        replaceOnce(b, '@@map("notes")', '@@index([title])\n  @@map("notes")'),
        "  owner     User",
        "  starred Boolean @default(false)\n  owner     User",
      ),
    );
    text = editModel(text, "Note", (b) => replaceOnce(b, 'Unsupported("tsvector")', 'Unsupported("tsquery")'));
    // Without onDelete a required relation defaults to Restrict.
    text = editModel(text, "Upload", (b) => replaceOnce(b, ", onDelete: Cascade)", ")"));
    text = editModel(text, "User", (b) =>
      replaceOnce(b, "name           String?", 'name           String? @default("anon") @db.VarChar(80)'),
    );
    text = text.replace(/^model RateLimit \{[\s\S]*?^\}/m, "");

    expect(sorted(await schemaDrift(text, migratedPool))).toEqual(
      sorted([
        "missing column notes.starred: boolean, NOT NULL, default literal:false",
        "missing index notes_title_idx: INDEX on notes USING btree (title)",
        'column notes.search_vector: type: database has "tsvector", schema.prisma declares "tsquery"',
        'foreign key uploads_owner_id_fkey: ON DELETE: database has "CASCADE", schema.prisma declares "RESTRICT"',
        'column users.name: type: database has "text", schema.prisma declares "character varying(80)"',
        'column users.name: default: database has null, schema.prisma declares "literal:anon"',
        "unexpected table rate_limits",
        "unexpected index rate_limits_pkey: PRIMARY KEY on rate_limits USING btree (key)",
      ]),
    );
  });

  it("derives names, types, defaults and referential actions the way Prisma does", () => {
    const long = "a_table_with_a_name_long_enough_to_need_truncation_by_prisma";
    const shape = expectedSchema(`
datasource db {
  provider = "postgresql"
}

enum Role {
  ADMIN
  MEMBER @map("member")

  @@map("roles")
}

model Parent {
  id       String    @id @default(uuid())
  children Child[]
  others   Child[]   @relation("other")
  seen     DateTime  @default(now())
  changed  DateTime  @updatedAt
  price    Decimal
  ratio    Float     @default(1.5)
  raw      Bytes?
  data     Json      @default("{}")
  role     Role      @default(MEMBER)
  code     String    @db.Char(3)
  tz       DateTime  @db.Timestamptz
}

model Child {
  id            BigInt  @id(map: "child_pk") @default(autoincrement())
  parentId      String
  otherParentId String?
  someLongColumnNameThatGoesOnAndOn String
  parent        Parent  @relation(fields: [parentId], references: [id])
  otherParent   Parent? @relation("other", fields: [otherParentId], references: [id], onUpdate: NoAction, map: "child_other_fk")

  @@unique([parentId, someLongColumnNameThatGoesOnAndOn])
  @@map("${long}")
}
`);
    expect(shape.columns.get("Parent.id")).toEqual({ type: "text", nullable: false, default: null, generated: false });
    expect(shape.columns.get("Parent.seen")).toMatchObject({ type: "timestamp(3) without time zone", default: "now" });
    expect(shape.columns.get("Parent.changed")).toMatchObject({ default: null });
    expect(shape.columns.get("Parent.price")).toMatchObject({ type: "numeric(65,30)" });
    expect(shape.columns.get("Parent.ratio")).toMatchObject({ type: "double precision", default: "literal:1.5" });
    expect(shape.columns.get("Parent.raw")).toMatchObject({ type: "bytea", nullable: true });
    expect(shape.columns.get("Parent.data")).toMatchObject({ type: "jsonb", default: "literal:{}" });
    expect(shape.columns.get("Parent.role")).toMatchObject({ type: "roles", default: "enum:member" });
    expect(shape.columns.get("Parent.code")).toMatchObject({ type: "character(3)" });
    expect(shape.columns.get("Parent.tz")).toMatchObject({ type: "timestamp(6) with time zone" });
    expect(shape.enums).toEqual(new Map([["roles", ["ADMIN", "member"]]]));
    expect(shape.columns.get(`${long}.id`)).toMatchObject({ type: "bigint", default: "autoincrement" });
    expect(shape.sequences).toEqual(new Set([`${long}.id`]));
    expect(shape.indexes.get("child_pk")).toMatchObject({ kind: "primary", columns: ["id"] });
    expect(shape.indexes.get("Parent_pkey")).toMatchObject({ kind: "primary", table: "Parent" });

    // PostgreSQL truncates identifiers to 63 bytes; Prisma cuts the prefix and keeps the suffix.
    const uniqueName = `${long}_parentId_someLongColumnNameThatGoesOnAndOn`.slice(0, 63 - 4) + "_key";
    expect(shape.indexes.get(uniqueName)).toMatchObject({
      kind: "unique",
      columns: ["parentId", "someLongColumnNameThatGoesOnAndOn"],
    });
    expect(uniqueName).toHaveLength(63);
    const fkName = `${long}_parentId`.slice(0, 63 - 5) + "_fkey";
    expect(shape.foreignKeys.get(fkName)).toEqual({
      table: long,
      columns: ["parentId"],
      references: "Parent",
      referencedColumns: ["id"],
      onDelete: "RESTRICT",
      onUpdate: "CASCADE",
    });
    expect(shape.foreignKeys.get("child_other_fk")).toMatchObject({ onDelete: "SET NULL", onUpdate: "NO ACTION" });
  });
});
