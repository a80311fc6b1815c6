/** A determinate progress bar (0–100), named for screen readers. */
export function ProgressBar({
  label,
  percent,
  className = "",
}: {
  label: string;
  percent: number;
  className?: string;
}) {
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      className={`h-2 overflow-hidden rounded-full bg-stone-200 dark:bg-stone-800 ${className}`}
    >
      <div
        className="h-full rounded-full bg-brand-600 transition-[width] duration-150 dark:bg-brand-400"
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}
