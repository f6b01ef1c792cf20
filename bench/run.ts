import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createArgon2Hasher } from '../src/auth/password.js';
import { boot } from '../src/boot.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import {
  BARE,
  fmt,
  freePort,
  gql,
  type Load,
  load,
  ME,
  type Proc,
  percentile,
  ROOT,
  ratio,
  SECRET,
  SIGN_IN,
  SIGN_UP,
  sampleRss,
  spawnPeer,
  spawnServer,
} from './lib.js';

/**
 * `npm run bench`: every scenario of issue 7, side by side in one run, on PostgreSQL and on PGlite,
 * loopback only, then BENCHMARKS.md. BENCH_DURATION (seconds per load, default 5), BENCH_SESSIONS,
 * BENCH_ONLY and BENCH_DATABASE_URL (an admin URL; fresh databases are made and dropped) adjust it.
 */

const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const ADMIN_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
const BIG = Number(process.env.BENCH_SESSIONS ?? 1_000_000);
const SMALL = 1_000;
const LIMITS_OFF = {
  RATE_LIMIT_SIGNUP_IP: '1000000',
  RATE_LIMIT_SIGNIN_IP: '1000000',
  RATE_LIMIT_SIGNIN_ACCOUNT: '1000000',
  MAIL_NOTIFY_NEW_SIGN_IN: 'false',
};
const PASSWORD = 'bench-password-long-enough';
// BENCH_ONLY=cold,counts,postgres,pglite runs a part (the report then has only that part).
const ONLY = (part: string) =>
  !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes(part);
const TEMPLATE_CACHE = join(ROOT, 'node_modules/.cache/sessiongraph');

type Db = 'PostgreSQL' | 'PGlite';
const report: string[] = [];
const results: Record<string, Record<Db, string[][]>> = {};
const add = (section: string, db: Db, row: string[]) => {
  results[section] ??= { PostgreSQL: [], PGlite: [] };
  results[section][db].push(row);
};
const log = (...parts: unknown[]) =>
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...parts);

// --- databases -------------------------------------------------------------------------------------

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>, url = ADMIN_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sg_bench_${randomBytes(4).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

type Sql = (text: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

/** Brings the sessions table to `total` rows with a filler user's sessions (generate_series, one statement). */
async function fillSessions(sql: Sql, fillerUserId: string, total: number): Promise<void> {
  const { rows } = await sql('SELECT count(*)::int AS n FROM sessions');
  const missing = total - Number(rows[0]?.n ?? 0);
  if (missing > 0) {
    await sql(
      `INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at, absolute_expires_at, keep_signed_in)
       SELECT gen_random_uuid(), md5(i::text || $3 || 'a') || md5(i::text || $3 || 'b'), $1::uuid, now(), now(),
              now() + interval '1 day', now() + interval '90 days', false
         FROM generate_series(1, $2::int) AS i`,
      [fillerUserId, missing, randomBytes(8).toString('hex')],
    );
  }
  // As a long-running database would be: vacuumed and analysed, not mid-autovacuum during the measurement.
  await sql('VACUUM ANALYZE sessions');
}

const pgSql =
  (url: string): Sql =>
  (text, params) =>
    withAdmin((c) => c.query(text, params), url);

async function withPglite<T>(dataDir: string, work: (sql: Sql) => Promise<T>): Promise<T> {
  const db = new PGlite(join(dataDir, 'pglite'));
  try {
    return await work((text, params) => db.query<Record<string, unknown>>(text, params ?? []));
  } finally {
    await db.close();
  }
}

// --- steps -----------------------------------------------------------------------------------------

interface Account {
  name: string;
  id: string;
  cookie: string;
}

async function account(server: Proc, tag: string): Promise<Account> {
  const name = `${tag}_${randomBytes(3).toString('hex')}`;
  const res = await gql(server.url, SIGN_UP, {
    input: { name, email: `${name}@bench.test`, password: PASSWORD },
  });
  const id = (res.body.data?.signUp as { user: { id: string } } | undefined)?.user.id;
  if (!id || !res.cookie) throw new Error(`sign-up failed: ${JSON.stringify(res.body.errors)}`);
  return { name, id, cookie: res.cookie };
}

async function checkMe(server: Proc, cookie: string) {
  const res = await gql(server.url, ME, {}, cookie);
  if (!(res.body.data?.me as { id?: string } | null)?.id)
    throw new Error(`me failed: ${JSON.stringify(res.body)}`);
}

const loadRow = (label: string, r: Load) => [
  label,
  fmt(r.rps),
  fmt(r.p50, 1),
  fmt(r.p99, 1),
  String(r.non2xx + r.errors + r.timeouts),
];

const rssRow = (label: string, peak: { server: number; children: number }) => [
  label,
  fmt(peak.server, 0),
  fmt(peak.children, 0),
  fmt(peak.server + peak.children, 0),
];

async function authTax(db: Db, server: Proc, user: Account): Promise<{ me: Load }> {
  log(db, 'auth tax');
  await checkMe(server, user.cookie);
  const stopRss = sampleRss(server);
  const [bare, me] = await alternate(
    () => load({ url: server.url, query: BARE, durationS: DURATION }),
    meOn(server, user.cookie),
  );
  const rssPeak = stopRss();
  add('auth', db, loadRow('`{ __typename }` (no cookie)', bare));
  add('auth', db, loadRow('`{ me { id name } }` (signed in)', me));
  add('auth', db, [
    '**ratio me / bare**',
    ratio(me.rps, bare.rps),
    ratio(me.p50, bare.p50),
    ratio(me.p99, bare.p99),
    '',
  ]);
  add('rss', db, rssRow('`me` and `__typename` at full speed, 10 connections', rssPeak));
  return { me };
}

async function storm(db: Db, server: Proc, user: Account, idleMe: Load): Promise<void> {
  log(db, 'sign-in storm');
  const classify = (body: string) =>
    body.includes('"RATE_LIMITED"') ? 'limited' : body.includes('"signIn":{') ? 'ok' : 'other';
  const signIn = {
    url: server.url,
    query: SIGN_IN,
    variables: { input: { name: user.name, password: PASSWORD } },
    classify,
  };
  const capacityRun = await load({ ...signIn, connections: 4, durationS: DURATION });
  const capacity = (capacityRun.kinds.ok ?? 0) / DURATION;
  const rate = Math.max(1, Math.round(capacity * 3));
  const stopRss = sampleRss(server);
  // Open loop: a new sign-in every 1/rate s whatever the previous ones are doing, as a real storm
  // arrives (autocannon waits on each connection, so it cannot offer more than the server answers).
  const outcomes: { ms: number; kind: string }[] = [];
  const inFlight: Promise<void>[] = [];
  const stormMs = DURATION * 2 * 1_000;
  const fire = async () => {
    const started = performance.now();
    try {
      const res = await gql(server.url, SIGN_IN, signIn.variables);
      outcomes.push({
        ms: performance.now() - started,
        kind: res.body.errors?.[0]?.extensions?.code ?? 'ok',
      });
    } catch {
      outcomes.push({ ms: performance.now() - started, kind: 'transport error' });
    }
  };
  const generator = (async () => {
    const begun = performance.now();
    for (let sent = 0; performance.now() - begun < stormMs; sent++) {
      inFlight.push(fire());
      const due = begun + ((sent + 1) * 1_000) / rate;
      await sleep(Math.max(0, due - performance.now()));
    }
  })();
  const me = await load({
    url: server.url,
    query: ME,
    cookie: user.cookie,
    durationS: DURATION * 2,
  });
  await generator;
  await Promise.all(inFlight);
  const rssPeak = stopRss();
  const byKind = (kind: string) =>
    outcomes
      .filter((o) => o.kind === kind)
      .map((o) => o.ms)
      .sort((a, b) => a - b);
  const pct = percentile;
  const ok = byKind('ok');
  const limited = byKind('RATE_LIMITED');
  const other = outcomes.length - ok.length - limited.length;
  add('storm', db, [
    'measured hash capacity (sign-ins/s, 4 connections)',
    fmt(capacity, 1),
    `${capacityRun.kinds.ok ?? 0} ok in ${DURATION} s`,
  ]);
  add('storm', db, [
    `sign-ins offered at 3× capacity (${rate}/s for ${DURATION * 2} s, open loop)`,
    `${outcomes.length} sent: ${ok.length} ok, ${limited.length} RATE_LIMITED, ${other} other`,
    `ok p50 ${fmt(pct(ok, 0.5))} / p99 ${fmt(pct(ok, 0.99))} ms; RATE_LIMITED p50 ${fmt(pct(limited, 0.5))} / p99 ${fmt(pct(limited, 0.99))} ms`,
  ]);
  add('storm', db, ['`me` idle', `${fmt(idleMe.rps)} req/s`, `p99 ${fmt(idleMe.p99, 1)} ms`]);
  add('storm', db, ['`me` during the storm', `${fmt(me.rps)} req/s`, `p99 ${fmt(me.p99, 1)} ms`]);
  add('storm', db, [
    '**ratio storm / idle** (goal ≥ 0.5×, p99 ≤ 3×)',
    `**${ratio(me.rps, idleMe.rps)}**`,
    `**p99 ${ratio(me.p99, idleMe.p99)}**`,
  ]);
  add('rss', db, rssRow('sign-in storm + `me`', rssPeak));
}

async function peer(server: Proc, user: Account, databaseUrl: string) {
  log('PostgreSQL', 'peer');
  const other = await spawnPeer(databaseUrl);
  try {
    const login = await fetch(`${other.origin}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: user.name }),
    });
    const cookie = login.headers.getSetCookie()[0]?.split(';')[0];
    if (!cookie) throw new Error('peer login failed');
    const check = await gql(other.url, ME, {}, cookie);
    if (!(check.body.data?.me as { id?: string } | null)?.id)
      throw new Error('peer who-am-i failed');
    const [theirs, ours] = await alternate(meOn(other, cookie), meOn(server, user.cookie));
    add('peer', 'PostgreSQL', loadRow('sessiongraph `{ me { id name } }`', ours));
    add('peer', 'PostgreSQL', loadRow('express + express-session + connect-pg-simple', theirs));
    add('peer', 'PostgreSQL', [
      '**ratio ours / peer** (goal ≥ 2×)',
      `**${ratio(ours.rps, theirs.rps)}**`,
      ratio(ours.p50, theirs.p50),
      ratio(ours.p99, theirs.p99),
      '',
    ]);
  } finally {
    await other.stop();
  }
}

const SCALE_MODES = [
  ['cache on (default)', {}],
  [
    'cache off (`SESSION_CACHE_SIZE=0`: one indexed lookup per request)',
    { SESSION_CACHE_SIZE: '0' },
  ],
] as const;

function scaleRows(db: Db, label: string, small: Load, big: Load) {
  add('scale', db, [
    label,
    `${fmt(small.rps)} / ${fmt(small.p50, 1)} ms`,
    `${fmt(big.rps)} / ${fmt(big.p50, 1)} ms`,
    `**${ratio(big.p50, small.p50)}**`,
  ]);
}

// --- per database ----------------------------------------------------------------------------------

/**
 * Two loads in turn, `rounds` times each, so that drift on the machine (autovacuum, other work, a
 * warming JIT) falls on both sides alike; each side reports the median of its rounds, measure by measure.
 */
async function alternate(a: () => Promise<Load>, b: () => Promise<Load>, rounds = 5) {
  // Both sides run once unrecorded first (the JIT warms up over the first seconds), then in A-B, B-A,
  // A-B… order, so that neither side always runs on the warmer or cooler machine.
  await a();
  await b();
  const runs: [Load[], Load[]] = [[], []];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      runs[0].push(await a());
      runs[1].push(await b());
    } else {
      runs[1].push(await b());
      runs[0].push(await a());
    }
  }
  return [medianLoad(runs[0]), medianLoad(runs[1])] as const;
}

function medianLoad(runs: Load[]): Load {
  const median = (pick: (run: Load) => number) =>
    [...runs].map(pick).sort((x, y) => x - y)[Math.floor(runs.length / 2)] ?? Number.NaN;
  const sum = (pick: (run: Load) => number) => runs.reduce((total, run) => total + pick(run), 0);
  return {
    rps: median((run) => run.rps),
    p50: median((run) => run.p50),
    p99: median((run) => run.p99),
    requests: sum((run) => run.requests),
    non2xx: sum((run) => run.non2xx),
    errors: sum((run) => run.errors),
    timeouts: sum((run) => run.timeouts),
    kinds: {},
  };
}

/** The `me` load on one server with one cookie. */
const meOn = (server: Proc, cookie: string) => () =>
  load({ url: server.url, query: ME, cookie, durationS: DURATION });

/** How to start one side of the scale comparison: a server environment and the cookie its user holds. */
interface Side {
  env: Record<string, string>;
  cookie: string;
}

/**
 * The scale comparison, with new server processes for every round. Two identical processes on one
 * database differ here by up to 1.3× in p50 for as long as they live (where the scheduler happens to
 * put them, it seems), which is more than the effect measured; a pair per round lets that fall on both
 * sides alike. Each round warms both up, then measures A-B or B-A in turn; medians as in alternate().
 */
async function scaleCompare(db: Db, label: string, small: Side, big: Side, rounds = 5) {
  const runs: [Load[], Load[]] = [[], []];
  for (let round = 0; round < rounds; round++) {
    const [a, b] = await Promise.all([spawnServer(small.env), spawnServer(big.env)]);
    try {
      await checkMe(a, small.cookie);
      await checkMe(b, big.cookie);
      const warm = (server: Proc, cookie: string) =>
        load({ url: server.url, query: ME, cookie, durationS: 2 });
      await warm(a, small.cookie);
      await warm(b, big.cookie);
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const side of order) {
        const [server, cookie] = side === 0 ? [a, small.cookie] : [b, big.cookie];
        runs[side]?.push(await meOn(server, cookie)());
      }
    } finally {
      await a.stop();
      await b.stop();
    }
  }
  scaleRows(db, label, medianLoad(runs[0]), medianLoad(runs[1]));
}

async function postgresSuite() {
  const database = await freshPostgres();
  const bigDatabase = await freshPostgres();
  const servers: Proc[] = [];
  const spawnOn = async (url: string, extra: Record<string, string> = {}) => {
    const server = await spawnServer({ ...LIMITS_OFF, DATABASE_URL: url, ...extra });
    servers.push(server);
    return server;
  };
  try {
    const server = await spawnOn(database.url);
    const user = await account(server, 'bench');
    await fillSessions(pgSql(database.url), (await account(server, 'filler')).id, SMALL);
    const { me: idleMe } = await authTax('PostgreSQL', server, user);
    await peer(server, user, database.url);
    await storm('PostgreSQL', server, user, idleMe);

    log('PostgreSQL', `scale: a second database with ${fmt(BIG)} sessions`);
    const bigServer = await spawnOn(bigDatabase.url);
    const bigUser = await account(bigServer, 'bench');
    await fillSessions(pgSql(bigDatabase.url), (await account(bigServer, 'filler')).id, BIG);
    await server.stop();
    await bigServer.stop();
    for (const [label, extra] of SCALE_MODES) {
      await scaleCompare(
        'PostgreSQL',
        label,
        { env: { ...LIMITS_OFF, DATABASE_URL: database.url, ...extra }, cookie: user.cookie },
        { env: { ...LIMITS_OFF, DATABASE_URL: bigDatabase.url, ...extra }, cookie: bigUser.cookie },
      );
    }
  } finally {
    for (const server of servers) await server.stop();
    await database.drop();
    await bigDatabase.drop();
  }
}

/** A PGlite data directory with a bench user and `sessions` rows (written while no server runs). */
async function pgliteDatabase(sessions: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sg-bench-'));
  const env = { ...LIMITS_OFF, DATA_DIR: dataDir };
  const server = await spawnServer(env);
  const user = await account(server, 'bench');
  const filler = await account(server, 'filler');
  await server.stop();
  // PGlite is one process's database: the bench writes the filler rows while the server is down.
  await withPglite(dataDir, (sql) => fillSessions(sql, filler.id, sessions));
  return { env, user, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}

async function pgliteSuite() {
  const small = await pgliteDatabase(SMALL);
  log('PGlite', `scale: a second database with ${fmt(BIG)} sessions`);
  const big = await pgliteDatabase(BIG);
  try {
    const server = await spawnServer(small.env);
    const { me: idleMe } = await authTax('PGlite', server, small.user);
    await storm('PGlite', server, small.user, idleMe);
    await server.stop();

    for (const [label, extra] of SCALE_MODES) {
      await scaleCompare(
        'PGlite',
        label,
        { env: { ...small.env, ...extra }, cookie: small.user.cookie },
        { env: { ...big.env, ...extra }, cookie: big.user.cookie },
      );
    }
  } finally {
    small.remove();
    big.remove();
  }
}

// --- in-process counts: SQL per request, session writes -------------------------------------------

async function counts(db: Db) {
  log(db, 'SQL statements per request, session writes');
  const database =
    db === 'PostgreSQL' ? await freshPostgres() : { url: 'memory:', drop: async () => {} };
  const dataDir = mkdtempSync(join(tmpdir(), 'sg-bench-'));
  const config = loadConfig({
    ...LIMITS_OFF,
    NODE_ENV: 'production',
    SESSION_SECRET: SECRET,
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    MAIL_POLL_INTERVAL: '1h',
  });
  const queries: string[] = [];
  // Hashing is not what this measures: cheap argon2 parameters keep the 100 sign-ins quick.
  const hasher = createArgon2Hasher(
    { memoryCost: 1024, timeCost: 1, parallelism: 1 },
    { concurrency: 2, queue: 1_000, maxWaitMs: 60_000, nice: 0 },
  );
  const booted = await boot(config, createLogger(config), {
    hasher,
    onQuery: (sql) => queries.push(sql),
  });
  const http: Server = createServer(booted.app.yoga);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`;
  const { sessions } = booted.app.services;
  try {
    while (!sessions.cache.isTrusted) await sleep(10);
    const name = `counts_${randomBytes(3).toString('hex')}`;
    await gql(url, SIGN_UP, { input: { name, email: `${name}@bench.test`, password: PASSWORD } });
    const cookies: string[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await gql(url, SIGN_IN, { input: { name, password: PASSWORD } });
      if (!res.cookie) throw new Error('sign-in failed');
      cookies.push(res.cookie);
    }
    const per = async (label: string, n: number, send: (i: number) => Promise<unknown>) => {
      queries.length = 0;
      for (let i = 0; i < n; i++) await send(i);
      add('sql', db, [label, fmt(queries.length / n, 2)]);
    };
    await per('`{ __typename }`', 100, () => gql(url, BARE));
    sessions.cache.clear();
    await per('`me`, session not yet cached (first request after start)', 100, (i) =>
      gql(url, ME, {}, cookies[i]),
    );
    await per('`me`, session cached (every later request)', 1_000, (i) =>
      gql(url, ME, {}, cookies[i % 100]),
    );
    await per('`signIn`', 20, () => gql(url, SIGN_IN, { input: { name, password: PASSWORD } }));

    // Every session made due for a touch, then 10,000 reads spread over the 100 sessions.
    await booted.db.prisma
      .$executeRaw`UPDATE sessions SET last_seen_at = last_seen_at - interval '10 minutes'`;
    sessions.cache.clear();
    const since = new Date();
    queries.length = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < 10_000) {
          const i = next++;
          await gql(url, ME, {}, cookies[i % 100]);
        }
      }),
    );
    await sessions.close();
    const writes = queries.filter((sql) =>
      /^\s*(UPDATE|INSERT INTO|DELETE FROM)\s+("public"\.)?"?sessions/i.test(sql),
    );
    const touched = await booted.db.prisma.session.count({ where: { lastSeenAt: { gte: since } } });
    add('writes', db, [
      '10,000 `me` over 100 sessions',
      String(touched),
      String(writes.length),
      fmt(queries.length / 10_000, 3),
    ]);
  } finally {
    http.close();
    await booted.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// --- cold start ------------------------------------------------------------------------------------

async function coldStart(db: Db, label: string): Promise<number> {
  log(db, `cold start: ${label}`);
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

async function coldStarts() {
  const runs = async (db: Db, label: string) => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) times.push(await coldStart(db, label));
    times.sort((a, b) => a - b);
    add('cold', db, [
      label,
      `**${fmt(times[1] ?? Number.NaN, 2)} s**`,
      times.map((t) => fmt(t, 2)).join(', '),
    ]);
  };
  await runs('PostgreSQL', '`npm start`, fresh database (runs the migrations)');
  await runs('PGlite', '`npm start`, fresh `DATA_DIR` (unpacks the migrated template)');
  // What the first start after `npm ci` (or after a new migration) pays once, if `npm run build` did not.
  rmSync(TEMPLATE_CACHE, { recursive: true, force: true });
  const first = await coldStart('PGlite', 'no template yet');
  add('cold', 'PGlite', [
    'the same, first start after install or a new migration (builds the template: initdb + migrations)',
    `${fmt(first, 2)} s`,
    'once',
  ]);
}

// --- report ----------------------------------------------------------------------------------------

function table(header: string[], section: string, note?: string) {
  for (const db of ['PostgreSQL', 'PGlite'] as Db[]) {
    const rows = results[section]?.[db] ?? [];
    if (!rows.length) continue;
    report.push(
      `**${db}**${note ? ` ${note}` : ''}`,
      '',
      `| ${header.join(' | ')} |`,
      `|${header.map(() => ' --- ').join('|')}|`,
    );
    for (const row of rows) report.push(`| ${row.join(' | ')} |`);
    report.push('');
  }
}

async function main() {
  const started = Date.now();
  const loadBefore = loadavg()[0] ?? 0;
  // What `npm run build` (or the first `npm start`) does once per install: not start-up time.
  const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
  const pgVersion = await withAdmin(
    async (c) => (await c.query('SHOW server_version')).rows[0].server_version as string,
  );

  if (ONLY('cold')) await coldStarts();
  if (ONLY('counts')) await counts('PostgreSQL');
  if (ONLY('counts')) await counts('PGlite');
  if (ONLY('postgres')) await postgresSuite();
  if (ONLY('pglite')) await pgliteSuite();

  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  report.push(
    '# Benchmarks',
    '',
    'Produced by `npm run bench` (bench/run.ts); the whole file is rewritten by each run. Everything runs on',
    'loopback on one machine: the load generator (autocannon), the server (a child process started as',
    '`npm start` starts it: `node dist/server.js`, compiled by `npm run build`, `NODE_ENV=production`, real',
    `argon2id at OWASP parameters in its low-priority hash process, \`UV_THREADPOOL_SIZE\` = cores + 1) and PostgreSQL share the same ${availableParallelism()} cores, so`,
    'absolute numbers are modest and noisy; the ratios, measured side by side in one run, are the point.',
    '',
    `- Command: \`npm run bench\` (BENCH_DURATION=${DURATION} s per load, ${fmt(BIG)} sessions for the scale run); took ${minutes} min`,
    `- Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, nproc ${availableParallelism()}, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM, Node ${process.version}, PostgreSQL ${pgVersion}, ${new Date().toISOString().slice(0, 10)}`,
    `- Load average (1 min) when the run started: ${loadBefore.toFixed(1)}; when it ended: ${(loadavg()[0] ?? 0).toFixed(1)} (other work on the machine skews absolute numbers)`,
    '- Loads: autocannon, 10 connections unless stated, POST /graphql with a JSON body; latencies in ms,',
    "  percentiles computed from every response's own duration (autocannon's histogram rounds to whole ms).",
    '- The comparisons of sections 1 and 2 run each side once unrecorded (warm-up), then five times in',
    '  turn (A-B, B-A, A-B, B-A, A-B), and reports the median of each measure, so that drift falls on both',
    '  sides alike. Runs of the same load vary by ±10 % on this machine; a ratio is trustworthy to about that.',
    '',
    '## 1. Auth tax: `me` vs `__typename` on the same server',
    '',
    'Goal: ≥ 0.9× throughput, p99 ≤ 1.5×.',
    '',
  );
  table(['request', 'req/s', 'p50', 'p99', 'errors'], 'auth');
  report.push(
    '## 2. The peer: express + express-session + connect-pg-simple',
    '',
    'The same "who am I" (session lookup, then the user row) from the same PostgreSQL database. Goal: ours ≥ 2×.',
    '',
  );
  table(['server', 'req/s', 'p50', 'p99', 'errors'], 'peer');
  report.push(
    '## 3. Sign-in storm',
    '',
    'signIn offered at 3× the measured hash capacity while `me` runs. Goal: `me` keeps ≥ 0.5× its idle',
    'throughput and p99 ≤ 3× idle; excess sign-ins fail fast with `RATE_LIMITED` instead of queueing without',
    "bound. argon2 runs in a child process niced by `PASSWORD_HASH_NICE` (10) and in Linux's idle scheduling",
    'class (`PASSWORD_HASH_IDLE_CLASS`), so hashes get the CPU the event loop leaves; a sign-in whose hash',
    'could not start within `PASSWORD_HASH_MAX_WAIT` (1 s) is refused',
    'before any query. Abuse limits are raised for this run so that only the hash admission sheds.',
    '',
  );
  table(['measure', 'value', 'detail'], 'storm');
  report.push(
    `## 4. Scale: ${fmt(SMALL)} vs ${fmt(BIG)} sessions in the table`,
    '',
    'The `me` workload on two databases, one with each table size (filler sessions inserted with one',
    '`generate_series` statement, then `VACUUM ANALYZE`). Goal: p50 ratio ≤ 1.2. Each of five rounds starts a',
    'new server on each database, warms both up, then measures them in turn (A-B, B-A, …); medians. Two',
    'identical server processes on one database differed here by up to 1.3× in p50 for as long as they lived,',
    'more than the effect measured, so no pair of processes is kept across rounds.',
    '',
  );
  table(
    [
      'mode',
      `${fmt(SMALL)} sessions: req/s / p50`,
      `${fmt(BIG)} sessions: req/s / p50`,
      'p50 ratio',
    ],
    'scale',
  );
  report.push(
    '## 5. Session writes',
    '',
    'Every session made due for a touch first (lastSeenAt set back 10 minutes; the touch interval is 1 minute),',
    'then 10,000 reads over 100 sessions, 20 at a time. Goal: ≤ 100 session writes. Counted in-process from',
    "Prisma's query log.",
    '',
  );
  table(
    ['run', 'session rows written', 'UPDATE statements', 'SQL statements per request'],
    'writes',
  );
  report.push(
    '## 6. Cold start',
    '',
    'Spawn of `npm start` to the first answered `{ __typename }`, three times each (median in bold). Goal: ≤ 3 s.',
    '`npm start` compiles `src/` first when it changed (esbuild, about 0.3 s; not needed here). A new PGlite',
    'database is unpacked from a template that `npm run build` (or the first start) makes once per install and',
    'migrations folder: initdb plus the migrations, kept in `node_modules/.cache/sessiongraph/`.',
    '',
  );
  table(['what', 'median', 'runs'], 'cold');
  report.push(
    '## RSS under load',
    '',
    'Peak resident memory, sampled every 100 ms, of the server process and of its argon2 process. Goal: ≤ 250 MB.',
    'On PGlite the server process holds the whole PostgreSQL engine too (WebAssembly memory).',
    '',
  );
  table(['load', 'server (MB)', 'hash process (MB)', 'both (MB)'], 'rss');
  report.push(
    '## SQL statements per request',
    '',
    "Counted in-process from Prisma's query log (`onQuery`).",
    '',
  );
  table(['request', 'statements per request'], 'sql');

  // A partial run must not overwrite the full report.
  const out = process.env.BENCH_ONLY ? 'bench/results/partial.md' : 'BENCHMARKS.md';
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, out), `${report.join('\n').trimEnd()}\n`);
  log(`wrote ${out} in ${minutes} min`);
}

await main();
process.exit(0);
