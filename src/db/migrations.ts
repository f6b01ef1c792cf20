import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { openSchemaEngine } from './schema-engine.js';

/**
 * Prisma's migration folder format (prisma/migrations/<name>/migration.sql plus migration_lock.toml),
 * applied through the WebAssembly schema engine. The engine records them in _prisma_migrations exactly
 * as `prisma migrate deploy` does, so either tool can take over from the other.
 */

export const PRISMA_DIR = fileURLToPath(new URL('../../prisma/', import.meta.url));
export const MIGRATIONS_DIR = join(PRISMA_DIR, 'migrations');

const NO_FILTERS = { externalTables: [], externalEnums: [] };

export async function readMigrations(baseDir = MIGRATIONS_DIR): Promise<MigrationList> {
  const names = existsSync(baseDir)
    ? (await readdir(baseDir, { withFileTypes: true }))
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = join(baseDir, 'migration_lock.toml');
  return {
    baseDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: existsSync(lockPath) ? await readFile(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      names.map(async (name) => {
        const file = join(baseDir, name, 'migration.sql');
        const content = await readFile(file, 'utf8').then(
          (value) => ({ tag: 'ok' as const, value }),
          (error: Error) => ({ tag: 'error' as const, value: error.message }),
        );
        return { path: name, migrationFile: { path: 'migration.sql', content } };
      }),
    ),
  };
}

/**
 * Every .prisma file under prisma/ (Prisma's multi-file schema, as `prisma generate` reads it through
 * prisma.config.ts): schema.prisma holds the core's models, prisma/extensions/ a team's own.
 */
async function readSchema() {
  const names = (await readdir(PRISMA_DIR, { recursive: true }))
    .filter((name) => name.endsWith('.prisma'))
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const path = join(PRISMA_DIR, name);
      return { path, content: await readFile(path, 'utf8') };
    }),
  );
}

/** Applies pending migrations; returns the names it applied. */
export async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
): Promise<string[]> {
  const engine = await openSchemaEngine(adapterFactory, await readSchema());
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: await readMigrations(),
      filters: NO_FILTERS,
    });
    return appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/**
 * The SQL that takes a database built from the migrations to schema.prisma: the next migration.
 * The shadow database the engine replays migrations into comes from the adapter factory.
 */
export async function diffSchemaAgainstMigrations(
  shadowFactory: SqlMigrationAwareDriverAdapterFactory,
): Promise<string | null> {
  const schema = await readSchema();
  const engine = await openSchemaEngine(shadowFactory, schema);
  try {
    const result = await engine.diff({
      from: { tag: 'migrations', ...(await readMigrations()) },
      to: { tag: 'schemaDatamodel', files: schema },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    });
    return result.exitCode === 2 ? result.stdout : null;
  } finally {
    engine.free();
  }
}

/** Names of migrations in the folder that the database has not finished applying. */
export async function pendingMigrations(applied: Iterable<string>): Promise<string[]> {
  const done = new Set(applied);
  const { migrationDirectories } = await readMigrations();
  return migrationDirectories.map((d) => d.path).filter((name) => !done.has(name));
}
