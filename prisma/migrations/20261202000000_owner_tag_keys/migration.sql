-- A search with a tag reads the tag's notes to recheck them for its words. From the (owner_id, tags) GIN index
-- that meant intersecting the owner's entry (every note of the owner) with the tag's; an entry per owner and tag
-- ("<owner> <tag>": user ids hold no space) is that intersection, stored. lib/notes/list-sql.ts asks for
-- note_owner_tags(owner_id, tags) @> note_owner_tags(<owner>, ARRAY[<tag>]).
CREATE FUNCTION "note_owner_tags"(owner_id text, tags text[]) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT ARRAY(SELECT owner_id || ' ' || t FROM unnest(tags) AS t) $$;

CREATE INDEX "notes_owner_tag_keys_idx" ON "notes" USING GIN ("note_owner_tags"("owner_id", "tags"));
DROP INDEX "notes_owner_tags_idx";
