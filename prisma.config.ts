import { defineConfig } from 'prisma/config';

// Only `prisma generate` and (with internet access) `prisma migrate deploy` read this file; the server
// and the offline migration scripts take the database from src/config.ts.
export default defineConfig({
  // The folder: schema.prisma and every .prisma file below it (prisma/extensions/ holds a team's models).
  schema: 'prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/sessiongraph' },
});
