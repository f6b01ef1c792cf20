import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { failureDetails } from '../db/unavailable.js';
import type { Logger } from '../logger.js';
import { Accounts } from './auth/accounts.js';
import { Admin } from './auth/admin.js';
import { AccountDeletion } from './auth/deletion.js';
import { SecurityNotices } from './auth/notices.js';
import { OwnSessions } from './auth/own-sessions.js';
import { createArgon2Hasher, OWASP_ARGON2, type PasswordHasher } from './auth/password.js';
import { Recovery } from './auth/recovery.js';
import { FailedSignIns, SecurityEvents } from './auth/security-events.js';
import { createLimits, type Limits } from './limits/limits.js';
import { MailOutbox } from './mail/outbox.js';
import type { MailWake } from './mail/wake.js';
import { SessionStore, type SessionSyncOptions } from './sessions/store.js';

/** What request-scoped code may use; the database client is deliberately not in this type. */
export interface Services {
  config: Config;
  accounts: Accounts;
  sessions: SessionStore;
  /** Abuse limits (API.md): counters shared by every instance on PostgreSQL. */
  limits: Limits;
  recovery: Recovery;
  /** The account's security log; every change records its event in its own transaction. */
  events: SecurityEvents;
  /** SIGN_IN_FAILED events, batched off the request's path; flushed on close (tests flush it). */
  failedSignIns: FailedSignIns;
  /** logout and the viewer's own revocations, each logged. */
  ownSessions: OwnSessions;
  /** What admins do to other accounts. */
  admin: Admin;
  deletion: AccountDeletion;
  /** Mail written in a request's transaction; the worker (boot.ts) sends it. */
  outbox: MailOutbox;
  /** The clock every rule reads (expiry, codes, notices); tests move it instead of sleeping. */
  now: () => Date;
}

export interface ServicesDeps {
  config: Config;
  db: Database;
  logger: Logger;
  /** Tests may inject a cheaper hasher; production uses argon2id at OWASP's parameters. */
  hasher?: PasswordHasher;
  /** The session cache and how its invalidations travel (LISTEN/NOTIFY on PostgreSQL; boot.ts builds it). */
  sessionSync?: SessionSyncOptions;
  /** How committed mail wakes a worker (NOTIFY on PostgreSQL; boot.ts builds it); in-process by default. */
  mailWake?: MailWake;
  now?: () => Date;
}

/** The core, wired once per process: sessions, accounts, recovery, limits and the outbox. */
export function createServices({
  config,
  db,
  logger,
  hasher,
  sessionSync,
  mailWake,
  now = () => new Date(),
}: ServicesDeps): { services: Services; close(): void } {
  const sessions = new SessionStore(db.prisma, db.run, config.sessions, now, {
    onTouchError: (error) =>
      logger.warn(failureDetails(error), 'session touches not written; retrying'),
    ...sessionSync,
  });
  const passwordHasher =
    hasher ??
    createArgon2Hasher(OWASP_ARGON2, {
      concurrency: config.limits.passwordHashConcurrency,
      queue: config.limits.passwordHashQueue,
      perClient: config.limits.passwordHashPerClient,
      maxWaitMs: config.limits.passwordHashMaxWaitMs,
      nice: config.limits.passwordHashNice,
      idleClass: config.limits.passwordHashIdleClass,
    });
  const limits = createLimits(
    config.limits,
    db.pool ? { kind: 'postgres', pool: db.pool } : { kind: 'memory' },
  );
  const outbox = new MailOutbox(config.sessionSecrets, mailWake);
  const notices = new SecurityNotices(outbox, config.mail, limits, now);
  const events = new SecurityEvents(now);
  const failedSignIns = new FailedSignIns(db.prisma, events, now, {
    onError: (error) =>
      logger.warn(failureDetails(error), 'failed sign-ins not logged yet; retrying'),
  });
  const services: Services = {
    config,
    sessions,
    limits,
    accounts: new Accounts({
      prisma: db.prisma,
      hasher: passwordHasher,
      sessions,
      limits,
      notices,
      events,
      failedSignIns,
      now,
    }),
    recovery: new Recovery({
      prisma: db.prisma,
      hasher: passwordHasher,
      sessions,
      outbox,
      notices,
      events,
      limits,
      secrets: config.sessionSecrets,
      otpTtlMs: config.otpTtlMs,
      publicUrl: config.publicUrl,
      now,
    }),
    events,
    failedSignIns,
    ownSessions: new OwnSessions({ prisma: db.prisma, sessions, events }),
    admin: new Admin({ prisma: db.prisma, sessions, events, now }),
    deletion: new AccountDeletion({ prisma: db.prisma, sessions, outbox, limits, now }),
    outbox,
    now,
  };
  return { services, close: () => passwordHasher.close() };
}
