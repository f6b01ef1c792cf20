import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { lockDataDir } from './data-dir-lock.js';
import { openPglite, pgliteAdapter } from './pglite-template.js';
import { UnnamedStatementsClient } from './pooler.js';
import { lightQueryCompiler } from './query-compiler.js';
import { pgliteStatements, postgresStatements, type RunStatement } from './statements.js';

export interface Database {
  prisma: PrismaClient;
  /** The same connection source, for the schema engine (migrations). */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** Where the data lives, safe to log: a host and database name, never a password. */
  location: string;
  /** PostgreSQL only: the pool under Prisma, for stores that speak SQL themselves (rate-limit counters). */
  pool?: pg.Pool;
  /** Named statements below the ORM, for hot paths (see statements.ts). */
  run: RunStatement;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Called with each SQL statement Prisma sends (tests count them to prove batching). */
  onQuery?: (sql: string) => void;
  /** A new embedded database starts as a copy of the migrated template (see pglite-template.ts). */
  fromTemplate?: boolean;
}

/** Builds the one PrismaClient of the process over PGlite (embedded) or PostgreSQL. */
export async function openDatabase(
  config: DatabaseConfig,
  options: DatabaseOptions = {},
): Promise<Database> {
  const client = (adapter: SqlMigrationAwareDriverAdapterFactory) => {
    // The generated options type leaves out `__internal`, which the runtime's own type declares.
    const withCompiler = <T extends object>(settings: T) =>
      ({ ...settings, __internal: lightQueryCompiler }) as T;
    if (!options.onQuery) return new PrismaClient(withCompiler({ adapter }));
    const onQuery = options.onQuery;
    const prisma = new PrismaClient(
      withCompiler({ adapter, log: [{ emit: 'event' as const, level: 'query' as const }] }),
    );
    prisma.$on('query', (event) => onQuery(event.query));
    return prisma;
  };
  if (config.kind === 'postgres') {
    // DIRECT_DATABASE_URL set apart from DATABASE_URL is how a deployment says that DATABASE_URL goes
    // through a transaction-mode pooler (docs/deploy.md): there statements must not be named.
    const pooled = config.directUrl !== undefined;
    const pool = new pg.Pool({
      connectionString: config.url,
      max: 10,
      connectionTimeoutMillis: 5_000,
      ...(pooled ? { Client: UnnamedStatementsClient } : {}),
    });
    // An idle connection dropped by the server (restart, failover) must not crash the process;
    // the pool replaces it on the next checkout.
    pool.on('error', () => {});
    // A checked-out connection killed between two statements (pg_terminate_backend, failover) emits
    // 'error' with no query to receive it; unheard, that would crash the process. The statement that
    // next uses it fails instead, and the pool discards it on release.
    pool.on('connect', (connection) => connection.on('error', () => {}));
    const prisma = client(new PrismaPg(pool));
    // The schema engine takes a session-level advisory lock and releases it with a later statement; on
    // the shared pool those can land on different connections, leaving the lock held for good and every
    // other instance unable to start. One connection of its own, closed when idle, keeps them together,
    // and it goes around any pooler, which would hand each statement another server connection.
    const migrationPool = new pg.Pool({
      connectionString: config.directUrl ?? config.url,
      max: 1,
      idleTimeoutMillis: 1_000,
    });
    migrationPool.on('error', () => {});
    return {
      prisma,
      adapterFactory: new PrismaPg(migrationPool),
      location: describePostgresUrl(config.url),
      pool,
      run: postgresStatements(pool, options.onQuery),
      close: async () => {
        await prisma.$disconnect();
        await pool.end();
        await migrationPool.end();
      },
    };
  }
  const dataDir = config.kind === 'pglite' ? config.dataDir : undefined;
  // Before PGlite touches a file: a second process on the same directory stops here with one line.
  const unlock = dataDir ? await lockDataDir(dataDir) : async () => {};
  let pglite: PGlite;
  try {
    pglite = await openPglite(dataDir, { fromTemplate: options.fromTemplate ?? false });
  } catch (error) {
    await unlock();
    throw error;
  }
  const adapterFactory = pgliteAdapter(pglite);
  const prisma = client(adapterFactory);
  return {
    prisma,
    adapterFactory,
    location: dataDir ? `embedded PGlite at ${dataDir}` : 'in-memory PGlite',
    run: pgliteStatements(pglite, options.onQuery),
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      await unlock();
    },
  };
}

export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `PostgreSQL at ${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'PostgreSQL (unparseable DATABASE_URL)';
  }
}
