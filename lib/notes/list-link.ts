/**
 * The notes list a note was opened from (its search and page), carried to the note's page as ?back= so that
 * "All notes" returns there. Only the list's own parameters survive, so the link can only ever lead to "/".
 */
const LIST_PARAMS = ["q", "sort", "cursor"] as const;

/** The list's query string ("" for the newest notes) from its parameters. */
export function listQuery(params: { q?: string; sort?: string; cursor?: string }): string {
  const query = new URLSearchParams();
  for (const name of LIST_PARAMS) if (params[name]) query.set(name, params[name]!);
  return query.toString();
}

/** A note's page, remembering the list it was opened from. */
export function noteHref(id: number, fromList?: string): string {
  return fromList ? `/n/${id}?${new URLSearchParams({ back: fromList })}` : `/n/${id}`;
}

/** Where "All notes" goes: the list of `back` (a query string), or the newest notes. */
export function backToList(back: unknown): string {
  if (typeof back !== "string" || back.length > 2048) return "/";
  const from = new URLSearchParams(back);
  const query = listQuery({ q: from.get("q") ?? undefined, cursor: from.get("cursor") ?? undefined });
  return query ? `/?${query}` : "/";
}
