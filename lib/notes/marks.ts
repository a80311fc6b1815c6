/** Markers around highlighted words in search highlights (private-use characters, never HTML). */
export const MARK_START = "\uE000";
export const MARK_END = "\uE001";
