/**
 * What a server action's body must look like before Next.js decodes it with React's decodeReply /
 * decodeAction, which throw (a 500) on a body that is not UTF-8 JSON, nests deep enough to overflow the
 * stack, does not give the action an argument list, or holds a "$" reference React cannot resolve (a row that
 * is not there, a typed array without its data...). The browser's own actions are far inside these bounds:
 * their arguments are the form state (plain JSON, "$undefined" and the like) and the FormData ("$K").
 */

/** Deepest array/object nesting accepted in a reply row (the app's own actions nest a handful of levels). */
export const MAX_REPLY_DEPTH = 64;
/** Next.js and React refuse (by throwing) more than 1000 arguments, bound ones and the form included. */
export const MAX_REPLY_ARGS = 999;

/**
 * Deepest array/object nesting of a JSON text, counted without parsing (so without recursion); it stops
 * counting once past `stopAt`.
 */
export function jsonDepth(text: string, stopAt = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max && (max = depth) > stopAt) return max;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/**
 * Why a JSON row of a reply is refused, or null: not JSON, too deep, a list too long, (the root) not an
 * argument list, or a "$" reference other than to a row in `rows` (ids as React writes them, in hex).
 */
export function replyRowRefusal(text: string, root: boolean, rows: ReadonlySet<string> = new Set()): string | null {
  if (jsonDepth(text, MAX_REPLY_DEPTH) > MAX_REPLY_DEPTH) return "Server action arguments are nested too deeply";
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "Server action arguments are not valid JSON";
  }
  if (root && !Array.isArray(value)) return "Server action arguments must be a list";
  let refusal: string | null = null;
  walk(value, (v) => {
    if (Array.isArray(v) && v.length > MAX_REPLY_ARGS) refusal ??= "Too many server action arguments";
    else if (typeof v === "string" && !isSupportedReference(v, rows)) refusal ??= "Unsupported server action argument";
  });
  return refusal;
}

/** Plain values React encodes with a "$" prefix, which decode without looking anything up. */
const PLAIN_REFERENCE = /^\$(?:\$.*|undefined|NaN|Infinity|-Infinity|-0|n-?\d{1,400}|D.*|K[0-9a-f]{1,8})$/s;

/** A string that is no reference, a plain value, or a reference to a row that is there ("$1", "$@1"). */
function isSupportedReference(s: string, rows: ReadonlySet<string>): boolean {
  if (!s.startsWith("$") || PLAIN_REFERENCE.test(s)) return true;
  const row = /^\$@?([0-9a-f]{1,8})$/.exec(s)?.[1];
  return row !== undefined && rows.has(String(parseInt(row, 16)));
}

/** Visits every value of a parsed row (its depth is bounded by MAX_REPLY_DEPTH before it is parsed). */
function walk(value: unknown, visit: (v: unknown) => void): void {
  visit(value);
  if (Array.isArray(value)) for (const v of value) walk(v, visit);
  else if (value !== null && typeof value === "object") for (const v of Object.values(value)) walk(v, visit);
}

/** A fetch action's text body (encodeReply's string form): one UTF-8 JSON row, the argument list. */
export function textReplyRefusal(body: Uint8Array): string | null {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return "Server action body is not UTF-8";
  }
  return replyRowRefusal(text, true);
}

/**
 * A multipart action: a fetch action's rows are the fields named by a number ("0" the argument list); a form
 * posted without JavaScript carries the bound arguments in "$ACTION_<n>:<m>" fields ("…:0" the descriptor,
 * whose "$@1" is row "$ACTION_<n>:1"). References point at rows of the same prefix.
 */
export function formReplyRefusal(form: FormData, fetchAction: boolean): string | null {
  if (fetchAction && typeof form.get("0") !== "string") return "Server action arguments are missing";
  const rows = new Map<string, Set<string>>();
  const parsed: [string, string, string][] = [];
  for (const [name, value] of form.entries()) {
    const match = fetchAction ? /^()(\d+)$/.exec(name) : /^(\$ACTION_\d+:)(\d+)$/.exec(name);
    if (!match) continue;
    const [, prefix, id] = match as unknown as [string, string, string];
    if (!rows.has(prefix)) rows.set(prefix, new Set());
    rows.get(prefix)!.add(id);
    if (typeof value === "string") parsed.push([prefix, id, value]);
  }
  // The argument lists: a fetch action's row 0; a form's bound arguments, the row its descriptor names.
  const lists = new Set(fetchAction ? ["0"] : []);
  for (const [prefix, id, text] of parsed) {
    if (fetchAction || id !== "0") continue;
    const bound = descriptorBound(text);
    if (bound === "invalid") return "Invalid server action descriptor";
    if (bound !== null) lists.add(`${prefix}${bound}`);
  }
  for (const [prefix, id, text] of parsed) {
    const refusal = replyRowRefusal(text, lists.has(`${prefix}${id}`), rows.get(prefix));
    if (refusal) return refusal;
  }
  return null;
}

/** The row of a form action's bound arguments, from its descriptor `{"id": "...", "bound": "$@1" | null}`. */
function descriptorBound(text: string): string | null | "invalid" {
  let descriptor: unknown;
  try {
    descriptor = JSON.parse(text);
  } catch {
    return "invalid";
  }
  if (descriptor === null || typeof descriptor !== "object" || typeof (descriptor as { id?: unknown }).id !== "string")
    return "invalid";
  const bound = (descriptor as { bound?: unknown }).bound;
  if (bound === null || bound === undefined) return null;
  const row = typeof bound === "string" ? /^\$@([0-9a-f]{1,8})$/.exec(bound)?.[1] : undefined;
  return row === undefined ? "invalid" : String(parseInt(row, 16));
}
