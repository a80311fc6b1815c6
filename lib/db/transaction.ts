import type pg from "pg";
import { pool } from "@/lib/db/pool";

/** Runs `step` in one transaction on one pooled connection: committed if it returns, rolled back if it throws. */
export async function inTransaction<T>(
  step: (client: pg.PoolClient) => Promise<T>,
  from: pg.Pool = pool(),
): Promise<T> {
  const client = await from.connect();
  try {
    await client.query("BEGIN");
    const result = await step(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
