-- A tag filter at the cost of its page (issue 12 at 100,000 notes), and tag counts that concurrent writers do
-- not queue on.

-- Each live note once per tag, in the listing's order (owner, tag, pinned, created_at, id): a page of a tag is a
-- range of this key, read newest (or oldest) first, whatever the number of notes with that tag. Notes in the
-- trash are left out, like in the tag counts. Kept by the triggers below, in the statement that writes the note
-- (every writer of notes is covered: the service, imports, tag renames, the trash, account deletion).
-- CreateTable
CREATE TABLE "note_tags" (
    "owner_id" TEXT NOT NULL,
    "tag" TEXT NOT NULL,
    "pinned" BOOLEAN NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "note_id" INTEGER NOT NULL,

    CONSTRAINT "note_tags_pkey" PRIMARY KEY ("owner_id","tag","pinned","created_at","note_id")
);

INSERT INTO "note_tags" ("owner_id", "tag", "pinned", "created_at", "note_id")
SELECT DISTINCT "owner_id", "tag", "pinned", "created_at", "id" FROM "notes", unnest("tags") AS "tag"
 WHERE "deleted_at" IS NULL;

-- A plain insert (no ON CONFLICT: its speculative insertion costs more): a note's rows are its own, so no other
-- writer can insert them, and DISTINCT covers a tag written twice into the array by hand.
CREATE FUNCTION "notes_note_tags_ins"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO note_tags (owner_id, tag, pinned, created_at, note_id)
  SELECT DISTINCT owner_id, tag, pinned, created_at, id FROM new_notes, unnest(tags) AS tag WHERE deleted_at IS NULL;
  RETURN NULL;
END
$$;

-- Per row, and only when a note with tags had a column of the key or the trash changed: an edit of the text
-- alone costs nothing here. (Each statement only when it has rows to touch: a row trigger's plan is made once per
-- connection, and one made while note_tags was empty would scan it, for every row of a large update.)
CREATE FUNCTION "notes_note_tags_upd"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.deleted_at IS NULL AND cardinality(OLD.tags) > 0 THEN
    DELETE FROM note_tags
     WHERE owner_id = OLD.owner_id AND tag = ANY (OLD.tags) AND pinned = OLD.pinned
       AND created_at = OLD.created_at AND note_id = OLD.id;
  END IF;
  IF NEW.deleted_at IS NULL AND cardinality(NEW.tags) > 0 THEN
    INSERT INTO note_tags (owner_id, tag, pinned, created_at, note_id)
    SELECT DISTINCT NEW.owner_id, tag, NEW.pinned, NEW.created_at, NEW.id FROM unnest(NEW.tags) AS tag;
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION "notes_note_tags_del"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM note_tags AS t
   USING (SELECT owner_id, unnest(tags) AS tag, pinned, created_at, id FROM old_notes WHERE deleted_at IS NULL) AS o
   WHERE t.owner_id = o.owner_id AND t.tag = o.tag AND t.pinned = o.pinned AND t.created_at = o.created_at
     AND t.note_id = o.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER "notes_note_tags_ins" AFTER INSERT ON "notes"
    REFERENCING NEW TABLE AS new_notes FOR EACH STATEMENT EXECUTE FUNCTION "notes_note_tags_ins"();
CREATE TRIGGER "notes_note_tags_upd" AFTER UPDATE ON "notes"
    FOR EACH ROW WHEN ((cardinality(OLD.tags) > 0 OR cardinality(NEW.tags) > 0)
                       AND (OLD.tags IS DISTINCT FROM NEW.tags OR OLD.pinned IS DISTINCT FROM NEW.pinned
                            OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.owner_id IS DISTINCT FROM NEW.owner_id
                            OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)))
    EXECUTE FUNCTION "notes_note_tags_upd"();
CREATE TRIGGER "notes_note_tags_del" AFTER DELETE ON "notes"
    REFERENCING OLD TABLE AS old_notes FOR EACH STATEMENT EXECUTE FUNCTION "notes_note_tags_del"();

-- notes_owner_tags_idx stays: a search with a tag reads all of the tag's notes to recheck them for its words, and
-- a bitmap from that GIN index reads them in table order, faster than fetching them one by one from note_tags' ids.

-- Tag counts in stripes: a new note adds to the row of its connection's stripe (backend pid mod 8), so that
-- concurrent writers of one owner's notes with the same tags no longer wait for each other's commit on one
-- row. Any other change (retag, trash, restore, purge, account deletion) folds the tag's stripes back into one
-- row under their locks, taken in key order; a tag whose notes are gone leaves no row. The count of a tag is
-- the sum of its rows (at most 8).
-- AlterTable
ALTER TABLE "tag_counts" ADD COLUMN "stripe" SMALLINT NOT NULL DEFAULT 0,
    DROP CONSTRAINT "tag_counts_pkey",
    ADD CONSTRAINT "tag_counts_pkey" PRIMARY KEY ("owner_id", "tag", "stripe");
ALTER TABLE "tag_counts" ALTER COLUMN "stripe" DROP DEFAULT;

CREATE OR REPLACE FUNCTION "notes_tag_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  owners text[];
  names text[];
  deltas bigint[];
  total bigint;
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO tag_counts AS c (owner_id, tag, stripe, notes)
    SELECT owner_id, tag, pg_backend_pid() % 8, count(*) FROM new_notes, unnest(tags) AS tag
     WHERE deleted_at IS NULL GROUP BY owner_id, tag ORDER BY owner_id, tag
    ON CONFLICT (owner_id, tag, stripe) DO UPDATE SET notes = c.notes + excluded.notes;
    RETURN NULL;
  END IF;
  -- The net change per (owner, tag), in key order (an edit that keeps its tags changes nothing here).
  IF TG_OP = 'UPDATE' THEN
    SELECT array_agg(owner_id ORDER BY owner_id, tag), array_agg(tag ORDER BY owner_id, tag),
           array_agg(delta ORDER BY owner_id, tag)
      INTO owners, names, deltas
      FROM (SELECT owner_id, tag, sum(delta) AS delta FROM (
                SELECT owner_id, unnest(tags) AS tag, 1 AS delta FROM new_notes WHERE deleted_at IS NULL
                UNION ALL
                SELECT owner_id, unnest(tags), -1 FROM old_notes WHERE deleted_at IS NULL
              ) AS d
             GROUP BY owner_id, tag HAVING sum(delta) <> 0) AS d;
  ELSE
    SELECT array_agg(owner_id ORDER BY owner_id, tag), array_agg(tag ORDER BY owner_id, tag),
           array_agg(-n ORDER BY owner_id, tag)
      INTO owners, names, deltas
      FROM (SELECT owner_id, tag, count(*) AS n FROM old_notes, unnest(tags) AS tag
             WHERE deleted_at IS NULL GROUP BY owner_id, tag) AS d;
  END IF;
  FOR i IN 1 .. coalesce(array_length(owners, 1), 0) LOOP
    SELECT coalesce(sum(notes), 0) INTO total FROM (
        SELECT notes FROM tag_counts WHERE owner_id = owners[i] AND tag = names[i] ORDER BY stripe FOR UPDATE
      ) AS s;
    DELETE FROM tag_counts WHERE owner_id = owners[i] AND tag = names[i];
    IF total + deltas[i] <> 0 THEN
      INSERT INTO tag_counts AS c (owner_id, tag, stripe, notes) VALUES (owners[i], names[i], 0, total + deltas[i])
      ON CONFLICT (owner_id, tag, stripe) DO UPDATE SET notes = c.notes + excluded.notes;
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;

-- The title and file name of a note found by a typo are ranked from the columns themselves (lib/notes/list-sql.ts,
-- at most a page's worth of notes): no copy of them is computed and stored with every write.
-- AlterTable
ALTER TABLE "notes" DROP COLUMN "search_names";

-- The trash indexes hold trashed notes only: every query that uses them asks for notes in the trash (the trash
-- of an owner, emptying it, expired trash), so a live note's write no longer inserts into them.
-- DropIndex
DROP INDEX "notes_owner_deleted_at_idx";

-- DropIndex
DROP INDEX "notes_deleted_at_idx";

-- CreateIndex
CREATE INDEX "notes_owner_deleted_at_idx" ON "notes"("owner_id", "deleted_at") WHERE "deleted_at" IS NOT NULL;

-- CreateIndex
CREATE INDEX "notes_deleted_at_idx" ON "notes"("deleted_at") WHERE "deleted_at" IS NOT NULL;
