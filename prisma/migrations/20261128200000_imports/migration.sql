-- Imports of archives (a CloudNotes export, a Google Keep Takeout): one row per import, its progress and result.
CREATE TYPE "import_status" AS ENUM ('queued', 'running', 'done', 'failed');

CREATE TABLE "imports" (
    "id" UUID NOT NULL,
    "owner_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "status" "import_status" NOT NULL DEFAULT 'queued',
    "format" VARCHAR(32),
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "bytes_total" BIGINT NOT NULL DEFAULT 0,
    "bytes_done" BIGINT NOT NULL DEFAULT 0,
    "created_notes" INTEGER NOT NULL DEFAULT 0,
    "skipped_notes" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "imports_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "imports_owner_id_created_at_idx" ON "imports"("owner_id", "created_at" DESC);

ALTER TABLE "imports" ADD CONSTRAINT "imports_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Where an imported note came from ("cloudnotes:<id>:<created>", "keep:<file>:<usec>"): importing the same
-- archive again into the same account finds its notes and creates nothing new.
ALTER TABLE "notes" ADD COLUMN "import_source_id" TEXT;

CREATE UNIQUE INDEX "notes_owner_id_import_source_id_key" ON "notes"("owner_id", "import_source_id");
