import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { pool } from "@/lib/db/pool";
import { processSingleton } from "@/lib/process-singleton";

export type Db = PrismaClient;

/** The Prisma client of this process, on the shared pg pool. */
export function db(): PrismaClient {
  return processSingleton("prisma", () => new PrismaClient({ adapter: new PrismaPg(pool()) }));
}
