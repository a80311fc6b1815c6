/**
 * "5 minutes ago", "yesterday", "3 days ago", then the date: in the reader's language and time zone (run in the
 * browser; the server renders a fixed UTC label first so that hydration matches). Calendar days are counted in
 * `timeZone`, so a note from 23:50 is "yesterday" at 00:10.
 */
export function relativeTime(
  date: Date,
  now: Date,
  { locale, timeZone }: { locale?: string; timeZone?: string } = {},
): string {
  const seconds = Math.max(0, (now.getTime() - date.getTime()) / 1000);
  const rtf = formatter(Intl.RelativeTimeFormat, locale, { numeric: "auto" });
  if (seconds < 45) return rtf.format(0, "second");
  if (seconds < 3600) return rtf.format(-Math.max(1, Math.round(seconds / 60)), "minute");
  const days = calendarDay(now, timeZone) - calendarDay(date, timeZone);
  if (days <= 0) return rtf.format(-Math.round(seconds / 3600), "hour");
  if (days < 7) return rtf.format(-days, "day");
  const sameYear = calendarYear(now, timeZone) === calendarYear(date, timeZone);
  return formatter(Intl.DateTimeFormat, locale, {
    timeZone,
    day: "numeric",
    month: "short",
    ...(sameYear ? {} : { year: "numeric" }),
  }).format(date);
}

/** The full date and time, for a tooltip. */
export function fullTimestamp(date: Date, { locale, timeZone }: { locale?: string; timeZone?: string } = {}): string {
  return formatter(Intl.DateTimeFormat, locale, { timeZone, dateStyle: "full", timeStyle: "short" }).format(date);
}

// Days since the epoch of the date as the calendar in `timeZone` shows it.
function calendarDay(date: Date, timeZone?: string): number {
  const [y, m, d] = formatter(Intl.DateTimeFormat, "en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  })
    .format(date)
    .split("-")
    .map(Number);
  return Date.UTC(y!, m! - 1, d!) / 86_400_000;
}

function calendarYear(date: Date, timeZone?: string): string {
  return formatter(Intl.DateTimeFormat, "en", { timeZone, year: "numeric" }).format(date);
}

// Constructing an Intl formatter costs far more than using one (the server labels every card's dates), so each
// combination of locale and options is built once; there are only a few per process or tab.
const formatters = new Map<string, unknown>();

function formatter<O extends object, F>(
  Format: new (locale: string | undefined, options: O) => F,
  locale: string | undefined,
  options: NoInfer<O>,
): F {
  const key = `${Format.name}|${locale ?? ""}|${JSON.stringify(options)}`;
  let f = formatters.get(key) as F | undefined;
  if (!f) formatters.set(key, (f = new Format(locale, options)));
  return f;
}

/**
 * A fixed label of an instant (the first render's UTC labels), remembered: the same notes' dates are labelled
 * on every page view, and formatting costs more than a lookup. At most `max` instants are kept.
 */
export function rememberedLabel(format: (date: Date) => string, max = 10_000): (at: Date | string) => string {
  const labels = new Map<number, string>();
  return (at) => {
    const ms = typeof at === "string" ? Date.parse(at) : at.getTime();
    let label = labels.get(ms);
    if (label === undefined) {
      if (labels.size >= max) labels.clear();
      labels.set(ms, (label = format(new Date(ms))));
    }
    return label;
  };
}
