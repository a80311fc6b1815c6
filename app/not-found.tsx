import Link from "next/link";
import { Logo } from "@/components/ui/logo";

export default function NotFound() {
  return (
    <main
      id="main"
      className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-4 px-4 text-center"
    >
      <Logo />
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-stone-600 dark:text-stone-400">This page or note does not exist, or it is not yours.</p>
      <Link href="/" className="btn-primary">
        Back to your notes
      </Link>
    </main>
  );
}
