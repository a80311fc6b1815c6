import Link from "next/link";

export function Logo() {
  return (
    <Link
      href="/"
      className="flex items-center gap-2 rounded-md font-semibold tracking-tight text-stone-900 dark:text-stone-50"
    >
      <svg viewBox="0 0 32 32" className="size-7" aria-hidden="true">
        <rect width="32" height="32" rx="8" className="fill-brand-600 dark:fill-brand-500" />
        <path
          d="M9 21.5a4.5 4.5 0 0 1 .6-8.96A6 6 0 0 1 21.3 11a5 5 0 0 1 1.2 9.86"
          fill="none"
          stroke="white"
          strokeWidth="2"
          strokeLinecap="round"
        />
        <path d="M12 20h8M12 24h5" stroke="white" strokeWidth="2" strokeLinecap="round" />
      </svg>
      <span>CloudNotes</span>
    </Link>
  );
}
