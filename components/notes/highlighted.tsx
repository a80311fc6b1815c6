import { Fragment } from "react";
import { MARK_END, MARK_START } from "@/lib/notes/marks";

/** Text with the search's matches (between the marker characters of lib/notes/marks.ts) in <mark>. */
export function Highlighted({ text }: { text: string }) {
  const parts = text.split(MARK_START);
  return (
    <>
      {parts.map((part, i) => {
        if (i === 0) return <Fragment key={i}>{part}</Fragment>;
        const [marked, ...rest] = part.split(MARK_END);
        return (
          <Fragment key={i}>
            <mark className="rounded bg-amber-200 px-0.5 text-inherit dark:bg-amber-700/60">{marked}</mark>
            {rest.join("")}
          </Fragment>
        );
      })}
    </>
  );
}
