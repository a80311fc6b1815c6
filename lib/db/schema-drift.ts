import { get_dmmf } from "@prisma/prisma-schema-wasm";
import type pg from "pg";

/**
 * Schema drift detection for a project that cannot run `prisma migrate diff`: what prisma/schema.prisma
 * declares (through the DMMF of Prisma's own schema parser) and what a PostgreSQL database really holds (from
 * pg_catalog) are both reduced to the same flat description, then compared object by object. Used by
 * lib/db/schema-drift.integration.test.ts; test-only code, never imported by the app.
 */

/** One column, in the terms PostgreSQL reports them. */
export interface ColumnShape {
  /** format_type(): "text", "character varying(200)", "timestamp(3) with time zone", "tsvector"... */
  type: string;
  nullable: boolean;
  /**
   * null (no default), "autoincrement" (nextval of a sequence), "now" (CURRENT_TIMESTAMP), "literal:<value>",
   * "enum:<value>", "expr:<SQL>" (dbgenerated / anything else).
   */
  default: string | null;
  /** A GENERATED ALWAYS AS (...) STORED column. undefined in an expectation means "either". */
  generated?: boolean;
}

export interface IndexShape {
  table: string;
  kind: "primary" | "unique" | "index";
  method: string;
  /** Column names in order, with " DESC", " NULLS FIRST/LAST" and a non-default operator class appended. */
  columns: string[];
  /** A partial index's predicate (Prisma never makes one). */
  predicate?: string | null;
}

export interface ForeignKeyShape {
  table: string;
  columns: string[];
  references: string;
  referencedColumns: string[];
  onDelete: string;
  onUpdate: string;
}

/** Everything compared, keyed by name ("table", "table.column", index / constraint name...). */
export interface SchemaShape {
  tables: Set<string>;
  columns: Map<string, ColumnShape>;
  indexes: Map<string, IndexShape>;
  foreignKeys: Map<string, ForeignKeyShape>;
  enums: Map<string, string[]>;
  /** "table.column" of the column that owns each sequence (serial / autoincrement), or the name of a free one. */
  sequences: Set<string>;
  /** Objects Prisma cannot declare at all (views, triggers, check constraints): always drift when present. */
  others: Set<string>;
}

// PostgreSQL's NAMEDATALEN - 1; Prisma truncates generated constraint names to it.
const PG_MAX_IDENTIFIER = 63;

/** Tables that exist in every Prisma-migrated database without being part of the data model. */
const BOOKKEEPING_TABLES = new Set(["_prisma_migrations"]);

// ------------------------------------------------------------------------------------------------------------
// The DMMF (the subset used here)

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  isUpdatedAt?: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}

interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  dbName?: string | null;
  algorithm?: string;
  fields: { name: string; sortOrder?: "asc" | "desc"; operatorClass?: string }[];
}

interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: { name: string; dbName?: string | null }[];
}

interface Dmmf {
  datamodel: { models: DmmfModel[]; enums: DmmfEnum[]; indexes: DmmfIndex[] };
}

export function parseDmmf(schemaText: string): Dmmf {
  return JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", schemaText]] }))) as Dmmf;
}

/**
 * What the DMMF leaves out, read from the schema text: Unsupported("...") fields (name, type, optionality,
 * @map, @default(dbgenerated(...))) and the `map:` names of @relation foreign keys.
 */
function parseSchemaText(schemaText: string) {
  const unsupported = new Map<string, DmmfField[]>();
  const relationMaps = new Map<string, string>(); // "Model.field" → constraint name
  const blockRe = /^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm;
  for (const block of schemaText.matchAll(blockRe)) {
    const model = block[1]!;
    const fields: DmmfField[] = [];
    for (const rawLine of block[2]!.split("\n")) {
      const line = rawLine.trim();
      if (line.startsWith("//") || line.startsWith("@@")) continue;
      const u = /^(\w+)\s+Unsupported\("((?:[^"\\]|\\.)*)"\)(\?|\[\])?(.*)$/.exec(line);
      if (u) {
        const attrs = u[4] ?? "";
        const dbGenerated = /@default\(\s*dbgenerated\(\s*"((?:[^"\\]|\\.)*)"\s*\)\s*\)/.exec(attrs);
        fields.push({
          name: u[1]!,
          dbName: /@map\(\s*"([^"]+)"\s*\)/.exec(attrs)?.[1] ?? null,
          kind: "unsupported",
          type: u[2]!.replace(/\\"/g, '"'),
          isList: u[3] === "[]",
          isRequired: u[3] !== "?",
          hasDefaultValue: Boolean(dbGenerated),
          default: dbGenerated ? { name: "dbgenerated", args: [dbGenerated[1]!.replace(/\\"/g, '"')] } : undefined,
        });
        continue;
      }
      const rel = /^(\w+)\s+\w+(?:\?|\[\])?\s+.*@relation\(([^)]*)\)/.exec(line);
      const map = rel ? /map:\s*"([^"]+)"/.exec(rel[2]!) : null;
      if (rel && map) relationMaps.set(`${model}.${rel[1]}`, map[1]!);
    }
    unsupported.set(model, fields);
  }
  return { unsupported, relationMaps };
}

function truncatedName(base: string, suffix: string): string {
  const limit = PG_MAX_IDENTIFIER - suffix.length;
  return (base.length >= limit ? base.slice(0, limit) : base) + suffix;
}

/** Prisma's type mapping for PostgreSQL (scalar type + @db native type → format_type() text). */
function columnType(field: DmmfField, enumNames: Map<string, string>): string {
  let type: string;
  if (field.kind === "unsupported") {
    type = field.type;
  } else if (field.kind === "enum") {
    type = enumNames.get(field.type) ?? field.type;
  } else if (field.nativeType) {
    const [name, args] = field.nativeType;
    const arg = args.length > 0 ? `(${args.join(",")})` : "";
    const native: Record<string, string> = {
      Text: "text",
      VarChar: `character varying${arg}`,
      Char: `character${arg || "(1)"}`,
      Uuid: "uuid",
      Xml: "xml",
      Inet: "inet",
      Citext: "citext",
      Bit: `bit${arg || "(1)"}`,
      VarBit: `bit varying${arg}`,
      SmallInt: "smallint",
      Integer: "integer",
      Oid: "oid",
      BigInt: "bigint",
      Real: "real",
      DoublePrecision: "double precision",
      Decimal: `numeric${arg}`,
      Money: "money",
      Boolean: "boolean",
      Timestamp: `timestamp${arg || "(6)"} without time zone`,
      Timestamptz: `timestamp${arg || "(6)"} with time zone`,
      Date: "date",
      Time: `time${arg || "(6)"} without time zone`,
      Timetz: `time${arg || "(6)"} with time zone`,
      Json: "json",
      JsonB: "jsonb",
      ByteA: "bytea",
    };
    type = native[name] ?? `${name}${arg}`;
  } else {
    const scalar: Record<string, string> = {
      String: "text",
      Int: "integer",
      BigInt: "bigint",
      Float: "double precision",
      Decimal: "numeric(65,30)",
      Boolean: "boolean",
      DateTime: "timestamp(3) without time zone",
      Json: "jsonb",
      Bytes: "bytea",
    };
    type = scalar[field.type] ?? field.type;
  }
  return field.isList ? `${type}[]` : type;
}

function expectedDefault(field: DmmfField, enumValues: Map<string, Map<string, string>>): string | null {
  if (field.isUpdatedAt || !field.hasDefaultValue || field.default === undefined || field.default === null) return null;
  const d = field.default;
  if (typeof d === "object" && d !== null && "name" in d) {
    const fn = d as { name: string; args: unknown[] };
    switch (fn.name) {
      case "autoincrement":
        return "autoincrement";
      case "now":
        return "now";
      case "dbgenerated":
        return fn.args.length > 0 ? `expr:${String(fn.args[0])}` : null;
      default:
        // uuid(), cuid(), nanoid(), ulid(): generated by Prisma Client, nothing in the database.
        return null;
    }
  }
  if (field.kind === "enum") return `enum:${enumValues.get(field.type)?.get(String(d)) ?? String(d)}`;
  if (Array.isArray(d)) return `literal:{${d.map(String).join(",")}}`;
  return `literal:${String(d)}`;
}

const REFERENTIAL_ACTIONS: Record<string, string> = {
  Cascade: "CASCADE",
  Restrict: "RESTRICT",
  NoAction: "NO ACTION",
  SetNull: "SET NULL",
  SetDefault: "SET DEFAULT",
};

/** Triggers that a migration creates on purpose (schema.prisma cannot declare them; its comments name them). */
const MIGRATION_TRIGGERS: ReadonlySet<string> = new Set([
  ...["upd", "del"].map((op) => `trigger notes_tag_counts_${op} on notes`),
  "trigger notes_search_words_upd on notes",
  ...["upd", "del"].map((op) => `trigger notes_note_tags_${op} on notes`),
  "trigger notes_inbox_ins on notes",
]);

/**
 * Partial indexes that a migration makes on purpose (schema.prisma declares the index, its comment the predicate),
 * with the predicate as PostgreSQL prints it.
 */
const MIGRATION_PREDICATES: ReadonlyMap<string, string> = new Map([
  ["notes_owner_deleted_at_idx", "(deleted_at IS NOT NULL)"],
  ["notes_deleted_at_idx", "(deleted_at IS NOT NULL)"],
]);

/** Expression indexes that a migration makes (schema.prisma cannot declare them; its comments name them). */
const MIGRATION_INDEXES: ReadonlyMap<string, IndexShape> = new Map([
  [
    "notes_owner_tag_keys_idx",
    { table: "notes", kind: "index", method: "gin", columns: ["note_owner_tags(owner_id, tags)"], predicate: null },
  ],
]);

/**
 * Classes that schema.prisma must name but that are their type's default, which the database reports as no
 * class: Prisma accepts a text column in a GIN index (btree_gin) only with `ops: raw("text_ops")`.
 */
const DEFAULT_CLASSES: ReadonlySet<string> = new Set(["text_ops"]);

function operatorClassName(prismaName: string): string {
  // JsonbPathOps → jsonb_path_ops, GinTrgmOps → gin_trgm_ops, Int4BloomOps → int4_bloom_ops
  return prismaName.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

function emptyShape(): SchemaShape {
  return {
    tables: new Set(),
    columns: new Map(),
    indexes: new Map(),
    foreignKeys: new Map(),
    enums: new Map(),
    sequences: new Set(),
    others: new Set(),
  };
}

/** What schema.prisma declares, in PostgreSQL's terms and with Prisma's default names. */
export function expectedSchema(schemaText: string): SchemaShape {
  const dmmf = parseDmmf(schemaText).datamodel;
  const { unsupported, relationMaps } = parseSchemaText(schemaText);
  const shape = emptyShape();

  const enumNames = new Map(dmmf.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const enumValues = new Map(
    dmmf.enums.map((e) => [e.name, new Map(e.values.map((v) => [v.name, v.dbName ?? v.name]))]),
  );
  for (const e of dmmf.enums)
    shape.enums.set(
      e.dbName ?? e.name,
      e.values.map((v) => v.dbName ?? v.name),
    );

  const tableOf = new Map(dmmf.models.map((m) => [m.name, m.dbName ?? m.name]));
  const columnOf = new Map<string, string>(); // "Model.field" → column
  const modelFields = new Map<string, DmmfField[]>();
  for (const model of dmmf.models) {
    const fields = [...model.fields, ...(unsupported.get(model.name) ?? [])];
    modelFields.set(model.name, fields);
    for (const f of fields) if (f.kind !== "object") columnOf.set(`${model.name}.${f.name}`, f.dbName ?? f.name);
  }
  const col = (model: string, field: string): string => {
    const name = columnOf.get(`${model}.${field}`);
    if (!name) throw new Error(`schema.prisma: ${model}.${field} is not a column`);
    return name;
  };

  for (const model of dmmf.models) {
    const table = tableOf.get(model.name)!;
    shape.tables.add(table);
    for (const f of modelFields.get(model.name)!) {
      if (f.kind === "object") {
        if (!f.relationFromFields || f.relationFromFields.length === 0) continue;
        const columns = f.relationFromFields.map((n) => col(model.name, n));
        const allRequired = f.relationFromFields.every(
          (n) => modelFields.get(model.name)!.find((x) => x.name === n)?.isRequired,
        );
        const name =
          relationMaps.get(`${model.name}.${f.name}`) ?? truncatedName(`${table}_${columns.join("_")}`, "_fkey");
        shape.foreignKeys.set(name, {
          table,
          columns,
          references: tableOf.get(f.type)!,
          referencedColumns: (f.relationToFields ?? []).map((n) => col(f.type, n)),
          // Prisma's defaults: Restrict for a required relation, SetNull for an optional one; Cascade on update.
          onDelete: REFERENTIAL_ACTIONS[f.relationOnDelete ?? (allRequired ? "Restrict" : "SetNull")]!,
          onUpdate: REFERENTIAL_ACTIONS[f.relationOnUpdate ?? "Cascade"]!,
        });
        continue;
      }
      const column = f.dbName ?? f.name;
      const def = expectedDefault(f, enumValues);
      shape.columns.set(`${table}.${column}`, {
        type: columnType(f, enumNames),
        nullable: !f.isRequired,
        default: def,
        // Prisma Client writes every ordinary field; only an Unsupported one may be a generated column.
        generated: f.kind === "unsupported" ? undefined : false,
      });
      if (def === "autoincrement") shape.sequences.add(`${table}.${column}`);
    }
  }

  for (const idx of dmmf.indexes) {
    if (idx.type === "fulltext")
      throw new Error(`schema.prisma: @@fulltext is not supported on PostgreSQL (${idx.model})`);
    const table = tableOf.get(idx.model)!;
    const columns = idx.fields.map((f) => col(idx.model, f.name));
    const kind = idx.type === "id" ? "primary" : idx.type === "unique" ? "unique" : "index";
    const name =
      idx.dbName ??
      (kind === "primary"
        ? truncatedName(table, "_pkey")
        : truncatedName(`${table}_${columns.join("_")}`, kind === "unique" ? "_key" : "_idx"));
    shape.indexes.set(name, {
      table,
      kind,
      method: (idx.algorithm ?? "BTree").toLowerCase(),
      columns: idx.fields.map((f, i) => {
        let text = columns[i]!;
        if (f.sortOrder === "desc") text += " DESC";
        if (f.operatorClass && !DEFAULT_CLASSES.has(operatorClassName(f.operatorClass))) {
          text += ` ${operatorClassName(f.operatorClass)}`;
        }
        return text;
      }),
      predicate: MIGRATION_PREDICATES.get(name) ?? null,
    });
  }
  for (const [name, index] of MIGRATION_INDEXES) if (shape.tables.has(index.table)) shape.indexes.set(name, index);
  return shape;
}

// ------------------------------------------------------------------------------------------------------------
// The database

type Queryable = Pick<pg.Pool, "query"> | Pick<pg.Client, "query">;

function normaliseDefault(expr: string | null, enumTypes: Set<string>): string | null {
  if (expr === null) return null;
  if (/^nextval\('.*'::regclass\)$/.test(expr)) return "autoincrement";
  if (expr === "CURRENT_TIMESTAMP" || expr === "now()") return "now";
  const quoted = /^'((?:[^']|'')*)'::(.+)$/.exec(expr);
  if (quoted) {
    const value = quoted[1]!.replace(/''/g, "'");
    const type = quoted[2]!.replace(/^"|"$/g, "");
    return enumTypes.has(type) ? `enum:${value}` : `literal:${value}`;
  }
  if (/^-?\d+(\.\d+)?$/.test(expr) || expr === "true" || expr === "false") return `literal:${expr}`;
  const numeric = /^\(?(-?\d+(?:\.\d+)?)\)?::(?:numeric|bigint|integer|double precision|real|smallint)$/.exec(expr);
  if (numeric) return `literal:${numeric[1]}`;
  return `expr:${expr}`;
}

/** What the database (its current schema) really holds. */
export async function actualSchema(db: Queryable): Promise<SchemaShape> {
  const shape = emptyShape();

  const enums = await db.query<{ name: string; labels: string[] }>(`
    SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
    WHERE t.typnamespace = current_schema()::regnamespace
    GROUP BY t.typname`);
  for (const e of enums.rows) shape.enums.set(e.name, e.labels);
  const enumTypes = new Set(shape.enums.keys());

  const relations = await db.query<{ name: string; kind: string }>(`
    SELECT c.relname AS name, c.relkind::text AS kind
    FROM pg_class c
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`);
  for (const r of relations.rows) {
    if (BOOKKEEPING_TABLES.has(r.name)) continue;
    if (r.kind === "r" || r.kind === "p") shape.tables.add(r.name);
    else shape.others.add(`${{ v: "view", m: "materialized view", f: "foreign table" }[r.kind]} ${r.name}`);
  }

  const sequences = await db.query<{ name: string; owner: string | null }>(`
    SELECT s.relname AS name, t.relname || '.' || a.attname AS owner
    FROM pg_class s
    LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
      AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
    LEFT JOIN pg_class t ON t.oid = d.refobjid
    LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
    WHERE s.relnamespace = current_schema()::regnamespace AND s.relkind = 'S'`);
  for (const s of sequences.rows) {
    if (s.owner && BOOKKEEPING_TABLES.has(s.owner.split(".")[0]!)) continue;
    shape.sequences.add(s.owner ?? s.name);
  }

  const columns = await db.query<{
    table: string;
    column: string;
    type: string;
    not_null: boolean;
    default: string | null;
    generated: string;
  }>(`
    SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
           a.attnotnull AS not_null, a.attgenerated::text AS generated,
           CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS default
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
      AND a.attnum > 0 AND NOT a.attisdropped`);
  for (const c of columns.rows) {
    if (BOOKKEEPING_TABLES.has(c.table)) continue;
    shape.columns.set(`${c.table}.${c.column}`, {
      // Enum types print quoted when their name needs it; the schema names them bare.
      type: c.type.replace(/^"(.*)"(\[\])?$/, "$1$2"),
      nullable: !c.not_null,
      default: normaliseDefault(c.default, enumTypes),
      generated: c.generated !== "",
    });
  }

  const indexes = await db.query<{
    name: string;
    table: string;
    primary: boolean;
    unique: boolean;
    method: string;
    columns: string[];
    predicate: string | null;
  }>(`
    SELECT ic.relname AS name, tc.relname AS table, i.indisprimary AS primary, i.indisunique AS unique,
           am.amname AS method, pg_get_expr(i.indpred, i.indrelid) AS predicate,
           ARRAY(
             SELECT pg_get_indexdef(i.indexrelid, k.n, true)
               || CASE WHEN i.indoption[k.n - 1] & 1 = 1 THEN ' DESC' ELSE '' END
               || CASE
                    WHEN i.indoption[k.n - 1] & 3 = 2 THEN ' NULLS FIRST'
                    WHEN i.indoption[k.n - 1] & 3 = 1 THEN ' NULLS LAST'
                    ELSE '' END
               || CASE WHEN oc.opcdefault THEN '' ELSE ' ' || oc.opcname END
             FROM generate_series(1, i.indnkeyatts) AS k(n)
             JOIN pg_opclass oc ON oc.oid = i.indclass[k.n - 1]
             ORDER BY k.n
           )::text[] AS columns
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_class tc ON tc.oid = i.indrelid
    JOIN pg_am am ON am.oid = ic.relam
    WHERE tc.relnamespace = current_schema()::regnamespace AND tc.relkind IN ('r', 'p')`);
  for (const i of indexes.rows) {
    if (BOOKKEEPING_TABLES.has(i.table)) continue;
    shape.indexes.set(i.name, {
      table: i.table,
      kind: i.primary ? "primary" : i.unique ? "unique" : "index",
      method: i.method,
      columns: i.columns.map((c) => c.replace(/^"(.*)"/, "$1")),
      predicate: i.predicate,
    });
  }

  const constraints = await db.query<{
    name: string;
    table: string;
    type: string;
    columns: string[];
    references: string | null;
    referenced_columns: string[] | null;
    on_delete: string;
    on_update: string;
    definition: string;
  }>(`
    SELECT con.conname AS name, tc.relname AS table, con.contype::text AS type,
           ARRAY(SELECT attname FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, n)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.n)::text[] AS columns,
           rc.relname AS references,
           ARRAY(SELECT attname FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, n)
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.n)::text[]
             AS referenced_columns,
           con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update,
           pg_get_constraintdef(con.oid) AS definition
    FROM pg_constraint con
    JOIN pg_class tc ON tc.oid = con.conrelid
    LEFT JOIN pg_class rc ON rc.oid = con.confrelid
    WHERE tc.relnamespace = current_schema()::regnamespace AND con.contype NOT IN ('p', 'u', 'n')`);
  const action: Record<string, string> = {
    a: "NO ACTION",
    r: "RESTRICT",
    c: "CASCADE",
    n: "SET NULL",
    d: "SET DEFAULT",
  };
  for (const c of constraints.rows) {
    if (BOOKKEEPING_TABLES.has(c.table)) continue;
    if (c.type === "f") {
      shape.foreignKeys.set(c.name, {
        table: c.table,
        columns: c.columns,
        references: c.references!,
        referencedColumns: c.referenced_columns ?? [],
        onDelete: action[c.on_delete] ?? c.on_delete,
        onUpdate: action[c.on_update] ?? c.on_update,
      });
    } else {
      const kind =
        { c: "check constraint", x: "exclusion constraint", t: "constraint trigger" }[c.type] ?? "constraint";
      shape.others.add(`${kind} ${c.name} on ${c.table}: ${c.definition}`);
    }
  }

  const triggers = await db.query<{ name: string; table: string }>(`
    SELECT t.tgname AS name, c.relname AS table
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal`);
  for (const t of triggers.rows) shape.others.add(`trigger ${t.name} on ${t.table}`);

  return shape;
}

// ------------------------------------------------------------------------------------------------------------
// The comparison

function describeColumn(c: ColumnShape): string {
  const parts = [c.type, c.nullable ? "NULL" : "NOT NULL", `default ${c.default ?? "none"}`];
  if (c.generated) parts.push("GENERATED");
  return parts.join(", ");
}

function describeIndex(i: IndexShape): string {
  const kind = { primary: "PRIMARY KEY", unique: "UNIQUE INDEX", index: "INDEX" }[i.kind];
  const where = i.predicate ? ` WHERE ${i.predicate}` : "";
  return `${kind} on ${i.table} USING ${i.method} (${i.columns.join(", ")})${where}`;
}

function describeForeignKey(f: ForeignKeyShape): string {
  return (
    `FOREIGN KEY ${f.table}(${f.columns.join(", ")}) REFERENCES ${f.references}(${f.referencedColumns.join(", ")}) ` +
    `ON DELETE ${f.onDelete} ON UPDATE ${f.onUpdate}`
  );
}

function compareMaps<T>(
  what: string,
  expected: Map<string, T>,
  actual: Map<string, T>,
  describe: (value: T) => string,
  differences: (e: T, a: T) => string[],
  out: string[],
) {
  for (const [name, e] of expected) {
    const a = actual.get(name);
    if (a === undefined) out.push(`missing ${what} ${name}: ${describe(e)}`);
    else for (const d of differences(e, a)) out.push(`${what} ${name}: ${d}`);
  }
  for (const [name, a] of actual) {
    if (!expected.has(name)) out.push(`unexpected ${what} ${name}: ${describe(a)}`);
  }
}

const differ = (label: string, expected: unknown, actual: unknown): string[] =>
  JSON.stringify(expected) === JSON.stringify(actual)
    ? []
    : [`${label}: database has ${JSON.stringify(actual)}, schema.prisma declares ${JSON.stringify(expected)}`];

/**
 * Every difference between the declared and the real schema, one sentence each ("missing index x: ...",
 * "unexpected column t.c: ...", "column t.c: type: database has ..., schema.prisma declares ..."); empty when
 * they agree.
 */
export function diffSchemas(expected: SchemaShape, actual: SchemaShape): string[] {
  const out: string[] = [];
  for (const t of expected.tables) if (!actual.tables.has(t)) out.push(`missing table ${t}`);
  for (const t of actual.tables) if (!expected.tables.has(t)) out.push(`unexpected table ${t}`);

  // Columns of a missing / unexpected table are already covered by the table line.
  const inBoth = (key: string) => {
    const table = key.slice(0, key.indexOf("."));
    return expected.tables.has(table) && actual.tables.has(table);
  };
  const filter = <T>(m: Map<string, T>) => new Map([...m].filter(([k]) => inBoth(k)));
  compareMaps(
    "column",
    filter(expected.columns),
    filter(actual.columns),
    describeColumn,
    (e, a) => [
      ...differ("type", e.type, a.type),
      ...differ("nullable", e.nullable, a.nullable),
      ...differ("default", e.default, a.default),
      ...(e.generated === undefined ? [] : differ("generated", e.generated, a.generated)),
    ],
    out,
  );

  compareMaps(
    "index",
    expected.indexes,
    actual.indexes,
    describeIndex,
    (e, a) => [
      ...differ("table", e.table, a.table),
      ...differ("kind", e.kind, a.kind),
      ...differ("method", e.method, a.method),
      ...differ("columns", e.columns, a.columns),
      ...differ("predicate", e.predicate ?? null, a.predicate ?? null),
    ],
    out,
  );

  compareMaps(
    "foreign key",
    expected.foreignKeys,
    actual.foreignKeys,
    describeForeignKey,
    (e, a) => [
      ...differ("table", e.table, a.table),
      ...differ("columns", e.columns, a.columns),
      ...differ("referenced table", e.references, a.references),
      ...differ("referenced columns", e.referencedColumns, a.referencedColumns),
      ...differ("ON DELETE", e.onDelete, a.onDelete),
      ...differ("ON UPDATE", e.onUpdate, a.onUpdate),
    ],
    out,
  );

  compareMaps(
    "enum",
    expected.enums,
    actual.enums,
    (v) => v.join(", "),
    (e, a) => differ("values", e, a),
    out,
  );

  const sequence = (s: string) => (s.includes(".") ? `sequence owned by ${s}` : `sequence ${s} (owned by no column)`);
  for (const s of expected.sequences) if (!actual.sequences.has(s)) out.push(`missing ${sequence(s)}`);
  for (const s of actual.sequences) if (!expected.sequences.has(s)) out.push(`unexpected ${sequence(s)}`);
  for (const o of actual.others) {
    if (!MIGRATION_TRIGGERS.has(o)) out.push(`unexpected ${o} (schema.prisma cannot declare it)`);
  }
  return out;
}

/** Shorthand: the drift between a schema text and a database. */
export async function schemaDrift(schemaText: string, db: Queryable): Promise<string[]> {
  return diffSchemas(expectedSchema(schemaText), await actualSchema(db));
}
