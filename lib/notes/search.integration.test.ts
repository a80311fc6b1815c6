import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { setUpLibServices } from "../../e2e/support/lib-services";
import { MARK_END, MARK_START } from "@/lib/notes/marks";
import { SEARCH_COUNT_CAP, SEARCH_RANK_WINDOW, SEARCH_TYPOS_BELOW } from "@/lib/notes/search";
import { createNote, deleteNote, listNotes, updateTitle } from "@/lib/notes/service";
import { registerUser } from "@/lib/users/service";

/** lib/notes/list.ts's text search against real PostgreSQL: counts, order across pages, highlights. */

const services = await setUpLibServices();

async function newUser(): Promise<string> {
  const user = await registerUser({ email: `${randomBytes(6).toString("hex")}@example.com`, password: "password1" });
  return user.id;
}

/** `count` notes of `userId` straight into the table, one minute apart (n = 1 the oldest). */
async function insertNotes(userId: string, count: number, title: (n: number) => string, description = "") {
  await services.sql.query(
    `INSERT INTO notes (owner_id, title, description, created_at, updated_at)
     SELECT $1, ($2::text[])[g], $3, now() - make_interval(mins => $4 - g), now()
       FROM generate_series(1, $4) AS g`,
    [userId, Array.from({ length: count }, (_, i) => title(i + 1)), description, count],
  );
}

const marked = (word: string) => `${MARK_START}${word}${MARK_END}`;

describe("search: count", () => {
  it("counts matches exactly up to the cap, and says when there are more", async () => {
    const few = await newUser();
    await insertNotes(few, SEARCH_COUNT_CAP, (n) => `Harbour ${n}`);
    const exact = await listNotes(few, { q: "harbour", limit: 10 });
    expect(exact).toMatchObject({ total: SEARCH_COUNT_CAP, totalCapped: false });

    const many = await newUser();
    await insertNotes(many, SEARCH_COUNT_CAP + 5, (n) => `Harbour ${n}`);
    const capped = await listNotes(many, { q: "harbour", limit: 10 });
    expect(capped).toMatchObject({ total: SEARCH_COUNT_CAP, totalCapped: true });
    expect(capped.notes).toHaveLength(10);
  });
});

describe("search: order", () => {
  it("ranks the newest matches, then lists older ones newest first, each note once across pages", async () => {
    const userId = await newUser();
    const count = SEARCH_RANK_WINDOW + 50;
    // Every note mentions the word in its description; two also have it in the title (a better match): one
    // among the newest, one older than the ranked window.
    const inWindow = count - 10;
    await insertNotes(
      userId,
      count,
      (n) => (n === 1 || n === inWindow ? `Zebra crossing ${n}` : `Note ${n}`),
      "a zebra walked by",
    );
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listNotes(userId, { q: "zebra", limit: 60, cursor });
      seen.push(...page.notes.map((n) => n.title));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(count);
    expect(new Set(seen).size).toBe(count);
    expect(seen[0]).toBe(`Zebra crossing ${inWindow}`);
    // Past the window, newest first: the oldest note comes last, title match or not.
    expect(seen.slice(SEARCH_RANK_WINDOW)).toEqual(
      Array.from({ length: count - SEARCH_RANK_WINDOW }, (_, i) => count - SEARCH_RANK_WINDOW - i).map((n) =>
        n === 1 ? "Zebra crossing 1" : `Note ${n}`,
      ),
    );
  });
});

describe("search: typos", () => {
  const titles = async (userId: string, q: string) =>
    (await listNotes(userId, { q, limit: 100 })).notes.map((n) => n.title).sort();

  it("finds a word like the typo in a title, not two names that each share a few letters with it", async () => {
    const userId = await newUser();
    await createNote(userId, { title: "Kakavox plans", description: "" });
    // Under word similarity with the whole title, "kakvox" matched this title ("ka…" and "…vox").
    await createNote(userId, { title: "Rostasvox Kafitaslox", description: "" });
    expect(await titles(userId, "kakvox")).toEqual(["Kakavox plans"]);
  });

  it("looks for similar words only when the full text finds fewer than a few notes", async () => {
    const userId = await newUser();
    await insertNotes(userId, SEARCH_TYPOS_BELOW - 1, (n) => `Harbor ${n}`);
    await createNote(userId, { title: "Harbour view", description: "" });
    const few = await listNotes(userId, { q: "harbor", limit: 100 });
    expect(few.total).toBe(SEARCH_TYPOS_BELOW);
    // Full-text matches first: the similar word comes last.
    expect(few.notes.at(-1)!.title).toBe("Harbour view");

    await insertNotes(userId, 1, () => `Harbor ${SEARCH_TYPOS_BELOW}`);
    const many = await listNotes(userId, { q: "harbor", limit: 100 });
    expect(many.total).toBe(SEARCH_TYPOS_BELOW);
    expect(many.notes.map((n) => n.title)).not.toContain("Harbour view");
  });

  it("pages through the full-text matches and then the similar ones, each note once", async () => {
    const userId = await newUser();
    await insertNotes(userId, 2, (n) => `Harbor ${n}`);
    await createNote(userId, { title: "Harbour view", description: "" });
    const first = await listNotes(userId, { q: "harbor", limit: 2 });
    expect(first).toMatchObject({ total: 3, notes: [{ title: "Harbor 2" }, { title: "Harbor 1" }] });
    // A page past the full text's own matches: only the similar word is left.
    const second = await listNotes(userId, { q: "harbor", limit: 2, cursor: first.nextCursor! });
    expect(second).toMatchObject({ total: 3, nextCursor: null, notes: [{ title: "Harbour view" }] });
  });

  it("runs a search whose words are all too short for typos (no similar-word lookup)", async () => {
    const userId = await newUser();
    await createNote(userId, { title: "A to Z", description: "" });
    expect(await titles(userId, "to")).toEqual(["A to Z"]);
    expect(await titles(userId, "a & | ! ( ) : * <->")).toEqual(["A to Z"]);
  });

  it("knows the words of a renamed title and of other users' notes only for them", async () => {
    const userId = await newUser();
    const note = await createNote(userId, { title: "Draft", description: "" });
    await updateTitle(userId, note.id, "Quarterly budget");
    expect(await titles(userId, "quartely")).toEqual(["Quarterly budget"]);

    const other = await newUser();
    await createNote(other, { title: "Zeppelin ride", description: "" });
    expect(await titles(other, "quartely")).toEqual([]);
    expect(await titles(userId, "zepelin")).toEqual([]);
    expect(await titles(other, "zepelin")).toEqual(["Zeppelin ride"]);
  });
});

describe("search: with a tag", () => {
  it("reads the caller's notes with the tag only, and trashed ones only with in:trash", async () => {
    const userId = await newUser();
    const other = await newUser();
    await createNote(userId, { title: "Alpha plan #work", description: "" });
    await createNote(userId, { title: "Alpha plan #home", description: "" });
    await createNote(userId, { title: "Beta #work", description: "" });
    const trashed = await createNote(userId, { title: "Alpha old #work", description: "" });
    await deleteNote(userId, trashed.id);
    await createNote(other, { title: "Alpha theirs #work", description: "" });
    const titles = async (q: string) => (await listNotes(userId, { q, limit: 100 })).notes.map((n) => n.title);

    expect(await titles("alpha tag:work")).toEqual(["Alpha plan #work"]);
    expect(await titles("alpha tag:work in:trash")).toEqual(["Alpha old #work"]);
    expect(await titles("alpha tag:none")).toEqual([]);
  });
});

describe("search: highlights", () => {
  it("highlights the words a prefix begins, even past their stem (plann → planning)", async () => {
    const userId = await newUser();
    await createNote(userId, { title: "Planning the week", description: "We are planning a trip to the coast" });
    await createNote(userId, { title: "Weekly review", description: "a list for Monday" });
    const page = await listNotes(userId, { q: "plann", limit: 10 }, { highlight: true });
    expect(page.notes.map((n) => n.title)).toEqual(["Planning the week"]);
    const hl = page.highlights.get(page.notes[0]!.id)!;
    expect(hl.title).toContain(marked("Planning"));
    expect(hl.snippet).toContain(marked("planning"));
  });

  it("shows a snippet as text, without the Markdown syntax around it", async () => {
    const userId = await newUser();
    const description = [
      "# Trip to **Lisbon**",
      "",
      "> Some _notes_ about [the tram to Lisbon](https://example.com/tram) and `code` ~~here~~.",
      "",
      "- [x] book the Lisbon hotel",
      "1. pack snake_case_bag",
      "",
      "| city | day |",
      "| --- | --- |",
      "| Lisbon | 2 |",
      "",
      "![a photo of Lisbon](https://example.com/p.png) <b>bold</b> <https://lisbon.example>",
    ].join("\n");
    await createNote(userId, { title: "Travel", description });
    const page = await listNotes(userId, { q: "lisbon", limit: 10 }, { highlight: true });
    const snippet = page.highlights.get(page.notes[0]!.id)!.snippet;
    expect(snippet).toContain(marked("Lisbon"));
    for (const syntax of ["**", "](", "`", "~~", "# ", "> ", "[x]", "| ---", "<b>", "![", "_notes_", "<https"]) {
      expect(snippet, syntax).not.toContain(syntax);
    }

    // Words keep their own underscores and asterisks-free text reads as typed.
    await createNote(userId, { title: "Code", description: "call snake_case_name from porto" });
    const code = await listNotes(userId, { q: "porto", limit: 10 }, { highlight: true });
    expect(code.highlights.get(code.notes[0]!.id)!.snippet).toBe(`call snake_case_name from ${marked("porto")}`);
  });
});
