/** The headers of an export answer that announce its size, for progress (the body's length is not known ahead). */
export const EXPORT_HEADERS = {
  notes: "x-export-notes",
  files: "x-export-files",
  estimatedBytes: "x-export-estimated-bytes",
} as const;
