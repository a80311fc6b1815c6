-- Tag filter and typo search per owner (issue 12 at 100,000 notes). Both GIN indexes now lead with the owner
-- (btree_gin lets a GIN index hold a plain text column), so that a tag or a title's trigrams are looked up among
-- the owner's notes only, not among every user's notes and then filtered row by row.

-- btree_gin ships with stock PostgreSQL (contrib) and is allowed on RDS, like pg_trgm.
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- DropIndex
DROP INDEX "notes_tags_idx";

-- DropIndex
DROP INDEX "notes_search_names_idx";

-- CreateIndex
CREATE INDEX "notes_owner_tags_idx" ON "notes" USING GIN ("owner_id", "tags");

-- CreateIndex
CREATE INDEX "notes_owner_search_names_idx" ON "notes" USING GIN ("owner_id", "search_names" gin_trgm_ops);
