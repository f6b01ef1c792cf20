import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../test/support/ports.js';
import { freshPostgres } from '../databases.js';
import { fmt, median } from '../load.js';
import { perDatabase, type Scenario, verdict } from '../scenario.js';
import { BARE, gql, ROOT } from '../servers.js';
import { type Db, log } from '../settings.js';

const TEMPLATE_CACHE = join(ROOT, 'node_modules/.cache/sessiongraph');

/** Seconds from the spawn of `npm start` itself (npm, its prestart check and all) to a first answer. */
async function coldStart(db: Db): Promise<number> {
  const database = db === 'PostgreSQL' ? await freshPostgres() : undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'sg-cold-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    detached: true,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...(database ? { DATABASE_URL: database.url } : {}),
    },
    stdio: 'ignore',
  });
  let elapsed = Number.NaN;
  try {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      try {
        const res = await gql(`http://127.0.0.1:${port}/graphql`, BARE);
        if (res.status === 200) {
          elapsed = performance.now() - started;
          break;
        }
      } catch {}
      await sleep(10);
    }
  } finally {
    // npm and the server it started form one process group.
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
    await sleep(1_000);
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }
    rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  }
  return elapsed / 1000;
}

export const coldStartScenario: Scenario = {
  name: 'cold-start',
  title: 'Cold start',
  goal: [
    'Spawn of `npm start` to the first answered `{ __typename }`, three times each (median in bold). Goal: ≤ 3 s.',
    '`npm start` compiles `src/` first when it changed (esbuild, about 0.3 s; not needed here). A new PGlite',
    'database is unpacked from a template that `npm run build` (or the first start) makes once per install and',
    'migrations folder: initdb plus the migrations, kept in `node_modules/.cache/sessiongraph/`.',
  ].join('\n'),
  async run() {
    const rows: Partial<Record<Db, string[][]>> = {};
    const medians: Partial<Record<Db, number>> = {};
    const runs = async (db: Db, label: string) => {
      log(db, `cold start: ${label}`);
      const times: number[] = [];
      for (let i = 0; i < 3; i++) times.push(await coldStart(db));
      medians[db] = median(times);
      rows[db] = [
        [label, `**${fmt(median(times), 2)} s**`, times.map((t) => fmt(t, 2)).join(', ')],
      ];
    };
    await runs('PostgreSQL', '`npm start`, fresh database (runs the migrations)');
    await runs('PGlite', '`npm start`, fresh `DATA_DIR` (unpacks the migrated template)');
    // What the first start after `npm ci` (or after a new migration) pays once, if `npm run build` did not.
    log('PGlite', 'cold start: no template yet');
    rmSync(TEMPLATE_CACHE, { recursive: true, force: true });
    const first = await coldStart('PGlite');
    rows.PGlite?.push([
      'the same, first start after install or a new migration (builds the template: initdb + migrations)',
      `${fmt(first, 2)} s`,
      'once',
    ]);
    return {
      markdown: perDatabase(['what', 'median', 'runs'], rows),
      verdicts: (['PostgreSQL', 'PGlite'] as const).map((db) =>
        verdict(
          `${db}: cold start ≤ 3 s`,
          `${fmt(medians[db] ?? Number.NaN, 2)} s`,
          (medians[db] ?? Number.POSITIVE_INFINITY) <= 3,
        ),
      ),
    };
  },
};
