import { AppError } from '../../errors.js';
import { Prisma, type Session, type User } from '../../generated/prisma/client.js';
import type { AuthMethod } from '../../generated/prisma/enums.js';
import type { ClientInfo, IssuedSession, SessionStore } from '../sessions/store.js';
import { assertEnabled } from './account-state.js';
import type { SecurityEvents } from './events/security-events.js';
import { deviceFingerprint, rememberDeviceSql, type SecurityNotices } from './notices.js';

/** A session opened by openSession; wake the mail worker after commit when `mailQueued`. */
export interface OpenedSession extends IssuedSession {
  user: User;
  mailQueued: boolean;
}

/**
 * The session of a completed sign-in (password, second step or passkey), inside the caller's
 * transaction: the credential lock first (no lock-order deadlock), the replaced session ended, the
 * device remembered, the session with the methods proven, its SIGN_IN event, and the new-device notice.
 */
export async function openSession(
  tx: Prisma.TransactionClient,
  deps: { sessions: SessionStore; notices: SecurityNotices; events: SecurityEvents },
  now: Date,
  args: {
    user: User;
    keepSignedIn: boolean;
    methods: AuthMethod[];
    client: ClientInfo;
    /** Signing in while signed in replaces the old session rather than leaving it alive. */
    replacing?: Session | undefined;
    /** Checked under the credential lock: whether the credential proven is still the user's. */
    stillHolds?: (tx: Prisma.TransactionClient) => Promise<boolean>;
  },
): Promise<OpenedSession> {
  const { user, client } = args;
  const { sessions, events, notices } = deps;
  if (args.stillHolds || args.replacing) {
    // These read or end rows that the lock protects: take it before them, not in the statement below.
    await lockCredential(tx, user, now);
    if (args.stillHolds && !(await args.stillHolds(tx))) throw new AppError('INVALID_CREDENTIALS');
    if (args.replacing) await sessions.end(args.replacing.id, tx);
  }
  await sessions.makeRoom(user.id, client, tx);
  const issued = sessions.issue(user.id, args.keepSignedIn, client, args.methods);
  const event = events.draft({
    userId: user.id,
    kind: 'SIGN_IN',
    client,
    sessionId: issued.session.id,
  });
  const written = await writeSignIn(
    tx,
    user,
    now,
    deviceFingerprint(client),
    issued.session,
    event,
  );
  await events.announce(tx, [event]);
  const mailQueued = written.deviceIsNew && (await notices.newDevice(tx, user, client));
  return { user, ...issued, mailQueued };
}

/**
 * Every sign-in writes the same four things, and most sign-ins nothing else, so they go in one
 * statement rather than four round trips through the ORM (bench: signin-rate, storm). It locks the
 * user row and re-reads the credential version and the disabled state under that lock, held to commit:
 * a password change, reset or disabling that committed since the password was checked makes it write
 * nothing, and one that comes later waits for this transaction and then ends the session it created.
 * The known-device upsert is notices.ts's own (rememberDeviceSql).
 */
async function writeSignIn(
  tx: Prisma.TransactionClient,
  user: Pick<User, 'id' | 'credentialVersion'>,
  now: Date,
  fingerprint: string,
  s: Session,
  e: { id: string; at: Date; ip: string | null; userAgent: string | null },
): Promise<{ deviceIsNew: boolean }> {
  const [row] = await tx.$queryRaw<
    {
      disabled_at: Date | null;
      disabled_until: Date | null;
      opened: boolean;
      device_is_new: boolean | null;
    }[]
  >`
    WITH account AS (
      SELECT credential_version, disabled_at, disabled_until
        FROM users WHERE id = ${user.id}::uuid FOR NO KEY UPDATE
    ), admitted AS (
      SELECT FROM account
       WHERE credential_version = ${user.credentialVersion}
         AND (disabled_at IS NULL OR disabled_until <= ${now})
    ), device AS (${rememberDeviceSql(user.id, fingerprint, now, Prisma.sql`FROM admitted`)}
    ), session AS (
      INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at,
                            absolute_expires_at, keep_signed_in, user_agent, ip, authenticated_at, methods)
      SELECT ${s.id}::uuid, ${s.tokenHash}, ${s.userId}::uuid, ${s.createdAt}, ${s.lastSeenAt},
             ${s.expiresAt}, ${s.absoluteExpiresAt}, ${s.keepSignedIn}, ${s.userAgent}, ${s.ip},
             ${s.authenticatedAt}, ${s.methods}::"AuthMethod"[]
        FROM admitted
      RETURNING id
    ), event AS (
      INSERT INTO security_events (id, user_id, kind, at, ip, user_agent, session_id)
      SELECT ${e.id}::uuid, ${user.id}::uuid, 'SIGN_IN', ${e.at}, ${e.ip}, ${e.userAgent}, session.id
        FROM session
    )
    SELECT disabled_at, disabled_until, EXISTS (SELECT FROM session) AS opened,
           (SELECT is_new FROM device) AS device_is_new
      FROM account`;
  if (!row) throw new AppError('INVALID_CREDENTIALS');
  if (!row.opened) {
    // Before the version: disabling bumps it too, and the right password should hear why it failed.
    assertEnabled({ disabledAt: row.disabled_at, disabledUntil: row.disabled_until }, now);
    throw new AppError('INVALID_CREDENTIALS');
  }
  return { deviceIsNew: row.device_is_new === true };
}

/**
 * A sign-in or reauthentication checked its password against the user row as it read it; a change,
 * reset or disabling may have committed since. Re-reads the credential version and the disabled state
 * under a row lock held to commit (see writeSignIn). Not a share lock: parallel sign-ins of one user
 * then take turns, as MAX_SESSIONS_PER_USER's count needs (two share locks upgrading deadlock).
 */
export async function lockCredential(
  tx: Prisma.TransactionClient,
  user: Pick<User, 'id' | 'credentialVersion'>,
  now: Date,
) {
  const [row] = await tx.$queryRaw<
    { credential_version: number; disabled_at: Date | null; disabled_until: Date | null }[]
  >`
    SELECT credential_version, disabled_at, disabled_until FROM users WHERE id = ${user.id}::uuid FOR NO KEY UPDATE`;
  if (!row) throw new AppError('INVALID_CREDENTIALS');
  assertEnabled({ disabledAt: row.disabled_at, disabledUntil: row.disabled_until }, now);
  if (row.credential_version !== user.credentialVersion) throw new AppError('INVALID_CREDENTIALS');
}
