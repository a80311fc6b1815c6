-- The typo dictionary forgets the words no note has any more (a deleted note's title, a renamed one's old words):
-- lib/notes/word-sweep.ts deletes them. A title change that brings back a known word must then hold that word
-- until it commits, or a sweep that does not see the change yet could delete the word under it: the update's
-- insert locks a word it finds (DO UPDATE ... WHERE false locks the row and changes nothing), and the sweep locks
-- the words it is about to delete before it looks at the notes again.
CREATE OR REPLACE FUNCTION "notes_search_words_upd"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_words AS s (owner_id, word)
  SELECT DISTINCT NEW.owner_id, word FROM unnest(NEW.name_words) AS word
   WHERE word <> '' ORDER BY 2
  ON CONFLICT (owner_id, word) DO UPDATE SET word = s.word WHERE false;
  RETURN NULL;
END
$$;
