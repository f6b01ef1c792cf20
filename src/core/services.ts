import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { Listener } from '../db/listener.js';
import { failureDetails } from '../db/unavailable.js';
import type { Logger } from '../logger.js';
import { Accounts } from './auth/accounts.js';
import { Admin } from './auth/admin.js';
import { AccountDeletion } from './auth/deletion.js';
import { EmailChange } from './auth/email/email-change.js';
import { EmailCodes } from './auth/email/email-codes.js';
import { EmailVerification } from './auth/email/email-verification.js';
import { EventFeed } from './auth/events/event-feed.js';
import { FailedSignIns, SecurityEvents } from './auth/events/security-events.js';
import { Passkeys } from './auth/factors/passkeys.js';
import { RecoveryCodes } from './auth/factors/recovery-codes.js';
import { SecondFactors } from './auth/factors/second-factor.js';
import { SecretBox } from './auth/factors/secret-box.js';
import { Totp } from './auth/factors/totp.js';
import { SecurityNotices } from './auth/notices.js';
import { OwnSessions } from './auth/own-sessions.js';
import {
  createArgon2Hasher,
  OWASP_ARGON2,
  type PasswordHasher,
} from './auth/passwords/password.js';
import { Recovery } from './auth/recovery.js';
import { createLimits, type Limits } from './limits/limits.js';
import { MailOutbox } from './mail/outbox.js';
import type { MailWake } from './mail/wake.js';
import { SessionStore, type SessionSyncOptions } from './sessions/store.js';
import { OpenStreams, realSchedule, type Schedule } from './sessions/streams.js';

/** What request-scoped code may use; the database client is deliberately not in this type. */
export interface Services {
  config: Config;
  accounts: Accounts;
  sessions: SessionStore;
  /** Abuse limits (API.md): counters shared by every instance on PostgreSQL. */
  limits: Limits;
  recovery: Recovery;
  /** Proving the account's address: sign-up's code, resend, verify. */
  emailVerification: EmailVerification;
  /** Changing the account's address, and undoing a change from the old inbox. */
  emailChange: EmailChange;
  /** TOTP, recovery codes and passkeys: the second step of sign-in, and enrolment. */
  factors: SecondFactors;
  /** The account's security log; every change records its event in its own transaction. */
  events: SecurityEvents;
  /** Security events as they commit, fanned out to the viewer's open streams on every instance. */
  feed: EventFeed;
  /** Open streams, each ended when its session ends (http/stream-lifetime.ts registers them). */
  streams: OpenStreams;
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
  /** The LISTEN connection on PostgreSQL, where security events reach every instance's streams. */
  listener?: Listener;
  now?: () => Date;
  /** Timers at a time of `now`'s clock (a session's expiry); tests pass one their clock drives. */
  schedule?: Schedule;
}

/** The core, wired once per process: sessions, accounts, recovery, limits and the outbox. */
export function createServices({
  config,
  db,
  logger,
  hasher,
  sessionSync,
  mailWake,
  listener,
  now = () => new Date(),
  schedule = realSchedule(now),
}: ServicesDeps): { services: Services; close(): void } {
  const feed = new EventFeed(db.prisma, now, listener);
  const events = new SecurityEvents(now, (tx, recorded) => feed.publish(tx, recorded));
  const sessions = new SessionStore(
    db.prisma,
    db.run,
    { ...config.sessions, maxPerUser: config.account.maxSessionsPerUser },
    now,
    {
      onTouchError: (error) =>
        logger.warn(failureDetails(error), 'session touches not written; retrying'),
      onDisplaced: async (tx, { userId, sessionId, client }) => {
        await events.record(tx, { userId, kind: 'SESSION_REVOKED', client, sessionId });
      },
      ...sessionSync,
    },
  );
  const streams = new OpenStreams(
    db.prisma,
    config.streams,
    now,
    schedule,
    sessions.committed,
    (error) => logger.warn(failureDetails(error), 'open streams could not check their sessions'),
  );
  const passwordHasher =
    hasher ??
    createArgon2Hasher(OWASP_ARGON2, {
      concurrency: config.limits.passwordHashConcurrency,
      queue: config.limits.passwordHashQueue,
      perClient: config.limits.passwordHashPerClient,
      maxWaitMs: config.limits.passwordHashMaxWaitMs,
      idleClass: config.limits.passwordHashIdleClass,
    });
  const limits = createLimits(
    config.limits,
    db.pool ? { kind: 'postgres', pool: db.pool } : { kind: 'memory' },
  );
  const outbox = new MailOutbox(config.sessionSecrets, mailWake);
  const notices = new SecurityNotices(outbox, config.mail, limits, now);
  const factors = new SecondFactors({
    prisma: db.prisma,
    sessions,
    limits,
    notices,
    events,
    totp: new Totp(new SecretBox(config.sessionSecrets, 'totp secret'), now),
    recoveryCodes: new RecoveryCodes(config.sessionSecrets),
    passkeys: new Passkeys({
      prisma: db.prisma,
      limits,
      rpId: config.webauthn.rpId,
      origin: config.webauthn.origin,
      maxLiveChallenges: config.limits.passkeyMaxLiveChallenges,
      now,
    }),
    now,
  });
  const codes = new EmailCodes({ prisma: db.prisma, limits, secrets: config.sessionSecrets, now });
  const emailVerification = new EmailVerification({
    prisma: db.prisma,
    sessions,
    outbox,
    limits,
    events,
    codes,
    publicUrl: config.publicUrl,
    now,
  });
  const emailChange = new EmailChange({
    prisma: db.prisma,
    sessions,
    outbox,
    limits,
    events,
    codes,
    // A revert removes the second factors enrolled since the change (they may be the hijacker's).
    secondFactors: factors,
    secrets: config.sessionSecrets,
    publicUrl: config.publicUrl,
    now,
  });
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
      run: db.run,
      hasher: passwordHasher,
      sessions,
      limits,
      notices,
      events,
      emailVerification,
      factors,
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
      emailVerification,
      now,
      factors,
    }),
    emailVerification,
    emailChange,
    factors,
    events,
    feed,
    streams,
    failedSignIns,
    ownSessions: new OwnSessions({ prisma: db.prisma, sessions, events }),
    admin: new Admin({ prisma: db.prisma, sessions, events, now }),
    deletion: new AccountDeletion({ prisma: db.prisma, sessions, outbox, limits, now }),
    outbox,
    now,
  };
  return {
    services,
    close: () => {
      streams.close();
    },
  };
}
