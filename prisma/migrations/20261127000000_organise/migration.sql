-- Tags, pin, archive, trash, sort orders and typo-tolerant search (issue 12).

-- pg_trgm ships with stock PostgreSQL (contrib) and is allowed on RDS.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- AlterTable
ALTER TABLE "notes"
    ADD COLUMN "tags" TEXT[] NOT NULL DEFAULT '{}',
    ADD COLUMN "pinned" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "archived" BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN "deleted_at" TIMESTAMPTZ(3),
    -- Prisma cannot express generated columns; schema.prisma declares it as Unsupported("text").
    -- The short text that typo-tolerant matching (pg_trgm word similarity) looks at: the title and the file name.
    ADD COLUMN "search_names" TEXT GENERATED ALWAYS AS (
        "title" || ' ' || coalesce("file_name", '')
    ) STORED;

-- Each sort order has one index per owner; "pinned" follows the owner so that pinned notes come first from
-- one range scan per flag.
-- CreateIndex
CREATE INDEX "notes_owner_pinned_created_id_idx" ON "notes"("owner_id", "pinned", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "notes_owner_pinned_updated_id_idx" ON "notes"("owner_id", "pinned", "updated_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "notes_owner_pinned_title_id_idx" ON "notes"("owner_id", "pinned", "title", "id");

-- CreateIndex
CREATE INDEX "notes_owner_deleted_at_idx" ON "notes"("owner_id", "deleted_at");

-- CreateIndex
CREATE INDEX "notes_deleted_at_idx" ON "notes"("deleted_at");

-- CreateIndex
CREATE INDEX "notes_tags_idx" ON "notes" USING GIN ("tags");

-- CreateIndex
CREATE INDEX "notes_search_names_idx" ON "notes" USING GIN ("search_names" gin_trgm_ops);
