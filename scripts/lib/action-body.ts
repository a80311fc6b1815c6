/**
 * What a server action's body must look like before Next.js decodes it with React's decodeReply /
 * decodeAction, which throw (a 500) on a body that is not UTF-8 JSON, nest deep enough to overflow the
 * stack, or do not give the action an argument list. The browser's own actions are far inside these bounds.
 */

/** Deepest array/object nesting accepted in a reply row (the app's own actions nest a handful of levels). */
export const MAX_REPLY_DEPTH = 64;
/** Next.js refuses (by throwing) more arguments than this. */
export const MAX_REPLY_ARGS = 1000;

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
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max && (max = depth) > stopAt) return max;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** Why a JSON row of a reply is refused, or null: not JSON, too deep, or (the root) not an argument list. */
export function replyRowRefusal(text: string, root: boolean): string | null {
  if (jsonDepth(text, MAX_REPLY_DEPTH) > MAX_REPLY_DEPTH) return "Server action arguments are nested too deeply";
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "Server action arguments are not valid JSON";
  }
  if (root && !Array.isArray(value)) return "Server action arguments must be a list";
  if (root && (value as unknown[]).length > MAX_REPLY_ARGS) return "Too many server action arguments";
  return null;
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
 * posted without JavaScript carries the bound arguments in "$ACTION_<n>:<m>" fields ("…:0" the descriptor).
 */
export function formReplyRefusal(form: FormData, fetchAction: boolean): string | null {
  if (fetchAction && typeof form.get("0") !== "string") return "Server action arguments are missing";
  for (const [name, value] of form.entries()) {
    if (typeof value !== "string") continue;
    const row = fetchAction ? /^\d+$/.test(name) : /^\$ACTION_\d+:\d+$/.test(name);
    if (!row) continue;
    const refusal = replyRowRefusal(value, fetchAction && name === "0");
    if (refusal) return refusal;
  }
  return null;
}
