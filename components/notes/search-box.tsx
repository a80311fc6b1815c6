"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef } from "react";

const DEBOUNCE_MS = 300;

/**
 * The search field: results as you type (debounced; the URL is replaced, so it stays shareable and the back
 * button is not flooded). Without JavaScript the surrounding GET form still searches on Enter.
 */
export function SearchBox({ defaultValue }: { defaultValue?: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  function onChange(value: string) {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const next = new URLSearchParams();
      if (value.trim()) next.set("q", value);
      const sort = pathname === "/" ? params.get("sort") : null;
      if (sort) next.set("sort", sort);
      router.replace(`/${next.size ? `?${next}` : ""}`, { scroll: false });
    }, DEBOUNCE_MS);
  }

  return (
    <input
      id="search"
      name="q"
      type="search"
      defaultValue={defaultValue}
      placeholder="Search notes"
      className="field pl-9"
      enterKeyHint="search"
      autoComplete="off"
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}
