import type { Config } from './config.js';
import { startCodeSweeper } from './core/auth/code-sweeping.js';
import {
  type EventSweeper,
  startEventSweeper,
} from './core/auth/events/security-event-sweeping.js';
import { backfillNameSkeletons } from './core/auth/name-skeletons.js';
import type { PasswordHasher } from './core/auth/passwords/password.js';
import { createMailTransport } from './core/mail/transport.js';
import { notifiedWake } from './core/mail/wake.js';
import { MailWorker } from './core/mail/worker.js';
import { SessionCache } from './core/sessions/cache.js';
import type { Schedule } from './core/sessions/streams.js';
import { startSweeper } from './core/sessions/sweeping.js';
import { CommittedChanges, pgBus } from './core/sessions/sync.js';
import type { Sweeper } from './db/batch-sweeper.js';
import { type Database, type DatabaseOptions, openDatabase } from './db/client.js';
import { startListener } from './db/listener.js';
import { applyMigrations, pendingMigrations } from './db/migrations.js';
import { waitForDatabase } from './db/wait.js';
import { type App, createApp } from './http/app.js';
import type { Logger } from './logger.js';

export interface Booted {
  app: App;
  db: Database;
  /** Sends the mail outbox (tests call drain()/runOnce()). */
  mail: MailWorker;
  /** Deletes security events past SECURITY_EVENT_RETENTION on the sweeping schedule (tests call sweep()). */
  eventSweeper: EventSweeper;
  /** Deletes expired codes, undo links and challenges on its schedule (tests call sweep()). */
  codeSweeper: Sweeper;
  /** Stops background work and closes the database. */
  close(): Promise<void>;
}

/** Database up, migrations applied, app built: what server.ts and the tests share. */
export interface BootOptions extends DatabaseOptions {
  hasher?: PasswordHasher;
  /** The clock of every session, code and notice rule; tests move it instead of sleeping. */
  now?: () => Date;
  /** Timers on that clock (a stream ends at its session's expiry); tests pass their clock's. */
  schedule?: Schedule;
  /** The first reconnect delay of the LISTEN connection (tests hold it down longer). */
  listenerRetryMs?: number;
}

export async function boot(
  config: Config,
  logger: Logger,
  options: BootOptions = {},
): Promise<Booted> {
  const db = await openDatabase(config.database, {
    ...options,
    fromTemplate: config.migrateOnStart,
  });
  try {
    await waitForDatabase(db, config.dbWaitMs, (attempt) => {
      if (attempt === 1) logger.warn(`waiting up to ${config.dbWaitMs / 1000}s for ${db.location}`);
    });
    if (config.migrateOnStart && (await migrationsPending(db))) {
      const applied = await applyMigrations(db.adapterFactory);
      if (applied.length)
        logger.info({ applied }, `applied ${applied.length} migration(s) to ${db.location}`);
    }
    // Users from before name skeletons get theirs; only on a schema that has the column.
    if (config.migrateOnStart || !(await migrationsPending(db)))
      await backfillNameSkeletons(db.prisma, logger);
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  const cache = new SessionCache({ max: config.sessions.cacheSize });
  // On PostgreSQL other instances may share the database: session changes and committed mail are
  // announced by NOTIFY and heard on one LISTEN connection, a direct one (a pooler would hand the server
  // connection that listens to other clients). Embedded, this process is the only one.
  const listener =
    config.database.kind === 'postgres'
      ? startListener({
          url: config.database.directUrl ?? config.database.url,
          logger,
          ...(options.listenerRetryMs ? { retryMs: options.listenerRetryMs } : {}),
        })
      : undefined;
  const committed = new CommittedChanges();
  const bus = listener ? pgBus(listener, cache, committed) : undefined;
  const app = createApp({
    config,
    db,
    logger,
    sessionSync: { cache, committed, ...(bus ? { bus } : {}) },
    ...(listener ? { mailWake: notifiedWake(listener), listener } : {}),
    ...(options.hasher ? { hasher: options.hasher } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.schedule ? { schedule: options.schedule } : {}),
  });
  const sweeper = startSweeper(db.prisma, logger);
  const eventSweeper = startEventSweeper(db.prisma, logger, {
    retentionMs: config.account.securityEventRetentionMs,
    ...(options.now ? { now: options.now } : {}),
  });
  const codeSweeper = startCodeSweeper(db.prisma, logger, options.now ? { now: options.now } : {});
  const mail = new MailWorker(
    db.prisma,
    app.services.outbox,
    createMailTransport(config, logger),
    logger,
    config.mail,
  );
  mail.start();
  return {
    app,
    db,
    mail,
    eventSweeper,
    codeSweeper,
    close: async () => {
      await mail.stop();
      await sweeper.stop();
      await eventSweeper.stop();
      await codeSweeper.stop();
      await app.services.failedSignIns.close().catch(() => {});
      await app.services.sessions.close().catch(() => {});
      app.close();
      await bus?.close();
      await listener?.close();
      await db.close();
    },
  };
}

/** Only a database behind the folder wakes the schema engine: its WebAssembly costs a second and ~100 MB. */
async function migrationsPending(db: Database): Promise<boolean> {
  try {
    const rows = await db.prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    return (await pendingMigrations(rows.map((row) => row.migration_name))).length > 0;
  } catch {
    return true;
  }
}
