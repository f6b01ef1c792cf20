import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { ROOT, startCommand } from '../scripts/start-command.js';
import { freePort } from '../test/support/ports.js';

/** Helpers for bench/run.ts: child processes on loopback, autocannon runs, RSS sampling. */

export { freePort, ROOT };
export const SECRET = 'bench-secret-0123456789-abcdefghijklmnopq';

export interface Proc {
  origin: string;
  url: string;
  pid: number;
  /** Resident memory now, in MB (Linux /proc). */
  rssMb(): number;
  /** The same for the child processes it started (the argon2 process). */
  childrenRssMb(): number;
  stop(): Promise<void>;
}

/** Our server as `npm start` runs it (the compiled dist/, same flags and pool size), on a free loopback port. */
export async function spawnServer(env: Record<string, string>): Promise<Proc> {
  const port = await freePort();
  const { command, args } = startCommand();
  const child = spawn(command, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      SESSION_SECRET: SECRET,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return wrap(child, `http://127.0.0.1:${port}`, '/graphql');
}

export async function spawnPeer(databaseUrl: string): Promise<Proc> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/peer/server.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return wrap(child, `http://127.0.0.1:${port}`, '/graphql');
}

async function wrap(child: ChildProcess, origin: string, path: string): Promise<Proc> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${origin}: process exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      if (response.status < 500) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${origin}: not answering after 60 s`);
    await sleep(50);
  }
  const pid = child.pid ?? 0;
  return {
    origin,
    url: `${origin}${path}`,
    pid,
    rssMb: () => rssMb(pid),
    childrenRssMb: () => childPids(pid).reduce((sum, child) => sum + rssMb(child), 0),
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

export function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** Samples a server's RSS (and its children's) every 100 ms until stopped; returns the peaks. */
export function sampleRss(proc: Proc): () => { server: number; children: number } {
  const peak = { server: proc.rssMb(), children: proc.childrenRssMb() };
  const timer = setInterval(() => {
    peak.server = Math.max(peak.server, proc.rssMb());
    peak.children = Math.max(peak.children, proc.childrenRssMb());
  }, 100);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Response bodies sorted by a classifier, when one was given. */
  kinds: Record<string, number>;
}

export interface LoadOptions {
  url: string;
  query: string;
  variables?: Record<string, unknown>;
  cookie?: string;
  connections?: number;
  durationS: number;
  /** Requests per second across all connections; unset: as fast as possible. */
  overallRate?: number;
  classify?: (body: string) => string;
}

export async function load(options: LoadOptions): Promise<Load> {
  const kinds: Record<string, number> = {};
  // autocannon's own percentiles are whole milliseconds, too coarse for 3 ms requests: keep every duration.
  const durations: number[] = [];
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    connections: options.connections ?? 10,
    duration: options.durationS,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    headers: {
      'content-type': 'application/json',
      ...(options.cookie ? { cookie: options.cookie } : {}),
    },
    body: JSON.stringify({ query: options.query, variables: options.variables ?? {} }),
    setupClient: (client: autocannon.Client) => {
      client.on('response', (status: number, _bytes: number, ms: number) => {
        if (status >= 200 && status < 300) durations.push(ms);
      });
      const classify = options.classify;
      if (classify) {
        client.on('body', (body: Buffer) => {
          const kind = classify(body.toString());
          kinds[kind] = (kinds[kind] ?? 0) + 1;
        });
      }
    },
  });
  durations.sort((a, b) => a - b);
  return {
    rps: result.requests.average,
    p50: percentile(durations, 0.5),
    p99: percentile(durations, 0.99),
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    kinds,
  };
}

export const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? Number.NaN;

export interface GqlResult {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  /** name=value of the session cookie set by the response, if any. */
  cookie: string | undefined;
}

export async function gql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  cookie?: string,
): Promise<GqlResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const cookies = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0] ?? '')
    .filter((pair) => /sessionId=./.test(pair));
  return {
    status: response.status,
    body: (await response.json()) as GqlResult['body'],
    cookie: cookies[0],
  };
}

export const SIGN_UP = 'mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }';
export const SIGN_IN = 'mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }';
export const ME = '{ me { id name } }';
export const BARE = '{ __typename }';

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';
export const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
