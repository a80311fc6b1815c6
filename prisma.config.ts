import { defineConfig } from "prisma/config";

// Used by the Prisma CLI only (generate, validate, `migrate deploy` where its engine is available).
// The app itself connects through @prisma/adapter-pg with the URL from lib/config.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/cloudnotes" },
});
