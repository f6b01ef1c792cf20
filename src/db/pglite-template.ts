import { createHash, randomBytes } from 'node:crypto';
import { existsSync, openAsBlob } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { extract } from 'tar';
import { applyMigrations, readMigrations } from './migrations.js';

/**
 * A fresh PGlite database costs an initdb (seconds of WebAssembly and a large peak of memory) and
 * then the migrations. Both give the same bytes every time for one PGlite version and one migrations
 * folder, so they are done once into a template tarball kept beside the dependencies, and every new
 * database after that is unpacked from it (under a second).
 */

const CACHE_DIR = fileURLToPath(
  new URL('../../node_modules/.cache/sessiongraph/', import.meta.url),
);

export const pgliteAdapter = (pglite: PGlite) =>
  // The adapter implements the migration-aware factory but its published types only claim the plain one.
  new PrismaPGlite(pglite) as unknown as SqlMigrationAwareDriverAdapterFactory;

/**
 * PostgreSQL's default 128 MB of shared buffers, which PGlite keeps in its WebAssembly memory and
 * touches at start-up, is a large share of the server's resident memory; 16 MB holds the hot rows of a
 * sessions table (and the session cache keeps most reads from reaching it at all).
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/** Opens the embedded database in dataDir (or in memory), unpacking a new one from the template. */
export async function openPglite(
  dataDir: string | undefined,
  options: { fromTemplate: boolean },
): Promise<PGlite> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const fresh = !dataDir || !existsSync(join(dataDir, 'PG_VERSION'));
  let loadDataDir: Blob | undefined;
  if (fresh && options.fromTemplate) {
    const template = await migratedTemplate();
    // Streamed to disk by node-tar. PGlite's own loader reads the tarball into memory twice (the file,
    // then each entry), which stayed resident long after the start.
    if (dataDir && 'file' in template) await unpack(template.file, dataDir);
    else loadDataDir = 'file' in template ? await openAsBlob(template.file) : template.blob;
  }
  const pglite = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    startParams: START_PARAMS,
  });
  await pglite.waitReady;
  return pglite;
}

const isVersionFile = (path: string) => path.replace(/^[./]+/, '') === 'PG_VERSION';

/**
 * PG_VERSION comes last: until it exists the directory counts as fresh, so a start cut short while
 * unpacking unpacks again next time instead of opening half a database.
 */
async function unpack(file: string, dataDir: string): Promise<void> {
  await extract({ file, cwd: dataDir, filter: (path) => !isVersionFile(path) });
  await extract({ file, cwd: dataDir, filter: isVersionFile });
  if (!existsSync(join(dataDir, 'PG_VERSION')))
    throw new Error(`${file} holds no PG_VERSION: delete it to rebuild it`);
}

/** A template tarball: its cached file, or only in memory where the cache cannot be written. */
export type Template = { file: string } | { blob: Blob };

/** The template for the current PGlite version and migrations, built on first use. */
export async function migratedTemplate(): Promise<Template> {
  const file = join(CACHE_DIR, `pglite-${await templateKey()}.tar`);
  if (existsSync(file)) return { file };
  const blob = await buildTemplate();
  return (await saveQuietly(file, blob)) ? { file } : { blob };
}

async function buildTemplate(): Promise<Blob> {
  const pglite = new PGlite();
  try {
    await pglite.waitReady;
    await applyMigrations(pgliteAdapter(pglite));
    // Kept uncompressed: unpacking the gzip form costs more at every start than the disk it saves.
    return await pglite.dumpDataDir('none');
  } finally {
    await pglite.close();
  }
}

/** Atomic (rename) so that two instances starting at once never read half a file; read-only installs skip it. */
async function saveQuietly(path: string, template: Blob): Promise<boolean> {
  const partial = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(CACHE_DIR, { recursive: true });
    await writeFile(partial, Buffer.from(await template.arrayBuffer()));
    await rename(partial, path);
    return true;
  } catch {
    await rm(partial, { force: true });
    return false;
  }
}

async function templateKey(): Promise<string> {
  // The package does not export its package.json: find it beside the entry point.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const { version } = JSON.parse(
    await readFile(join(dirname(entry), '../package.json'), 'utf8'),
  ) as {
    version: string;
  };
  const { migrationDirectories } = await readMigrations();
  const hash = createHash('sha256').update(version);
  for (const { path, migrationFile } of migrationDirectories)
    hash.update(`\0${path}\0${migrationFile.content.value}`);
  return hash.digest('hex').slice(0, 16);
}
