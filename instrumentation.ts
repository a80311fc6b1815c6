/** Next.js calls this once per server process, before the first request. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startup } = await import("@/lib/ops/startup");
    await startup();
  }
}
