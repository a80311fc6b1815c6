import { describe, expect, it } from "vitest";
import { newUser, setUpLibServices } from "../../e2e/support/lib-services";
import { createNote, deleteNote } from "@/lib/notes/service";
import { archiveNote } from "@/lib/notes/trash";
import { notesPageContext, setNotesLayout } from "@/lib/users/preferences";

/** The notes page's header: the layout the person chose and how many notes they have, counted up to a cap. */

await setUpLibServices();

describe("notes page context", () => {
  it("counts the live notes exactly up to the cap, then says there are more", async () => {
    const userId = await newUser();
    const other = await newUser();
    const notes = [];
    for (const title of ["one", "two", "three", "four", "five"])
      notes.push(await createNote(userId, { title, description: "" }));
    await createNote(other, { title: "not theirs", description: "" });
    await deleteNote(userId, notes[0]!.id); // to the trash: not counted
    await archiveNote(userId, notes[1]!.id, true); // out of the main list: not counted

    expect(await notesPageContext(userId)).toEqual({ layout: "list", noteCount: 3, noteCountCapped: false });
    expect(await notesPageContext(userId, 3)).toEqual({ layout: "list", noteCount: 3, noteCountCapped: false });
    expect(await notesPageContext(userId, 2)).toEqual({ layout: "list", noteCount: 2, noteCountCapped: true });

    await setNotesLayout(userId, "grid");
    expect(await notesPageContext(userId, 2)).toMatchObject({ layout: "grid" });
    expect(await notesPageContext(other)).toEqual({ layout: "list", noteCount: 1, noteCountCapped: false });
  });
});
