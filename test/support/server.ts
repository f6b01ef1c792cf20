import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import { type Booted, boot } from '../../src/boot.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createArgon2Hasher, type PasswordHasher } from '../../src/core/auth/passwords/password.js';
import { createHttpServer } from '../../src/http/node-server.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const TEST_SECRET = 'test-secret-0123456789-abcdefghijklmnop';

/** argon2id for real, at parameters cheap enough for hundreds of sign-ups; one test checks production's. */
export const fastHasher = () =>
  createArgon2Hasher(
    { memoryCost: 1024, timeCost: 1, parallelism: 1 },
    { concurrency: 4, queue: 1_000, perClient: 1_000, maxWaitMs: 60_000, idleClass: false },
  );

/** The shape of the global fetch, which a TestServer answers in process. */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface TestServer {
  /** http://127.0.0.1:<port> with `listen`; otherwise http://127.0.0.1, answered only by `fetch`. */
  origin: string;
  graphqlUrl: string;
  /**
   * Sends a request straight to the app (yoga.fetch), as Node's adapter would hand it over from a
   * loopback socket: no port, no HTTP parsing. Use a real socket (`listen`) for raw targets or Host.
   */
  fetch: Fetch;
  config: Config;
  booted: Booted;
  /** SQL statements sent since the last reset (see resetQueryLog). */
  queries: string[];
  resetQueryLog(): void;
  /** Writes the batched lastSeenAt/expiry touches now, instead of at the next flush. */
  flushTouches(): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Environment variables on top of the test defaults (as a user would set them). */
  env?: Record<string, string>;
  /** Use real OWASP-strength argon2 instead of the fast test parameters. */
  realHasher?: boolean;
  /** A hasher of the test's own (e.g. one that holds verify calls at a gate); wins over realHasher. */
  hasher?: PasswordHasher;
  /** Reuse a database (e.g. a second instance, or a restart); by default each server gets a fresh one. */
  database?: TestDatabase;
  /** Where the server's JSON log lines go (LOG_LEVEL still applies; set it in env). */
  logStream?: DestinationStream;
  /** The server's clock (a TestClock's `now`), so expiry is tested by moving time, not waiting. */
  now?: () => Date;
  /** Timers on that clock (a TestClock's `schedule`), so a timer at an expiry fires when time is moved. */
  schedule?: (at: Date, run: () => void) => () => void;
  /** The first reconnect delay of the LISTEN connection (PostgreSQL). */
  listenerRetryMs?: number;
  /** Also listen on a real loopback port (raw request targets, Host headers, browsers, peers). */
  listen?: boolean;
  /** With `listen`: this port rather than one the OS picks (when PUBLIC_URL must name it up front). */
  port?: number;
}

/**
 * The app as server.ts boots it, over a real database, answering `fetch` in process and, with
 * `listen`, on a real port too.
 */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase());
  const dataDir = mkdtempSync(join(tmpdir(), 'sessiongraph-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    SESSION_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    // The app runs in the test runner's process: its libuv pool, in the idle class, would starve the
    // runner's own file work on a machine busy with other test files. Spawned servers keep the default.
    PASSWORD_HASH_IDLE_CLASS: 'false',
    ...options.env,
  });
  const queries: string[] = [];
  const booted = await boot(config, createLogger(config, options.logStream), {
    ...(options.hasher
      ? { hasher: options.hasher }
      : options.realHasher
        ? {}
        : { hasher: fastHasher() }),
    onQuery: (sql) => queries.push(sql),
    ...(options.now ? { now: options.now } : {}),
    ...(options.schedule ? { schedule: options.schedule } : {}),
    ...(options.listenerRetryMs ? { listenerRetryMs: options.listenerRetryMs } : {}),
  });
  const server: Server | undefined = options.listen ? createHttpServer(booted.app.yoga) : undefined;
  if (server)
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = server ? `:${(server.address() as AddressInfo).port}` : '';
  const origin = `http://127.0.0.1${port}`;
  const inProcess: Fetch = async (input, init) => {
    const draft = new Request(input, init);
    const { host, pathname, search } = new URL(draft.url);
    // The Host and Content-Length a client's HTTP stack would send, and Node's adapter pass on.
    const body = draft.body ? new Uint8Array(await draft.arrayBuffer()) : undefined;
    const headers = new Headers(draft.headers);
    if (!headers.has('host')) headers.set('host', host);
    if (body && !headers.has('content-length')) headers.set('content-length', `${body.byteLength}`);
    const request = new Request(draft.url, { method: draft.method, headers, body: body ?? null });
    return booted.app.yoga.fetch(request, {
      req: { url: `${pathname}${search}`, socket: { remoteAddress: '127.0.0.1' } },
    });
  };
  return {
    origin,
    graphqlUrl: `${origin}/graphql`,
    fetch: inProcess,
    config,
    booted,
    queries,
    resetQueryLog: () => {
      queries.length = 0;
    },
    // Closing the batch writes what is pending; the next touch starts a new one.
    flushTouches: () => booted.app.services.sessions.flushTouches(),
    async close() {
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await booted.close();
      if (!options.database) await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
