-- Tag filter and tag counts per owner (issue 12 at 100,000 notes).

-- The tag GIN index now leads with the owner (btree_gin lets a GIN index hold a plain text column): a tag is
-- looked up among the owner's notes only, rather than among every user's and then intersected with all of the
-- owner's notes. (The trigram index of search_names stays global: with the owner in it, GIN must intersect every
-- one of the owner's notes with the common trigrams of a short word, which costs more than it saves.)

-- btree_gin ships with stock PostgreSQL (contrib) and is allowed on RDS, like pg_trgm.
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- DropIndex
DROP INDEX "notes_tags_idx";

-- CreateIndex
CREATE INDEX "notes_owner_tags_idx" ON "notes" USING GIN ("owner_id", "tags");

-- The tag counts of the sidebar, per owner, kept by the triggers below: the sidebar reads one row per tag rather
-- than every note of its owner on every page view. A note counts for each of its tags unless it is in the
-- trash (archived notes count).
-- CreateTable
CREATE TABLE "tag_counts" (
    "owner_id" TEXT NOT NULL,
    "tag" TEXT NOT NULL,
    "notes" INTEGER NOT NULL,

    CONSTRAINT "tag_counts_pkey" PRIMARY KEY ("owner_id","tag")
);

INSERT INTO "tag_counts" ("owner_id", "tag", "notes")
SELECT "owner_id", "tag", count(*) FROM "notes", unnest("tags") AS "tag"
 WHERE "deleted_at" IS NULL GROUP BY 1, 2;

-- One statement per change, whatever the number of rows (a tag renamed in 200 notes, a user's notes deleted
-- with the user): the net change per (owner, tag), applied in key order, so that two writers lock counts in
-- the same order; counts that reach zero go.
CREATE FUNCTION "notes_tag_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO tag_counts AS c (owner_id, tag, notes)
    SELECT owner_id, tag, count(*) FROM new_notes, unnest(tags) AS tag
     WHERE deleted_at IS NULL GROUP BY owner_id, tag ORDER BY owner_id, tag
    ON CONFLICT (owner_id, tag) DO UPDATE SET notes = c.notes + excluded.notes;
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO tag_counts AS c (owner_id, tag, notes)
    SELECT owner_id, tag, sum(delta) FROM (
        SELECT owner_id, unnest(tags) AS tag, 1 AS delta FROM new_notes WHERE deleted_at IS NULL
        UNION ALL
        SELECT owner_id, unnest(tags), -1 FROM old_notes WHERE deleted_at IS NULL
      ) AS d
     GROUP BY owner_id, tag HAVING sum(delta) <> 0 ORDER BY owner_id, tag
    ON CONFLICT (owner_id, tag) DO UPDATE SET notes = c.notes + excluded.notes;
  ELSE
    INSERT INTO tag_counts AS c (owner_id, tag, notes)
    SELECT owner_id, tag, -count(*) FROM old_notes, unnest(tags) AS tag
     WHERE deleted_at IS NULL GROUP BY owner_id, tag ORDER BY owner_id, tag
    ON CONFLICT (owner_id, tag) DO UPDATE SET notes = c.notes + excluded.notes;
  END IF;
  DELETE FROM tag_counts AS c
   WHERE c.notes <= 0
     AND (c.owner_id, c.tag) IN (SELECT owner_id, unnest(tags) FROM old_notes WHERE deleted_at IS NULL);
  RETURN NULL;
END
$$;

CREATE TRIGGER "notes_tag_counts_ins" AFTER INSERT ON "notes"
    REFERENCING NEW TABLE AS new_notes FOR EACH STATEMENT EXECUTE FUNCTION "notes_tag_counts"();
CREATE TRIGGER "notes_tag_counts_upd" AFTER UPDATE ON "notes"
    REFERENCING OLD TABLE AS old_notes NEW TABLE AS new_notes FOR EACH STATEMENT EXECUTE FUNCTION "notes_tag_counts"();
CREATE TRIGGER "notes_tag_counts_del" AFTER DELETE ON "notes"
    REFERENCING OLD TABLE AS old_notes FOR EACH STATEMENT EXECUTE FUNCTION "notes_tag_counts"();
