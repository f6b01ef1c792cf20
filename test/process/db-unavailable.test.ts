import { createServer, type Server, type Socket } from 'node:net';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import {
  authenticationFailure,
  databaseUnavailableReason,
  outageReporter,
} from '../../src/db/unavailable.js';
import { AppError } from '../../src/errors.js';
import { PrismaClient } from '../../src/generated/prisma/client.js';
import { createTestDatabase, databaseKinds, postgresAvailable } from '../support/database.js';
import { until } from '../support/wait.js';

/**
 * What "the database is unreachable" looks like, from errors that PrismaPg, pg and pg-pool really throw
 * (against ports that refuse, hang or hang up), and what it must not be mistaken for.
 */

const failureOf = async (work: () => PromiseLike<unknown>): Promise<unknown> => {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
};

const listen = async (
  onConnection: (socket: Socket) => void,
): Promise<{ port: number; server: Server }> => {
  const server = createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
};

function prismaOver(url: string, options: pg.PoolConfig = {}) {
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 300, ...options });
  pool.on('error', () => {});
  return { pool, prisma: new PrismaClient({ adapter: new PrismaPg(pool) }) };
}

async function connectWithin(pool: pg.Pool, tries: number): Promise<pg.PoolClient> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await pool.connect();
    } catch (error) {
      if (attempt >= tries) throw error;
    }
  }
}

describe('recognising an unreachable database', () => {
  const servers: Server[] = [];
  let refusedUrl: string;
  beforeAll(async () => {
    const { port, server } = await listen(() => {});
    await new Promise<void>((resolve) => server.close(() => resolve()));
    refusedUrl = `postgres://user:s3cret-pass@127.0.0.1:${port}/db`;
  });
  afterAll(() => {
    for (const server of servers) server.close();
  });

  it('connection refused: model queries, raw queries, transactions and the bare pool', async () => {
    const db = await openDatabase({ kind: 'postgres', url: refusedUrl });
    const { pool } = db;
    if (!pool) throw new Error('a PostgreSQL database comes with its pool');
    try {
      const reasons = [
        databaseUnavailableReason(await failureOf(() => db.prisma.user.findFirst())),
        databaseUnavailableReason(await failureOf(() => db.prisma.$queryRaw`SELECT 1`)),
        databaseUnavailableReason(
          await failureOf(() => db.prisma.$transaction((tx) => tx.user.count())),
        ),
        databaseUnavailableReason(await failureOf(() => pool.query('SELECT 1'))),
      ];
      expect(reasons).toEqual([
        'prisma P1001',
        'adapter DatabaseNotReachable',
        'prisma P1001',
        'socket ECONNREFUSED',
      ]);
      for (const reason of reasons) expect(reason).not.toMatch(/s3cret|user|127\.0\.0\.1/);
    } finally {
      await db.close();
    }
  });

  it('a server that accepts and never answers (connection timeout), or hangs up at once', async () => {
    const hanging = await listen(() => {});
    const hangingUp = await listen((socket) => socket.destroy());
    servers.push(hanging.server, hangingUp.server);
    const silent = prismaOver(`postgres://u@127.0.0.1:${hanging.port}/db`);
    const rude = prismaOver(`postgres://u@127.0.0.1:${hangingUp.port}/db`);
    try {
      expect(databaseUnavailableReason(await failureOf(() => silent.prisma.user.findFirst()))).toBe(
        'pg: Connection terminated due to connection timeout',
      );
      expect(
        databaseUnavailableReason(await failureOf(() => rude.prisma.$queryRaw`SELECT 1`)),
      ).toBe('pg: Connection terminated unexpectedly');
    } finally {
      await Promise.all([silent.pool.end(), rude.pool.end()]);
    }
  });

  it.runIf(postgresAvailable)(
    'no pooled connection free in time (pool checkout timeout)',
    async () => {
      const { pool, prisma } = prismaOver(process.env.TEST_DATABASE_URL ?? '', { max: 1 });
      // The one connection is opened with the same short timeout; on a busy machine that may take a
      // few tries, and only the checkout that follows is under test.
      const held = await connectWithin(pool, 20);
      try {
        expect(databaseUnavailableReason(await failureOf(() => prisma.user.findFirst()))).toBe(
          'pg: timeout exceeded when trying to connect',
        );
      } finally {
        held.release();
        await pool.end();
      }
    },
  );

  it.runIf(postgresAvailable)(
    'the connection terminated by the server (pg_terminate_backend)',
    async () => {
      const { pool, prisma } = prismaOver(process.env.TEST_DATABASE_URL ?? '', {
        connectionTimeoutMillis: 5_000,
      });
      // Sleeps far longer than the wait below, so it is certainly still running when it is terminated.
      const victim = failureOf(
        () => prisma.$queryRaw`SELECT pg_sleep(60)::text AS unavailable_victim`,
      );
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      try {
        await until(async () => {
          const { rowCount } = await admin.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE query LIKE '%unavailable_victim%' AND pid <> pg_backend_pid()`,
          );
          return (rowCount ?? 0) > 0;
        }, 20_000);
        expect(databaseUnavailableReason(await victim)).toBe('postgres 57P01');
      } finally {
        await admin.end();
        await pool.end();
      }
    },
  );

  it.runIf(postgresAvailable)(
    'a wrong password is an authentication failure (waiting cannot mend it), not an outage',
    async () => {
      const url = new URL(process.env.TEST_DATABASE_URL ?? '');
      url.password = 'not-the-password';
      const { pool, prisma } = prismaOver(url.toString(), { connectionTimeoutMillis: 5_000 });
      const refused = await openDatabase({ kind: 'postgres', url: refusedUrl });
      try {
        const failures = [
          await failureOf(() => prisma.user.findFirst()),
          await failureOf(() => prisma.$queryRaw`SELECT 1`),
          await failureOf(() => pool.query('SELECT 1')),
        ];
        expect(failures.map(authenticationFailure)).toEqual([
          'authentication failed (prisma P1000)',
          'password authentication failed (28P01)',
          'authentication failed (28P01)',
        ]);
        expect(failures.map(databaseUnavailableReason)).toEqual([undefined, undefined, undefined]);
        expect(
          authenticationFailure(await failureOf(() => refused.prisma.$queryRaw`SELECT 1`)),
        ).toBeUndefined();
      } finally {
        await pool.end();
        await refused.close();
      }
    },
  );

  it.each(databaseKinds)(
    'on %s, query faults, our own errors and a pool we closed are not outages',
    async (kind) => {
      const database = await createTestDatabase(kind);
      const db = await openDatabase(
        database.url === 'memory:' ? { kind: 'memory' } : { kind: 'postgres', url: database.url },
      );
      try {
        const notOutages = [
          await failureOf(() => db.prisma.$queryRawUnsafe('SELEC 1')),
          await failureOf(() => db.prisma.$queryRawUnsafe('SELECT * FROM no_such_table')),
          await failureOf(() => db.prisma.$queryRawUnsafe('SELECT 1/0')),
          new AppError('RATE_LIMITED'),
          new Error('Connection terminated'),
          new Error('something else', { cause: new Error('ECONNREFUSED') }),
        ];
        if (db.pool) {
          const closed = new pg.Pool({ connectionString: database.url });
          await closed.end();
          notOutages.push(await failureOf(() => closed.query('SELECT 1')));
          notOutages.push(
            await failureOf(() =>
              db.prisma.$transaction(async (tx) => {
                await tx.$executeRawUnsafe("SET LOCAL statement_timeout = '10ms'");
                await tx.$queryRawUnsafe('SELECT pg_sleep(1)::text');
              }),
            ),
          );
        }
        expect(notOutages.map(databaseUnavailableReason)).toEqual(notOutages.map(() => undefined));
      } finally {
        await db.close();
        await database.drop();
      }
    },
  );
});

describe('outageReporter', () => {
  it('warns once, then stays quiet for the window and counts what it did not log', () => {
    const lines: { level: number; msg: string; reason: string; failedSinceLastWarning?: number }[] =
      [];
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => void lines.push(JSON.parse(line)) },
    );
    const quiet = outageReporter(logger, 60_000);
    for (let i = 0; i < 50; i++) quiet('socket ECONNREFUSED');
    expect(lines).toEqual([expect.objectContaining({ level: 40, reason: 'socket ECONNREFUSED' })]);
    expect(lines[0]).not.toHaveProperty('err');

    lines.length = 0;
    const eager = outageReporter(logger, 0);
    eager('prisma P1001');
    eager('prisma P1001');
    expect(lines.map((line) => line.failedSinceLastWarning)).toEqual([undefined, undefined]);
  });
});
