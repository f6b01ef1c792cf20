import { setTimeout as sleep } from 'node:timers/promises';
import { withClient } from '../../test/support/private-postgres.js';
import { startServer } from '../../test/support/server.js';
import { prepareBed } from '../databases.js';
import { fmt } from '../load.js';
import { perDatabase, type Scenario, type Verdict, verdict } from '../scenario.js';
import { startOurs } from '../servers.js';
import { type Db, log, settings } from '../settings.js';

const SETTLE_S = 10;
const GOAL = 0.2;
const PRODUCTION = { NODE_ENV: 'production', PUBLIC_URL: 'https://127.0.0.1' };

interface Idle {
  perSecond: number;
  detail: string;
}

/**
 * PostgreSQL: the server as `npm start` runs it, on a database of its own; its transactions are read
 * from pg_stat_database through the admin database, so the probe is not counted. Backends report their
 * counts when they go idle (within about 10 s), so the window's edges blur by a transaction or two.
 */
async function idlePostgres(): Promise<Idle> {
  const bed = await prepareBed('PostgreSQL');
  const name = new URL(bed.url ?? '').pathname.slice(1);
  const server = await startOurs(bed.env);
  const committed = () =>
    withClient(settings.adminUrl, async (client) => {
      const { rows } = await client.query<{ n: string }>(
        'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1',
        [name],
      );
      return Number(rows[0]?.n ?? Number.NaN);
    });
  try {
    await sleep(SETTLE_S * 1_000);
    const before = await committed();
    const started = performance.now();
    await sleep(settings.idleS * 1_000);
    const transactions = (await committed()) - before;
    const seconds = (performance.now() - started) / 1_000;
    return {
      perSecond: transactions / seconds,
      detail: `${transactions} transaction${transactions === 1 ? '' : 's'} in ${fmt(seconds)} s (pg_stat_database of the server's database)`,
    };
  } finally {
    await server.stop();
    await bed.remove();
  }
}

/**
 * PGlite: the engine lives inside the server process, so the server runs in this process (the tests'
 * harness, with its query log) on a data directory, and every statement Prisma sends is counted as a
 * transaction of its own. That is an upper bound: Prisma's log marks where a transaction commits but not
 * where it begins, so statements inside one count each.
 */
async function idlePglite(): Promise<Idle> {
  const server = await startServer({
    database: { url: '', drop: async () => {} },
    env: PRODUCTION,
  });
  try {
    await sleep(SETTLE_S * 1_000);
    server.resetQueryLog();
    const started = performance.now();
    await sleep(settings.idleS * 1_000);
    const statements = server.queries.filter((text) => !text.startsWith('-- Implicit'));
    const seconds = (performance.now() - started) / 1_000;
    const kinds = new Map<string, number>();
    for (const text of statements) {
      const kind = text.trim().replace(/\s+/g, ' ').slice(0, 40);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    const top = [...kinds]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([kind, n]) => `${n}× \`${kind.replaceAll('`', "'").replaceAll('|', '/')}…\``)
      .join(', ');
    return {
      perSecond: statements.length / seconds,
      detail: `${statements.length} statement${statements.length === 1 ? '' : 's'} in ${fmt(seconds)} s${top ? `: ${top}` : ''}`,
    };
  } finally {
    await server.close();
  }
}

export const idle: Scenario = {
  name: 'idle',
  title: 'Idle cost',
  goal: [
    `SQL transactions per second committed by an instance that serves no requests, over ${settings.idleS} s after`,
    `a ${SETTLE_S} s settle, with the default configuration. Goal: ≤ ${GOAL}/s. Both databases are watched at once`,
    '(neither does anything).',
  ].join('\n'),
  async run() {
    log('both', `idle: ${SETTLE_S} s settle, then ${settings.idleS} s watched`);
    const [postgres, pglite] = await Promise.all([idlePostgres(), idlePglite()]);
    const results: [Db, Idle][] = [
      ['PostgreSQL', postgres],
      ['PGlite', pglite],
    ];
    const rows: Partial<Record<Db, string[][]>> = {};
    const verdicts: Verdict[] = [];
    for (const [db, result] of results) {
      rows[db] = [[`**${fmt(result.perSecond, 2)}**`, result.detail]];
      verdicts.push(
        verdict(
          `${db}: idle ≤ ${GOAL} transactions/s`,
          `${fmt(result.perSecond, 2)}/s`,
          result.perSecond <= GOAL,
        ),
      );
    }
    return { markdown: perDatabase(['transactions/s', 'detail'], rows), verdicts };
  },
};
