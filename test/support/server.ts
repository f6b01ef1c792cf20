import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import { createArgon2Hasher, type PasswordHasher } from '../../src/auth/password.js';
import { type Booted, boot } from '../../src/boot.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const TEST_SECRET = 'test-secret-0123456789-abcdefghijklmnop';

/** argon2id for real, at parameters cheap enough for hundreds of sign-ups; one test checks production's. */
export const fastHasher = () =>
  createArgon2Hasher(
    { memoryCost: 1024, timeCost: 1, parallelism: 1 },
    { concurrency: 4, queue: 1_000, maxWaitMs: 60_000, nice: 0 },
  );

export interface TestServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  graphqlUrl: string;
  config: Config;
  booted: Booted;
  /** SQL statements sent since the last reset (see resetQueryLog). */
  queries: string[];
  resetQueryLog(): void;
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
}

/** A real server on a real port over a real database, as the process in server.ts builds it. */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase());
  const dataDir = mkdtempSync(join(tmpdir(), 'sessiongraph-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    SESSION_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
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
  });
  const server: Server = createServer(booted.app.yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    graphqlUrl: `${origin}/graphql`,
    config,
    booted,
    queries,
    resetQueryLog: () => {
      queries.length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await booted.close();
      if (!options.database) await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
