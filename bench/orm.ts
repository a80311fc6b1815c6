/**
 * `node --import tsx bench/orm.ts` — the cost of the ORM on the hot path, alone: the per-request user lookup
 * (Prisma findUnique vs one prepared statement on the same pg pool) and a note title update (Prisma update vs
 * UPDATE … RETURNING), sequentially, this process and PostgreSQL pinned to the server core. Prints µs per call.
 */
import { execFileSync } from "node:child_process";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { createUsers, migrateDatabase, seedNotes, withClient } from "./seed";
import { CPUS, runMain, startPostgres, timeCalls } from "./support";

const N = Number(process.env.BENCH_ORM_CALLS ?? 3000);

async function main() {
  execFileSync("taskset", ["-a", "-p", "-c", CPUS.server, String(process.pid)], { stdio: "ignore" });
  const server = await startPostgres();
  try {
    const url = await server.createDatabase("orm");
    await migrateDatabase(url);
    const { userId, noteId } = await withClient(url, async (c) => {
      const [u] = await createUsers(c, "orm", 1);
      await seedNotes(c, [u!.id], 10);
      const { rows } = await c.query(`SELECT id FROM notes WHERE owner_id = $1 LIMIT 1`, [u!.id]);
      return { userId: u!.id, noteId: rows[0].id as number };
    });
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    const select = { id: true, email: true, name: true } as const;
    const a = await timeCalls("user lookup, Prisma findUnique", N, () =>
      prisma.user.findUnique({ where: { id: userId }, select }),
    );
    const b = await timeCalls("user lookup, pool.query (prepared)", N, () =>
      pool.query({ name: "u", text: "SELECT id, email, name FROM users WHERE id = $1", values: [userId] }),
    );
    const c = await timeCalls("title update, Prisma update", N, (i) =>
      prisma.note.update({
        where: { id: noteId, ownerId: userId },
        data: { title: `t${i}` },
        select: { id: true, title: true, updatedAt: true },
      }),
    );
    const d = await timeCalls("title update, pool.query UPDATE … RETURNING", N, (i) =>
      pool.query({
        name: "t",
        text: "UPDATE notes SET title = $3, updated_at = CURRENT_TIMESTAMP WHERE id = $1 AND owner_id = $2 RETURNING id, title, updated_at",
        values: [noteId, userId, `t${i}`],
      }),
    );
    console.log(
      `\nPrisma overhead: user lookup +${(a - b).toFixed(0)} µs (${(a / b).toFixed(1)}×), title update +${(c - d).toFixed(0)} µs (${(c / d).toFixed(1)}×)`,
    );
    await prisma.$disconnect();
    await pool.end();
  } finally {
    await server.stop();
  }
}

runMain(main);
