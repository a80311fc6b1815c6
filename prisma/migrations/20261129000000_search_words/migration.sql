-- Typo-tolerant search at scale (issue 12): a dictionary of the words in each owner's titles and file names.
-- A typo is looked up among the owner's words (a few thousand, trigram index) and the notes are then found by
-- those words (a GIN index of each note's words), rather than by trigram similarity against every note's title
-- (which rechecks thousands of notes that share a few common trigrams, and matches words spread over two names).

-- AlterTable
-- Prisma cannot express generated columns; schema.prisma declares it as Unsupported("text[]").
-- Words as pg_trgm sees them: runs of letters and digits, lower case.
ALTER TABLE "notes" ADD COLUMN "name_words" TEXT[] GENERATED ALWAYS AS (
    regexp_split_to_array(lower("title" || ' ' || coalesce("file_name", '')), '[^[:alnum:]]+')
) STORED;

-- CreateTable
CREATE TABLE "search_words" (
    "owner_id" TEXT NOT NULL,
    "word" TEXT NOT NULL,

    CONSTRAINT "search_words_pkey" PRIMARY KEY ("owner_id","word")
);

-- AddForeignKey
ALTER TABLE "search_words" ADD CONSTRAINT "search_words_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Words are only ever added (a word no longer in any note finds nothing); they go with their owner.
CREATE FUNCTION "notes_search_words_ins"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_words (owner_id, word)
  SELECT DISTINCT owner_id, word FROM new_notes, unnest(name_words) AS word
   WHERE word <> '' ORDER BY 1, 2
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE FUNCTION "notes_search_words_upd"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_words (owner_id, word)
  SELECT DISTINCT NEW.owner_id, word FROM unnest(NEW.name_words) AS word
   WHERE word <> '' ORDER BY 2
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

-- One statement per insert, however many notes (imports); an update only when the title or file name changed.
CREATE TRIGGER "notes_search_words_ins" AFTER INSERT ON "notes"
    REFERENCING NEW TABLE AS new_notes FOR EACH STATEMENT EXECUTE FUNCTION "notes_search_words_ins"();
CREATE TRIGGER "notes_search_words_upd" AFTER UPDATE ON "notes"
    FOR EACH ROW WHEN (OLD.name_words IS DISTINCT FROM NEW.name_words) EXECUTE FUNCTION "notes_search_words_upd"();

INSERT INTO "search_words" ("owner_id", "word")
SELECT DISTINCT "owner_id", "word" FROM "notes", unnest("name_words") AS "word"
 WHERE "word" <> ''
ON CONFLICT DO NOTHING;

-- CreateIndex
CREATE INDEX "search_words_owner_word_idx" ON "search_words" USING GIN ("owner_id", "word" gin_trgm_ops);

-- The full-text index now leads with the owner (btree_gin): a word is looked up among the owner's notes only,
-- GIN skipping through the owner's entries, rather than among every user's and then intersected with a bitmap
-- of all of the owner's notes.
-- DropIndex
DROP INDEX "notes_search_vector_idx";

-- CreateIndex
CREATE INDEX "notes_owner_search_vector_idx" ON "notes" USING GIN ("owner_id", "search_vector");

-- The notes of the similar words, by exact word: this replaces the trigram index of every note's title.
-- DropIndex
DROP INDEX "notes_search_names_idx";

-- CreateIndex
CREATE INDEX "notes_owner_name_words_idx" ON "notes" USING GIN ("owner_id", "name_words");
