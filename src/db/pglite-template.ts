import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { applyMigrations, readMigrations } from './migrations.js';

/**
 * A fresh PGlite database costs an initdb (about 3 s of WebAssembly and 800 MB of peak memory here) and
 * then the migrations. Both give the same bytes every time for one PGlite version and one migrations
 * folder, so they are done once into a template tarball kept beside the dependencies, and every new
 * database after that is unpacked from it (under a second).
 */

const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/sessiongraph/', import.meta.url));

export const pgliteAdapter = (pglite: PGlite) =>
  // The adapter implements the migration-aware factory but its published types only claim the plain one.
  new PrismaPGlite(pglite) as unknown as SqlMigrationAwareDriverAdapterFactory;

/** Opens the embedded database in dataDir (or in memory), unpacking a new one from the template. */
export async function openPglite(dataDir: string | undefined, options: { fromTemplate: boolean }): Promise<PGlite> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const fresh = !dataDir || !existsSync(join(dataDir, 'PG_VERSION'));
  const loadDataDir = fresh && options.fromTemplate ? await migratedTemplate() : undefined;
  const pglite = new PGlite({ ...(dataDir ? { dataDir } : {}), ...(loadDataDir ? { loadDataDir } : {}) });
  await pglite.waitReady;
  return pglite;
}

/** The template for the current PGlite version and migrations, built on first use. */
export async function migratedTemplate(): Promise<Blob> {
  const path = join(CACHE_DIR, `pglite-${await templateKey()}.tar`);
  if (existsSync(path)) return new Blob([await readFile(path)]);
  const template = await buildTemplate();
  await saveQuietly(path, template);
  return template;
}

async function buildTemplate(): Promise<Blob> {
  const pglite = new PGlite();
  try {
    await pglite.waitReady;
    await applyMigrations(pgliteAdapter(pglite));
    // Kept uncompressed (about 40 MB): unpacking the gzip form costs more at every start than the disk it saves.
    return await pglite.dumpDataDir('none');
  } finally {
    await pglite.close();
  }
}

/** Atomic (rename) so that two instances starting at once never read half a file; read-only installs skip it. */
async function saveQuietly(path: string, template: Blob): Promise<void> {
  const partial = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(CACHE_DIR, { recursive: true });
    await writeFile(partial, Buffer.from(await template.arrayBuffer()));
    await rename(partial, path);
  } catch {
    await rm(partial, { force: true });
  }
}

async function templateKey(): Promise<string> {
  // The package does not export its package.json: find it beside the entry point.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const { version } = JSON.parse(await readFile(join(dirname(entry), '../package.json'), 'utf8')) as {
    version: string;
  };
  const { migrationDirectories } = await readMigrations();
  const hash = createHash('sha256').update(version);
  for (const { path, migrationFile } of migrationDirectories) hash.update(`\0${path}\0${migrationFile.content.value}`);
  return hash.digest('hex').slice(0, 16);
}
