import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract } from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { migratedTemplate, openPglite } from './pglite-template.js';

const dirs: string[] = [];
const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-template-'));
  dirs.push(dir);
  return join(dir, 'data');
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function tablesIn(dataDir: string): Promise<string[]> {
  const pglite = await openPglite(dataDir, { fromTemplate: true });
  try {
    const { rows } = await pglite.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    return rows.map((row) => row.name);
  } finally {
    await pglite.close();
  }
}

describe('a new embedded database from the migrated template', () => {
  it('is unpacked into the data directory with every migration applied, and opens again as it is', async () => {
    const dataDir = newDir();
    const tables = await tablesIn(dataDir);
    expect(tables).toEqual(expect.arrayContaining(['users', 'sessions', '_prisma_migrations']));
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    expect(await tablesIn(dataDir)).toEqual(tables);
  });

  it('is unpacked again over a start that was cut short while unpacking', async () => {
    const template = await migratedTemplate();
    if (!('file' in template)) throw new Error('the template cache is not writable here');
    const dataDir = newDir();
    mkdirSync(dataDir);
    // What a kill part-way leaves: some of the files, and PG_VERSION not yet (it comes last).
    let kept = 0;
    await extract({
      file: template.file,
      cwd: dataDir,
      filter: (path) => !path.endsWith('PG_VERSION') && kept++ < 300,
      onwarn: () => {},
    });
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(false);
    expect(await tablesIn(dataDir)).toEqual(expect.arrayContaining(['users', 'sessions']));
  });
});
