import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT, type StartCommand } from '../scripts/start-command.js';
import { freePort } from '../test/support/ports.js';
import { runServerProcess, spawnServer } from '../test/support/server-process.js';
import { settings } from './settings.js';

/**
 * Our server as `npm start` runs it (the tests' harness: test/support/server-process.ts), the peer,
 * the GraphQL requests the bench sends, and the resident memory of a process tree.
 */

export interface Running {
  origin: string;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Production as a user runs it behind TLS; loopback only. */
const PRODUCTION = {
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://127.0.0.1',
  LOG_LEVEL: 'warn',
};

/** The abuse limits raised, so that only the hash admission sheds under the sign-in loads. */
export const LIMITS_OFF = {
  RATE_LIMIT_SIGNUP_IP: '1000000',
  RATE_LIMIT_SIGNIN_IP: '1000000',
  RATE_LIMIT_SIGNIN_ACCOUNT: '1000000',
  MAIL_NOTIFY_NEW_SIGN_IN: 'false',
  // The load comes from one address; only the hash admission (queue and wait) may shed it.
  PASSWORD_HASH_PER_CLIENT: '1000000',
};

/** Our server, started by the test harness as `npm start` starts it (or with other node flags). */
export async function startOurs(
  env: Record<string, string>,
  start?: StartCommand,
): Promise<Running> {
  const server = await spawnServer({ ...PRODUCTION, ...env, ...settings.serverEnv }, 60_000, start);
  return {
    origin: server.origin,
    url: server.graphqlUrl,
    pid: server.child.pid ?? 0,
    async stop() {
      // A server that does not finish within its shutdown timeout is killed: the next load needs the CPU.
      const killer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
      await server.stop();
      clearTimeout(killer);
    },
  };
}

/** express + express-session + connect-pg-simple on the same database (bench/peer/server.ts). */
export async function startPeer(databaseUrl: string): Promise<Running> {
  const port = await freePort();
  const peer = runServerProcess(
    { NODE_ENV: 'production', PORT: String(port), DATABASE_URL: databaseUrl },
    { command: process.execPath, args: ['--import', 'tsx', 'bench/peer/server.ts'] },
  );
  const origin = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; !peer.output().includes(`peer on ${port}`); ) {
    if (peer.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`the peer did not start:\n${peer.output()}`);
    await sleep(50);
  }
  return {
    origin,
    url: `${origin}/graphql`,
    pid: peer.child.pid ?? 0,
    async stop() {
      peer.child.kill('SIGTERM');
      await peer.exited;
    },
  };
}

export { ROOT };

// --- requests ----------------------------------------------------------------------------------------

export const SIGN_UP = 'mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }';
export const SIGN_IN = 'mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }';
export const ME = '{ me { id name } }';
export const BARE = '{ __typename }';
export const PASSWORD = 'bench-password-long-enough';

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

export interface Account {
  name: string;
  id: string;
  cookie: string;
}

export async function signUp(url: string, tag: string): Promise<Account> {
  const name = `${tag}_${randomBytes(3).toString('hex')}`;
  const res = await gql(url, SIGN_UP, {
    input: { name, email: `${name}@bench.test`, password: PASSWORD },
  });
  const id = (res.body.data?.signUp as { user: { id: string } } | undefined)?.user.id;
  if (!id || !res.cookie) throw new Error(`sign-up failed: ${JSON.stringify(res.body.errors)}`);
  return { name, id, cookie: res.cookie };
}

/** Throws unless the cookie signs `me` in on that server (a load on a signed-out `me` measures nothing). */
export async function checkMe(url: string, cookie: string): Promise<void> {
  const res = await gql(url, ME, {}, cookie);
  if (!(res.body.data?.me as { id?: string } | null)?.id)
    throw new Error(`me failed: ${JSON.stringify(res.body)}`);
}

export const signInVariables = (account: Account) => ({
  input: { name: account.name, password: PASSWORD },
});

export const classifySignIn = (body: string) =>
  body.includes('"RATE_LIMITED"') ? 'limited' : body.includes('"signIn":{') ? 'ok' : 'other';

// --- memory ------------------------------------------------------------------------------------------

/** Resident memory of one process in MB (Linux /proc); 0 once it is gone. */
export function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {}
  return children.flatMap((child) => [child, ...descendants(child)]);
}

export interface TreeRss {
  /** The server process. */
  server: number;
  /** Every process it started, summed (none today: kept so that a helper process could not hide). */
  helpers: number;
  total: number;
}

/** Resident memory of a process and everything it started, now. */
export function treeRss(pid: number): TreeRss {
  const server = rssMb(pid);
  const helpers = descendants(pid).reduce((sum, child) => sum + rssMb(child), 0);
  return { server, helpers, total: server + helpers };
}

/** Samples a process tree every 100 ms until stopped; answers each part's peak and the peak of the sum. */
export function sampleRss(pid: number): () => TreeRss {
  const peak = treeRss(pid);
  const timer = setInterval(() => {
    const now = treeRss(pid);
    peak.server = Math.max(peak.server, now.server);
    peak.helpers = Math.max(peak.helpers, now.helpers);
    peak.total = Math.max(peak.total, now.total);
  }, 100);
  return () => {
    clearInterval(timer);
    return { ...peak };
  };
}
