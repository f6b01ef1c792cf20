import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/start-command.js';
import { TestClient } from '../support/client.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../support/database.js';
import { signIn, signUp, UNLIMITED } from '../support/flows.js';
import { freePort } from '../support/ports.js';
import type { Fetch } from '../support/server.js';
import { type ServerProcess, spawnServer } from '../support/server-process.js';
import { until } from '../support/wait.js';

/**
 * The production shape of docs/deploy.md, for real: three server processes (as `npm start` runs them)
 * behind Debian's nginx (examples/deploy/nginx.conf: round robin, no stickiness), on one PostgreSQL
 * reached through Debian's PgBouncer in transaction mode (examples/deploy/pgbouncer.ini), with
 * DIRECT_DATABASE_URL for LISTEN and migrations. Both configurations are used as shipped; only ports,
 * paths and the database name are filled in.
 */

const EXAMPLES = join(ROOT, 'examples/deploy');
// nginx and PgBouncer refuse to run as root (PgBouncer) or hand their workers to `nobody` (nginx);
// under root (CI) both run as the `postgres` user, which the PostgreSQL packages create.
const asRoot = process.getuid?.() === 0;

describe.runIf(postgresAvailable)(
  'three instances behind nginx, on PgBouncer in transaction mode',
  () => {
    let topology: Topology;

    beforeAll(async () => {
      topology = await Topology.start();
    }, 120_000);
    afterAll(async () => {
      await topology?.stop();
    }, 60_000);

    it('sign-up and sign-in on any instance give a session that every instance and nginx accept', async () => {
      for (const instance of topology.instances) {
        const here = new TestClient({
          graphqlUrl: instance.graphqlUrl,
          fetch: connectionPerRequest,
        });
        const { user, account } = await signUp(here);
        expect(await topology.meOnEach(here)).toEqual([user.id, user.id, user.id]);
        expect(await meVia(topology.nginxUrl, cookieOf(here), 'GET')).toEqual({ ok: user.id });

        // Sign-in (rate-limit counters, named statements before the fix) through the pooler, on each instance.
        for (const other of topology.instances) {
          const again = new TestClient({
            graphqlUrl: other.graphqlUrl,
            fetch: connectionPerRequest,
          });
          const signedIn = await signIn(again, { name: account.name, password: account.password });
          expect(signedIn.errors).toBeUndefined();
          expect(await meVia(topology.nginxUrl, cookieOf(again), 'POST')).toEqual({ ok: user.id });
        }
      }
    }, 120_000);

    it('under load through nginx, a revoke through one instance is refused by all three within 100 ms', async () => {
      const load = await topology.startLoad();
      try {
        const owner = topology.client();
        const { user, account } = await signUp(owner);
        const device = topology.client();
        const { data } = await signIn(device, { name: account.name, password: account.password });
        const session = data?.signIn?.session;
        if (!session) throw new Error('sign-in failed');
        // Every instance has served (and so cached) the session about to be revoked.
        expect(await topology.meOnEach(device)).toEqual([user.id, user.id, user.id]);

        const revoked = await owner.request('mutation ($id: ID!) { revokeSession(id: $id) }', {
          id: session.id,
        });
        expect(revoked.data).toEqual({ revokeSession: true });
        const revokedAt = performance.now();
        // The contract is about when the instances stop serving the session, not how long a request
        // takes on a loaded machine: what is measured is when the last request still served was sent.
        const lastServed = await Promise.all(
          topology.instances.map((instance) => lastServedAfter(instance.origin, device, revokedAt)),
        );
        expect(lastServed.filter((ms) => ms >= 100)).toEqual([]);
      } finally {
        expect((await load.stop()).failures).toEqual([]);
      }
    }, 120_000);

    it('a rolling restart (out of nginx, SIGTERM, start, back in; next) loses no request', async () => {
      const load = await topology.startLoad();
      const served: number[] = [];
      for (let index = 0; index < topology.instances.length; index++) {
        const before = load.count();
        await topology.restart(index);
        served.push(load.count() - before);
      }
      const { failures, total } = await load.stop();
      expect(failures).toEqual([]);
      // The load ran throughout: requests were answered while each instance was away.
      expect(served.every((count) => count > 0)).toBe(true);
      expect(total).toBeGreaterThan(0);
    }, 240_000);

    it('kill -9 of one instance loses only POSTs it had in flight; nginx sends the GETs to another', async () => {
      const load = await topology.startLoad();
      await until(() => load.count() >= 50, 30_000);
      const [victim] = topology.instances;
      if (!victim) throw new Error('no instance');
      await victim.stop('SIGKILL');
      const after = load.count();
      await until(() => load.count() >= after + 100, 30_000);
      const { failures } = await load.stop();

      // nginx's answer for a request the instance took down with it; never a wrong answer.
      expect(failures.filter((f) => f.method === 'GET')).toEqual([]);
      for (const failure of failures)
        expect(failure).toMatchObject({ method: 'POST', status: 502 });
      // At most one request in flight per client of the load, and only those the victim held.
      expect(failures.length).toBeLessThanOrEqual(load.clients);
    }, 120_000);
  },
);

/** What one request of the load got, when it was not the right answer. */
interface Failure {
  method: 'GET' | 'POST';
  status?: number;
  detail: string;
}

/** `me`'s id, `null` when signed out, or what came back instead of a GraphQL answer. */
type MeResult = { ok: string | null } | { status?: number; detail: string };

const ME_QUERY = 'query Me { me { id } }';

/** `me` through GET (idempotent: nginx may send it again) or POST (never sent twice by nginx). */
async function meVia(origin: string, cookie: string, method: 'GET' | 'POST'): Promise<MeResult> {
  const url = new URL('/graphql', origin);
  if (method === 'GET') url.searchParams.set('query', ME_QUERY);
  let response: Response;
  try {
    response = await connectionPerRequest(url, {
      method,
      headers: {
        accept: 'application/graphql-response+json, application/json',
        ...(cookie ? { cookie } : {}),
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
      },
      ...(method === 'POST' ? { body: JSON.stringify({ query: ME_QUERY }) } : {}),
    });
  } catch (error) {
    return { detail: `network: ${(error as Error).message}` };
  }
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { data?: { me: { id: string } | null }; errors?: unknown };
    if (response.status === 200 && body.data && !body.errors)
      return { ok: body.data.me?.id ?? null };
  } catch {}
  return { status: response.status, detail: text.slice(0, 200) };
}

/** A sign-in by POST: the new session's cookie, or what came back instead. */
async function signInVia(
  origin: string,
  account: { name: string; password: string },
): Promise<{ cookie: string } | { status?: number; detail: string }> {
  let response: Response;
  try {
    response = await connectionPerRequest(new URL('/graphql', origin), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        query: 'mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }',
        variables: { input: { name: account.name, password: account.password } },
      }),
    });
  } catch (error) {
    return { detail: `network: ${(error as Error).message}` };
  }
  const text = await response.text();
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0] ?? '')
    .find((pair) => !pair.endsWith('='));
  if (response.status === 200 && cookie && !text.includes('"errors"')) return { cookie };
  return { status: response.status, detail: text.slice(0, 200) };
}

const signedOut = (result: MeResult) => 'ok' in result && result.ok === null;

/**
 * Asks `origin` for the client's `me` every 10 ms, without waiting for the answers, until one answers
 * signed out; returns when (ms after `since`) the last request still served had been sent, or -1.
 */
async function lastServedAfter(origin: string, client: TestClient, since: number): Promise<number> {
  const probes: Promise<{ sent: number; result: MeResult }>[] = [];
  let refused = false;
  while (!refused) {
    const sent = performance.now() - since;
    if (sent > 2_000)
      throw new Error(`${origin} still serves the session 2 s after its revocation`);
    probes.push(
      meVia(origin, cookieOf(client), 'GET').then((result) => {
        refused ||= signedOut(result);
        return { sent, result };
      }),
    );
    await sleep(10);
  }
  const answers = await Promise.all(probes);
  const broken = answers.filter(({ result }) => !('ok' in result));
  if (broken.length) throw new Error(`${origin}: ${JSON.stringify(broken)}`);
  return Math.max(
    -1,
    ...answers.filter(({ result }) => !signedOut(result)).map(({ sent }) => sent),
  );
}

const cookieOf = (client: TestClient) =>
  [...client.jar].map(([name, value]) => `${name}=${value}`).join('; ');

/**
 * fetch over a connection of its own per request. nginx's reload (how an instance is taken out of
 * rotation) closes the client connections that sit idle between requests; a browser sends a request
 * again when the connection it reused closes first, Node's fetch does not, and that would be the
 * client's loss, not the topology's.
 */
const connectionPerRequest: Fetch = (input, init) =>
  new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      new URL(String(input)),
      {
        method: init?.method ?? 'GET',
        headers: { ...(init?.headers as Record<string, string>), connection: 'close' },
        agent: false,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const headers = new Headers();
          for (const [name, values] of Object.entries(incoming.headersDistinct))
            for (const value of values ?? []) headers.append(name, value);
          const status = incoming.statusCode ?? 0;
          const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(body, { status, headers }));
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(typeof init?.body === 'string' ? init.body : undefined);
  });

/** Fills in a shipped configuration: each replaced text must be there, exactly once. */
function fillIn(text: string, replacements: [string, string][]): string {
  let filled = text;
  for (const [from, to] of replacements) {
    if (filled.split(from).length !== 2) throw new Error(`expected "${from}" once in the example`);
    filled = filled.replace(from, to);
  }
  return filled;
}

/** A process of ours, run as `postgres` under root. */
function runService(command: string, args: string[]): { child: ChildProcess; output(): string } {
  const child = asRoot
    ? spawn('runuser', ['-u', 'postgres', '--', command, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((done) => child.once('exit', () => done()));

/** The processes whose parent is `pid` (nginx's workers), from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === pid ? [Number(entry)] : [];
      } catch {
        return [];
      }
    });
}

class Topology {
  private readonly loads = new Set<Load>();

  private pgbouncer: { child: ChildProcess; output(): string } | undefined;
  private nginx: { child: ChildProcess; output(): string; pid: number } | undefined;
  private env: Record<string, string> = {};
  readonly instances: ServerProcess[] = [];

  private constructor(
    private readonly dir: string,
    private readonly database: TestDatabase,
    private readonly nginxPort: number,
  ) {}

  get nginxUrl() {
    return `http://127.0.0.1:${this.nginxPort}`;
  }

  /** A client of the site, through nginx. */
  client() {
    return new TestClient({ graphqlUrl: `${this.nginxUrl}/graphql`, fetch: connectionPerRequest });
  }

  static async start(): Promise<Topology> {
    const dir = mkdtempSync(join(tmpdir(), 'sg-topology-'));
    chmodSync(dir, 0o755);
    if (asRoot) {
      const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
      chownSync(dir, id('-u'), id('-g'));
    }
    const database = await createTestDatabase('postgres');
    const topology = new Topology(dir, database, await freePort());
    try {
      await topology.startServices();
    } catch (error) {
      await topology.stop();
      throw error;
    }
    return topology;
  }

  private async startServices() {
    const { dir, database } = this;
    const direct = new URL(database.url);
    const pgbouncerPort = await freePort();

    writeFileSync(
      join(dir, 'userlist.txt'),
      `"${decodeURIComponent(direct.username)}" "${decodeURIComponent(direct.password)}"\n`,
    );
    writeFileSync(
      join(dir, 'pgbouncer.ini'),
      fillIn(readFileSync(join(EXAMPLES, 'pgbouncer.ini'), 'utf8'), [
        [
          'host=127.0.0.1 port=5432 dbname=sessiongraph',
          `host=${direct.hostname} port=${direct.port || 5432} dbname=${direct.pathname.slice(1)}`,
        ],
        ['listen_port = 6432', `listen_port = ${pgbouncerPort}`],
        ['/etc/pgbouncer/userlist.txt', join(dir, 'userlist.txt')],
        ['/var/log/postgresql/pgbouncer.log', join(dir, 'pgbouncer.log')],
        ['/var/run/postgresql/pgbouncer.pid', join(dir, 'pgbouncer.pid')],
      ]),
    );
    for (const file of ['userlist.txt', 'pgbouncer.ini']) chmodSync(join(dir, file), 0o644);
    const pgbouncer = runService('/usr/sbin/pgbouncer', [join(dir, 'pgbouncer.ini')]);
    this.pgbouncer = pgbouncer;
    const pooled = new URL(database.url);
    pooled.port = String(pgbouncerPort);
    pooled.pathname = '/sessiongraph';
    await until(
      async () => {
        if (pgbouncer.child.exitCode !== null)
          throw new Error(`pgbouncer exited:\n${pgbouncer.output()}`);
        const probe = new pg.Client({ connectionString: pooled.toString() });
        return probe
          .connect()
          .then(() => probe.query('SELECT 1'))
          .then(
            () => true,
            () => false,
          )
          .finally(() => probe.end().catch(() => {}));
      },
      20_000,
      100,
    );

    this.env = {
      NODE_ENV: 'production',
      PUBLIC_URL: this.nginxUrl,
      COOKIE_SECURE: 'false',
      TRUST_PROXY: 'true',
      DATABASE_URL: pooled.toString(),
      DIRECT_DATABASE_URL: database.url,
      ...UNLIMITED,
      MAIL_NOTIFY_NEW_SIGN_IN: 'false',
      // Production's argon2 on a machine busy with other test files: no idle class, room to wait.
      PASSWORD_HASH_IDLE_CLASS: 'false',
      PASSWORD_HASH_MAX_WAIT: '1m',
    };
    // Started together on an empty database: the migrations' advisory lock (direct) lets one apply them.
    const started = await Promise.allSettled([1, 2, 3].map(() => spawnServer(this.env)));
    for (const result of started)
      if (result.status === 'fulfilled') this.instances.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    await this.startNginx();
  }

  /** examples/deploy/nginx.conf, inside the `http` block of a minimal nginx.conf of the test's own. */
  private writeNginxConfig(down?: number) {
    const site = fillIn(readFileSync(join(EXAMPLES, 'nginx.conf'), 'utf8'), [
      ['listen 80;', `listen 127.0.0.1:${this.nginxPort};`],
      ...this.instances.map((instance, index): [string, string] => [
        `server 127.0.0.1:${4001 + index};`,
        `server ${new URL(instance.origin).host}${index === down ? ' down' : ''};`,
      ]),
    ]);
    writeFileSync(join(this.dir, 'sessiongraph.conf'), site);
    const temp = (name: string) => `${name}_temp_path ${join(this.dir, name)};`;
    writeFileSync(
      join(this.dir, 'nginx.conf'),
      [
        'daemon off;',
        'worker_processes 1;',
        `pid ${join(this.dir, 'nginx.pid')};`,
        'error_log stderr warn;',
        'events { worker_connections 1024; }',
        'http {',
        '  access_log off;',
        `  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join(' ')}`,
        `  include ${join(this.dir, 'sessiongraph.conf')};`,
        '}',
        '',
      ].join('\n'),
    );
  }

  private async startNginx() {
    this.writeNginxConfig();
    const service = runService('/usr/sbin/nginx', [
      '-p',
      `${this.dir}/`,
      '-c',
      join(this.dir, 'nginx.conf'),
      '-e',
      'stderr',
    ]);
    // nginx's master pid, from its pid file (as root the child is runuser). nginx listens before it
    // writes the file, so a read can find it empty: signalling pid 0 would hang up the whole test run.
    let pid = 0;
    await until(
      async () => {
        if (service.child.exitCode !== null) throw new Error(`nginx exited:\n${service.output()}`);
        try {
          pid = Number(readFileSync(join(this.dir, 'nginx.pid'), 'utf8').trim());
        } catch {
          return false;
        }
        if (!Number.isInteger(pid) || pid <= 0) return false;
        const health = await connectionPerRequest(`${this.nginxUrl}/health`).catch(() => undefined);
        return health?.status === 200;
      },
      20_000,
      50,
    );
    this.nginx = { ...service, pid };
  }

  /**
   * `nginx -s reload` with instance `down` marked down (or none): resolves once every worker of the old
   * configuration has finished its requests and exited, so nothing is sent by the old list any more.
   */
  private async reloadNginx(down?: number) {
    const nginx = this.nginx;
    if (!nginx) throw new Error('nginx is not running');
    this.writeNginxConfig(down);
    const old = new Set(childrenOf(nginx.pid));
    process.kill(nginx.pid, 'SIGHUP');
    await until(
      () => {
        const workers = childrenOf(nginx.pid);
        return workers.length > 0 && workers.every((pid) => !old.has(pid));
      },
      30_000,
      20,
    );
  }

  /** The rolling restart of docs/deploy.md for one instance: out of nginx, SIGTERM, start, back in. */
  async restart(index: number) {
    const instance = this.instances[index];
    if (!instance) throw new Error(`no instance ${index}`);
    await this.reloadNginx(index);
    expect(await instance.stop('SIGTERM')).toBe(0);
    this.instances[index] = await spawnServer(this.env);
    await this.reloadNginx();
  }

  /** Each instance's answer to `me` for this client's cookie, asked of it directly. */
  async meOnEach(client: TestClient) {
    return Promise.all(
      this.instances.map(async (instance) => {
        const result = await meVia(instance.origin, cookieOf(client), 'GET');
        return 'ok' in result ? result.ok : result;
      }),
    );
  }

  /**
   * A steady load through nginx: signed-in clients asking `me` by GET and by POST in turn, each
   * checking that the answer is its own user, and one client signing in again and again.
   */
  async startLoad(): Promise<Load> {
    const readers = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const client = this.client();
        const { user } = await signUp(client);
        return { cookie: cookieOf(client), id: user.id };
      }),
    );
    const signer = this.client();
    const { user: signerUser, account } = await signUp(signer);
    const failures: Failure[] = [];
    let count = 0;
    let running = true;
    const record = (method: Failure['method'], result: MeResult, expected: string) => {
      count++;
      if ('ok' in result && result.ok === expected) return;
      failures.push({ method, ...('ok' in result ? { detail: `me: ${result.ok}` } : result) });
    };
    const reading = readers.map(async ({ cookie, id }) => {
      for (let turn = 0; running; turn++) {
        const method = turn % 2 ? 'POST' : 'GET';
        record(method, await meVia(this.nginxUrl, cookie, method), id);
      }
    });
    const signing = (async () => {
      while (running) {
        const signedIn = await signInVia(this.nginxUrl, account);
        if (!('cookie' in signedIn)) {
          count++;
          failures.push({ method: 'POST', ...signedIn });
          continue;
        }
        record('GET', await meVia(this.nginxUrl, signedIn.cookie, 'GET'), signerUser.id);
      }
    })();
    const load: Load = {
      clients: readers.length + 1,
      count: () => count,
      stop: async () => {
        running = false;
        await Promise.all([...reading, signing]);
        this.loads.delete(load);
        return { failures, total: count };
      },
    };
    this.loads.add(load);
    return load;
  }

  async stop() {
    for (const load of this.loads) await load.stop();
    await Promise.all(
      this.instances.map((instance) =>
        instance.child.exitCode === null && instance.child.signalCode === null
          ? instance.stop('SIGKILL')
          : undefined,
      ),
    );
    for (const service of [this.nginx, this.pgbouncer]) {
      if (!service) continue;
      // Under root, runuser passes SIGTERM on to the service it started.
      service.child.kill('SIGTERM');
      await exited(service.child);
    }
    await this.database.drop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

interface Load {
  /** How many clients run at once: each has at most one request in flight. */
  clients: number;
  /** Requests answered (rightly or not) so far. */
  count(): number;
  stop(): Promise<{ failures: Failure[]; total: number }>;
}
