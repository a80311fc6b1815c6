import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { newUser, setUpLibServices } from "../../e2e/support/lib-services";
import { foldNoteInbox } from "@/lib/notes/inbox";
import { createNote, listNotes, updateTitle } from "@/lib/notes/service";
import { deleteForever, trashNote } from "@/lib/notes/trash";
import { sweepDueOwners, sweepOwnerWords } from "@/lib/notes/word-sweep";

/** The typo dictionary forgets the words no note has any more, and never one a note is being given. */

const services = await setUpLibServices();

async function dictionary(userId: string): Promise<string[]> {
  await foldNoteInbox();
  const { rows } = await services.sql.query<{ word: string }>(
    "SELECT word FROM search_words WHERE owner_id = $1 ORDER BY word",
    [userId],
  );
  return rows.map((r) => r.word);
}

describe("the sweep of unused words", () => {
  it("forgets a deleted or renamed title's words, keeps those still in a note (trash included) and other owners'", async () => {
    const userId = await newUser();
    const other = await newUser();
    const lisbon = await createNote(userId, { title: "Lisbon trip", description: "" });
    const porto = await createNote(userId, { title: "Porto trip", description: "" });
    const faro = await createNote(userId, { title: "Faro", description: "" });
    await createNote(other, { title: "Porto", description: "" });
    expect(await dictionary(userId)).toEqual(["faro", "lisbon", "porto", "trip"]);

    await updateTitle(userId, lisbon.id, "Madrid trip");
    await trashNote(userId, porto.id);
    await trashNote(userId, faro.id);
    await deleteForever(userId, faro.id);
    expect(await sweepOwnerWords(userId)).toBe(2);
    expect(await dictionary(userId)).toEqual(["madrid", "porto", "trip"]);
    expect(await dictionary(other)).toEqual(["porto"]);
    // What is left still finds what it should.
    const found = await listNotes(userId, { q: "madrd", limit: 10 });
    expect(found.notes.map((n) => n.id)).toEqual([lisbon.id]);
    expect(await sweepOwnerWords(userId)).toBe(0);
  });

  it("sweeps each owner in the run of its slot of the day, and no other", async () => {
    const userId = await newUser();
    const note = await createNote(userId, { title: "Old words", description: "" });
    expect(await dictionary(userId)).toEqual(["old", "words"]);
    await updateTitle(userId, note.id, "New");
    expect(await dictionary(userId)).toEqual(["new", "old", "words"]);
    const every = 30;
    const { rows } = await services.sql.query<{ slot: number }>(
      "SELECT (abs(hashtext($1)::bigint) % $2)::int AS slot",
      [userId, (24 * 3600) / every],
    );
    const slot = rows[0]!.slot;
    const day = Date.UTC(2026, 10, 27);
    await sweepDueOwners(every, day + ((slot + 1) % 2880) * every * 1000);
    expect(await dictionary(userId)).toEqual(["new", "old", "words"]);
    await sweepDueOwners(every, day + slot * every * 1000 + 1000);
    expect(await dictionary(userId)).toEqual(["new"]);
  });

  it("waits for a title change that brings a word back, and keeps the word", async () => {
    const userId = await newUser();
    const note = await createNote(userId, { title: "Gamma ray", description: "" });
    expect(await dictionary(userId)).toEqual(["gamma", "ray"]);
    await updateTitle(userId, note.id, "Beta ray");
    expect(await dictionary(userId)).toEqual(["beta", "gamma", "ray"]);

    const client = await services.sql.connect();
    try {
      await client.query("BEGIN");
      await client.query("UPDATE notes SET title = 'Gamma ray' WHERE id = $1", [note.id]);
      let swept: number | undefined;
      const sweep = sweepOwnerWords(userId).then((n) => (swept = n));
      await sleep(500);
      expect(swept, "the sweep deleted while the change was not committed").toBeUndefined();
      await client.query("COMMIT");
      await sweep;
    } finally {
      client.release();
    }
    // Gamma was held, and is in a note again; beta left the notes with that change: the next sweep takes it.
    expect(await dictionary(userId)).toEqual(["beta", "gamma", "ray"]);
    expect(await sweepOwnerWords(userId)).toBe(1);
    expect(await dictionary(userId)).toEqual(["gamma", "ray"]);
  });
});
