-- Note history: every save of a note keeps a revision (lib/notes/revisions.ts). notes.revision is the number
-- of the note's latest revision, bumped by the UPDATE that saves it, so numbering needs no extra read.
ALTER TABLE "notes" ADD COLUMN "revision" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "note_revisions" (
    "id" BIGSERIAL NOT NULL,
    "note_id" INTEGER NOT NULL,
    "owner_id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "file_key" TEXT,
    "file_name" VARCHAR(255),
    "file_size" BIGINT,
    "content_type" VARCHAR(255),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "note_revisions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "note_revisions_note_id_number_key" ON "note_revisions"("note_id", "number" DESC);

-- CreateIndex
CREATE INDEX "note_revisions_file_key_idx" ON "note_revisions"("file_key");

-- AddForeignKey
ALTER TABLE "note_revisions" ADD CONSTRAINT "note_revisions_note_id_fkey" FOREIGN KEY ("note_id") REFERENCES "notes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing notes start their history at revision 1, their current state (the latest revision is the note).
INSERT INTO "note_revisions" ("note_id", "owner_id", "number", "title", "description", "file_key", "file_name",
                              "file_size", "content_type", "created_at")
SELECT "id", "owner_id", 1, "title", "description", "file_key", "file_name", "file_size", "content_type", "updated_at"
  FROM "notes";
