/**
 * `npm run db:diff -- <name>`: writes the next migration (schema.prisma minus prisma/migrations) as
 * prisma/migrations/<timestamp>_<name>/migration.sql. Runs offline: the schema engine is WebAssembly and
 * the shadow database it replays the migrations into is an in-memory PGlite.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { diffSchemaAgainstMigrations, MIGRATIONS_DIR } from '../src/db/migrations.js';

const name = (process.argv[2] ?? 'change').replace(/[^a-z0-9_]+/gi, '_').toLowerCase();
const shadow = new PGlite();
const sql = await diffSchemaAgainstMigrations(
  new PrismaPGlite(shadow) as unknown as SqlMigrationAwareDriverAdapterFactory,
);
await shadow.close();

if (!sql) {
  console.log('schema.prisma matches prisma/migrations: nothing to write.');
} else {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = join(MIGRATIONS_DIR, `${stamp}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'migration.sql'), sql);
  console.log(`wrote ${join(dir, 'migration.sql')}`);
}
