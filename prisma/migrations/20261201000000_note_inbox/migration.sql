-- A new note no longer pays for its tags and words in its own statement (issue 12: POST /notes must keep 90 % of
-- its throughput). The insert only records the note in note_inbox; lib/notes/inbox.ts folds the inbox into
-- note_tags, tag_counts and search_words in batches, moments later, in set-based statements that cost a fraction
-- of three triggers per insert. Until then, reads add the pending notes themselves (lib/notes/pending-sql.ts), so
-- a new note is in its tag's page, the sidebar's counts and the typo dictionary at once.

-- CreateTable
CREATE TABLE "note_inbox" (
    "note_id" INTEGER NOT NULL,
    "owner_id" TEXT NOT NULL,

    CONSTRAINT "note_inbox_pkey" PRIMARY KEY ("note_id")
);

DROP TRIGGER "notes_tag_counts_ins" ON "notes";
DROP TRIGGER "notes_note_tags_ins" ON "notes";
DROP TRIGGER "notes_search_words_ins" ON "notes";
DROP FUNCTION "notes_note_tags_ins"();
DROP FUNCTION "notes_search_words_ins"();

CREATE FUNCTION "notes_inbox_ins"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO note_inbox (note_id, owner_id) SELECT id, owner_id FROM new_notes;
  RETURN NULL;
END
$$;

CREATE TRIGGER "notes_inbox_ins" AFTER INSERT ON "notes"
    REFERENCING NEW TABLE AS new_notes FOR EACH STATEMENT EXECUTE FUNCTION "notes_inbox_ins"();

-- A change to a note still in the inbox changes nothing here: the fold reads the note as it is then. The fold
-- locks the notes it folds (FOR SHARE) before reading them, so a concurrent change either waits for the fold
-- and then sees the note out of the inbox, or happens first and is what the fold reads.
CREATE OR REPLACE FUNCTION "notes_note_tags_upd"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM note_inbox WHERE note_id = NEW.id) THEN
    RETURN NULL;
  END IF;
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

-- The same for the counts (the insert's branch is the fold's now; a deleted note in the inbox was never counted).
CREATE OR REPLACE FUNCTION "notes_tag_counts"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  owners text[];
  names text[];
  deltas bigint[];
  total bigint;
BEGIN
  -- The net change per (owner, tag), in key order (an edit that keeps its tags changes nothing here).
  IF TG_OP = 'UPDATE' THEN
    SELECT array_agg(owner_id ORDER BY owner_id, tag), array_agg(tag ORDER BY owner_id, tag),
           array_agg(delta ORDER BY owner_id, tag)
      INTO owners, names, deltas
      FROM (SELECT owner_id, tag, sum(delta) AS delta FROM (
                SELECT owner_id, unnest(tags) AS tag, 1 AS delta FROM new_notes AS n
                 WHERE deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM note_inbox AS i WHERE i.note_id = n.id)
                UNION ALL
                SELECT owner_id, unnest(tags), -1 FROM old_notes AS o
                 WHERE deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM note_inbox AS i WHERE i.note_id = o.id)
              ) AS d
             GROUP BY owner_id, tag HAVING sum(delta) <> 0) AS d;
  ELSE
    SELECT array_agg(owner_id ORDER BY owner_id, tag), array_agg(tag ORDER BY owner_id, tag),
           array_agg(-n ORDER BY owner_id, tag)
      INTO owners, names, deltas
      FROM (SELECT owner_id, tag, count(*) AS n FROM old_notes AS o, unnest(tags) AS tag
             WHERE deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM note_inbox AS i WHERE i.note_id = o.id)
             GROUP BY owner_id, tag) AS d;
  END IF;
  FOR i IN 1 .. coalesce(array_length(owners, 1), 0) LOOP
    -- Locked in key order (no deadlock between two folds back), then summed from exactly the rows deleted: a
    -- stripe a fold adds meanwhile is either among them or left in place, never dropped uncounted.
    PERFORM FROM tag_counts WHERE owner_id = owners[i] AND tag = names[i] ORDER BY stripe FOR UPDATE;
    WITH gone AS (DELETE FROM tag_counts WHERE owner_id = owners[i] AND tag = names[i] RETURNING notes)
    SELECT coalesce(sum(notes), 0) INTO total FROM gone;
    IF total + deltas[i] <> 0 THEN
      INSERT INTO tag_counts AS c (owner_id, tag, stripe, notes) VALUES (owners[i], names[i], 0, total + deltas[i])
      ON CONFLICT (owner_id, tag, stripe) DO UPDATE SET notes = c.notes + excluded.notes;
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;
