import { randomBytes } from 'node:crypto';
import type { Db } from '../../../db/db.js';
import { AppError, badInput } from '../../../errors.js';
import type { Prisma, PrismaClient, Session, User } from '../../../generated/prisma/client.js';
import type { AuthMethod, SecurityEventKind } from '../../../generated/prisma/enums.js';
import type { Limits } from '../../limits/limits.js';
import type { IssuedSession, SessionStore } from '../../sessions/store.js';
import { hashToken } from '../../sessions/tokens.js';
import { assertEnabled } from '../account-state.js';
import type { FactorInput, SecondFactorGate, SignedIn, SignInClient } from '../accounts.js';
import type { SecurityEvents } from '../events/security-events.js';
import type { SecurityNotices } from '../notices.js';
import { openSession } from '../open-session.js';
import { type AssertionInput, checkName, type Passkeys, type WebAuthnOptions } from './passkeys.js';
import type { RecoveryCodes } from './recovery-codes.js';
import type { Totp, TotpEnrollment } from './totp.js';

/**
 * Second factors as the account sees them: the step between a right password and a session, factors
 * as proof for re-authentication and reset, and enrolment. Every factor change bumps the credential
 * version (a sign-in that checked the old state loses), keeps `User.secondFactors` in step, ends every
 * other session, rotates the one that made it, records its event and sends a notice, in one transaction.
 */

export interface Viewer {
  user: User;
  session: Session;
}

export interface SecondFactorsDeps {
  prisma: PrismaClient;
  sessions: SessionStore;
  limits: Pick<Limits, 'secondFactor'>;
  notices: SecurityNotices;
  events: SecurityEvents;
  totp: Totp;
  recoveryCodes: RecoveryCodes;
  passkeys: Passkeys;
  now: () => Date;
}

export type PasskeyPurpose = 'SIGN_IN' | 'SECOND_FACTOR' | 'REAUTHENTICATE' | 'RESET';

/** The result of a factor change, with the session that made it under its new token. */
export type Changed<T> = SignedIn & { result: T };

/** Answers a challenge allows, right or wrong. */
const MAX_CHALLENGE_TRIES = 5;
const CHALLENGE_TTL_MS = 5 * 60_000;
const CHALLENGE_BYTES = 32;

const NOTICES = {
  TWO_FACTOR_ENABLED: {
    subject: 'Two-step sign-in was turned on',
    lead: 'An authenticator app was set up as the second step of signing in to your account. Every other device was signed out.',
  },
  TWO_FACTOR_DISABLED: {
    subject: 'Your authenticator app was removed',
    lead: 'The authenticator app was removed from your account. Every other device was signed out.',
  },
  RECOVERY_CODES_REGENERATED: {
    subject: 'New recovery codes were made',
    lead: 'New recovery codes were made for your account; the old ones no longer work. Every other device was signed out.',
  },
  RECOVERY_CODE_USED: {
    subject: 'A recovery code was used',
    lead: 'One of your recovery codes was used as the second step of signing in to your account. It will not work again.',
  },
  PASSKEY_ADDED: {
    subject: 'A passkey was added',
    lead: 'A passkey was added to your account. Every other device was signed out.',
  },
  PASSKEY_REMOVED: {
    subject: 'A passkey was removed',
    lead: 'A passkey was removed from your account. Every other device was signed out.',
  },
} satisfies Partial<Record<SecurityEventKind, { subject: string; lead: string }>>;

type NoticeKind = keyof typeof NOTICES;

const ADVICE =
  'If this was you, there is nothing to do. If it was not, someone else can sign in to your account: reset your password at once with "Forgot password" on the sign-in page, and check your second factors.';

export class SecondFactors implements SecondFactorGate {
  constructor(private readonly deps: SecondFactorsDeps) {}

  /** What the second step accepts from this user (SECOND_FACTOR_REQUIRED's `extensions.methods`). */
  methods(user: Pick<User, 'secondFactors'>): AuthMethod[] {
    const has = (method: AuthMethod) => user.secondFactors.includes(method);
    return [
      ...(has('TOTP') ? (['TOTP'] as const) : []),
      ...(has('PASSKEY') ? (['PASSKEY'] as const) : []),
      // Recovery codes exist whenever any second factor does.
      ...(user.secondFactors.length > 0 ? (['RECOVERY_CODE'] as const) : []),
    ];
  }

  reauthenticationMethods(user: User): AuthMethod[] {
    if (user.secondFactors.length === 0) return ['PASSWORD'];
    const methods = this.methods(user);
    // A passkey alone, or the password with a code.
    return [
      ...(methods.includes('PASSKEY') ? (['PASSKEY'] as const) : []),
      'PASSWORD',
      ...methods.filter((method) => method !== 'PASSKEY'),
    ];
  }

  async required(
    user: User,
    keepSignedIn: boolean,
    purpose: 'SIGN_IN' | 'RESET',
  ): Promise<AppError> {
    const { prisma, now } = this.deps;
    const token = randomBytes(CHALLENGE_BYTES).toString('base64url');
    const at = now();
    await prisma.$transaction(async (tx) => {
      // The user's spent and expired challenges go, so right passwords cannot pile rows up.
      await tx.secondFactorChallenge.deleteMany({
        where: { userId: user.id, expiresAt: { lte: at } },
      });
      await tx.secondFactorChallenge.create({
        data: {
          // Only the hash is kept: a dump holds no challenge anyone could answer.
          tokenHash: hashToken(token),
          userId: user.id,
          purpose,
          credentialVersion: user.credentialVersion,
          keepSignedIn,
          createdAt: at,
          expiresAt: new Date(at.getTime() + CHALLENGE_TTL_MS),
        },
      });
    });
    return new AppError('SECOND_FACTOR_REQUIRED', undefined, {
      challenge: token,
      methods: this.methods(user),
    });
  }

  /**
   * Checks one factor of the user, counted against the sign-in and second-factor limits. `claim` runs
   * once the limits allow the check and before it is made (a challenge's try); false refuses it.
   */
  async prove(
    user: User,
    factor: FactorInput,
    purpose: 'SECOND_FACTOR' | 'REAUTHENTICATE' | 'RESET',
    client: SignInClient,
    claim?: () => Promise<boolean>,
  ): Promise<AuthMethod> {
    const given = exactlyOne(factor);
    const device = client.device?.userId === user.id ? client.device.nonce : undefined;
    const attempt = await this.deps.limits.secondFactor(user.id, client.ip, device);
    let method: AuthMethod;
    let right: boolean;
    try {
      if (claim && !(await claim())) throw new AppError('INVALID_OTP');
      if (given.kind === 'passkey') {
        method = 'PASSKEY';
        right = await this.deps.passkeys
          .verifyAssertion(purpose, user.id, given.value)
          .then(() => true)
          .catch((error: unknown) => {
            if (error instanceof AppError && error.code === 'INVALID_CREDENTIALS') return false;
            throw error;
          });
      } else if (given.kind === 'totp') {
        method = 'TOTP';
        right =
          user.secondFactors.includes('TOTP') &&
          (await this.deps.totp.verify(this.deps.prisma, user.id, given.value));
      } else {
        method = 'RECOVERY_CODE';
        right = await this.useRecoveryCode(user, given.value, client);
      }
    } catch (error) {
      // Nothing was checked (a spent challenge, a store failure): no failure to count.
      await attempt.cancel();
      throw error;
    }
    if (!right) {
      const { locked } = await attempt.failed();
      if (locked) await this.lockedNotice(user, client);
      throw new AppError(method === 'PASSKEY' ? 'INVALID_CREDENTIALS' : 'INVALID_OTP');
    }
    await attempt.succeeded();
    return method;
  }

  /** verifySecondFactor: a right factor for a live SIGN_IN challenge turns the password step into a session. */
  async verifySecondFactor(
    input: FactorInput & { challenge: string },
    client: SignInClient,
    replacing?: Session,
  ): Promise<SignedIn> {
    const { prisma, notices, now } = this.deps;
    exactlyOne(input);
    const challenge = await this.liveChallenge(input.challenge, 'SIGN_IN');
    const user = await prisma.user.findUnique({ where: { id: challenge.userId } });
    // Bound to the password step: a credential change since then voids it.
    if (!user || user.credentialVersion !== challenge.credentialVersion)
      throw new AppError('INVALID_OTP');
    const method = await this.prove(user, input, 'SECOND_FACTOR', client, async () => {
      // Each try is claimed before it is made, atomically: parallel answers cannot get past the limit.
      const { count } = await prisma.secondFactorChallenge.updateMany({
        where: {
          id: challenge.id,
          attempts: { lt: MAX_CHALLENGE_TRIES },
          expiresAt: { gt: now() },
        },
        data: { attempts: { increment: 1 } },
      });
      return count === 1;
    });
    // Only after the right credential, so it tells a guesser nothing.
    assertEnabled(user, now());
    const signedIn = await prisma.$transaction(async (tx) => {
      // Single use: of parallel right answers exactly one deletes the challenge.
      const { count } = await tx.secondFactorChallenge.deleteMany({ where: { id: challenge.id } });
      if (count === 0) throw new AppError('INVALID_OTP');
      return openSession(tx, this.deps, now(), {
        user,
        keepSignedIn: challenge.keepSignedIn,
        methods: ['PASSWORD', method],
        client,
        replacing,
      });
    });
    if (signedIn.mailQueued) notices.wake();
    return signedIn;
  }

  /** Options for an assertion of `purpose`, bound to the user the flow concerns. */
  async beginPasskeyAssertion(
    purpose: PasskeyPurpose,
    challenge: string | null | undefined,
    viewer: Viewer | null,
    ip: string | null,
  ): Promise<WebAuthnOptions> {
    const { passkeys } = this.deps;
    if (purpose === 'SIGN_IN') return passkeys.beginAssertion('SIGN_IN', null, ip);
    if (purpose === 'REAUTHENTICATE') {
      if (!viewer) throw new AppError('UNAUTHENTICATED');
      return passkeys.beginAssertion('REAUTHENTICATE', viewer.user.id, ip);
    }
    if (challenge == null) {
      // A reset may start without the challenge; the address's user is checked when it is answered.
      if (purpose === 'RESET') return passkeys.beginAssertion('RESET', null, ip);
      throw badInput('challenge', 'Give the challenge of SECOND_FACTOR_REQUIRED.');
    }
    const bound = await this.liveChallenge(challenge, purpose === 'RESET' ? 'RESET' : 'SIGN_IN');
    return passkeys.beginAssertion(purpose, bound.userId, ip);
  }

  /** finishPasskeySignIn: a discoverable passkey signs in alone. */
  async passkeySignIn(
    input: AssertionInput & { keepSignedIn: boolean },
    client: SignInClient,
    replacing?: Session,
  ): Promise<SignedIn> {
    const { prisma, notices, passkeys, now } = this.deps;
    const passkey = await passkeys.verifyAssertion('SIGN_IN', null, input);
    const user = await prisma.user.findUnique({ where: { id: passkey.userId } });
    if (!user) throw new AppError('INVALID_CREDENTIALS');
    assertEnabled(user, now());
    const signedIn = await prisma.$transaction((tx) =>
      openSession(tx, this.deps, now(), {
        user,
        keepSignedIn: input.keepSignedIn,
        methods: ['PASSKEY'],
        // The user row was read after the assertion was checked: a removal that committed in between
        // left the version as read, so only the passkey's own row tells that it is gone.
        stillHolds: async (locked) =>
          (await locked.passkey.count({ where: { id: passkey.id, userId: user.id } })) > 0,
        client,
        replacing,
      }),
    );
    if (signedIn.mailQueued) notices.wake();
    return signedIn;
  }

  // Enrolment. Resolvers check recent authentication first where the contract asks for it.

  async beginTotpEnrollment(viewer: Viewer): Promise<TotpEnrollment> {
    requireVerified(viewer.user);
    return this.deps.totp.begin(this.deps.prisma, viewer.user);
  }

  passkeys(userId: string, query: Parameters<Passkeys['list']>[1] = {}) {
    return this.deps.passkeys.list(userId, query);
  }

  renamePasskey(userId: string, id: string, name: string) {
    return this.deps.passkeys.rename(userId, id, name);
  }

  /** Turns TOTP on with a code from the pending key; returns the new recovery codes. */
  confirmTotpEnrollment(
    viewer: Viewer,
    code: string,
    client: SignInClient,
  ): Promise<Changed<string[]>> {
    requireVerified(viewer.user);
    return this.change(viewer, client, 'TWO_FACTOR_ENABLED', async (tx) => {
      if (!(await this.deps.totp.confirm(tx, viewer.user.id, code)))
        throw new AppError('INVALID_OTP');
      return this.deps.recoveryCodes.replace(tx, viewer.user.id);
    });
  }

  /** Turns TOTP off; false when it was not on (and nothing changes). */
  async disableTotp(viewer: Viewer, client: SignInClient): Promise<Changed<boolean> | false> {
    if (!viewer.user.secondFactors.includes('TOTP')) return false;
    return this.change(viewer, client, 'TWO_FACTOR_DISABLED', async (tx) => {
      if (!(await this.deps.totp.remove(tx, viewer.user.id))) throw new AppError('UNAUTHENTICATED');
      return true;
    });
  }

  regenerateRecoveryCodes(viewer: Viewer, client: SignInClient): Promise<Changed<string[]>> {
    if (viewer.user.secondFactors.length === 0)
      throw badInput('recoveryCodes', 'Turn on a second factor first.');
    return this.change(viewer, client, 'RECOVERY_CODES_REGENERATED', (tx) =>
      this.deps.recoveryCodes.replace(tx, viewer.user.id),
    );
  }

  beginPasskeyRegistration(viewer: Viewer, ip: string | null): Promise<WebAuthnOptions> {
    requireVerified(viewer.user);
    return this.deps.passkeys.beginRegistration(viewer.user, ip);
  }

  async finishPasskeyRegistration(
    viewer: Viewer,
    input: AssertionInput & { name?: string | null },
    client: SignInClient,
    defaultName: string,
  ) {
    requireVerified(viewer.user);
    const name = checkName(input.name, defaultName);
    const credential = await this.deps.passkeys.verifyRegistration(viewer.user.id, input);
    return this.change(viewer, client, 'PASSKEY_ADDED', (tx) =>
      this.deps.passkeys.add(tx, viewer.user.id, credential, name),
    );
  }

  removePasskey(viewer: Viewer, id: string, client: SignInClient): Promise<Changed<boolean>> {
    return this.change(viewer, client, 'PASSKEY_REMOVED', async (tx) => {
      await this.deps.passkeys.remove(tx, viewer.user.id, id);
      return true;
    });
  }

  /**
   * A factor change, in one transaction: the credential version moves (conditional on the one this
   * session was authenticated under), the change is made, `secondFactors` follows the tables, recovery
   * codes exist exactly while a factor does, every other session ends, this one gets a new token, and
   * the event and the notice are written.
   */
  private async change<T>(
    viewer: Viewer,
    client: SignInClient,
    kind: NoticeKind,
    work: (tx: Prisma.TransactionClient) => Promise<T>,
  ): Promise<Changed<T>> {
    const { prisma, sessions, events, notices } = this.deps;
    const userId = viewer.user.id;
    const changed = await prisma.$transaction(async (tx) => {
      // First, so the row lock orders this change against sign-ins and other changes.
      const [locked] = await tx.user.updateManyAndReturn({
        where: { id: userId, credentialVersion: viewer.user.credentialVersion },
        data: { credentialVersion: { increment: 1 } },
      });
      // Another credential change committed first and ended this session.
      if (!locked) throw new AppError('UNAUTHENTICATED');
      const result = await work(tx);
      const user = await this.syncFactors(tx, userId);
      await events.record(tx, { userId, kind, client, sessionId: viewer.session.id });
      await sessions.endOthers(userId, viewer.session.id, tx);
      const issued: IssuedSession | null = await sessions.rotate(viewer.session, tx);
      if (!issued) throw new AppError('UNAUTHENTICATED');
      await this.notice(tx, user, kind, client);
      return { user, ...issued, result };
    });
    notices.wake();
    return changed;
  }

  /**
   * A reverted e-mail change (email-change.ts): factors enrolled since the change may be the hijacker's,
   * so they go, in the revert's transaction (which bumps the credential version and ends every session).
   */
  async removeEnrolledSince(
    tx: Prisma.TransactionClient,
    userId: string,
    since: Date,
  ): Promise<void> {
    await tx.totpCredential.deleteMany({ where: { userId, enabledAt: { gte: since } } });
    await tx.passkey.deleteMany({ where: { userId, createdAt: { gte: since } } });
    await this.syncFactors(tx, userId);
  }

  /**
   * Makes the user's `secondFactors` and recovery codes follow the factor tables: codes exist exactly
   * while some factor does.
   */
  private async syncFactors(tx: Prisma.TransactionClient, userId: string): Promise<User> {
    const factors = await this.enrolled(tx, userId);
    if (factors.length === 0) await this.deps.recoveryCodes.remove(tx, userId);
    else await this.deps.recoveryCodes.ensure(tx, userId);
    return tx.user.update({ where: { id: userId }, data: { secondFactors: factors } });
  }

  /** The factors the tables hold for the user, in `secondFactors` order. */
  private async enrolled(tx: Db, userId: string): Promise<AuthMethod[]> {
    const [totp, passkeys] = await Promise.all([
      tx.totpCredential.count({ where: { userId, secret: { not: null } } }),
      this.deps.passkeys.count(tx, userId),
    ]);
    return [
      ...(totp > 0 ? (['TOTP'] as const) : []),
      ...(passkeys > 0 ? (['PASSKEY'] as const) : []),
    ];
  }

  /** Spends a recovery code, with its event and notice in the same transaction. */
  private async useRecoveryCode(user: User, code: string, client: SignInClient): Promise<boolean> {
    const used = await this.deps.prisma.$transaction(async (tx) => {
      if (!(await this.deps.recoveryCodes.consume(tx, user.id, code))) return false;
      await this.deps.events.record(tx, { userId: user.id, kind: 'RECOVERY_CODE_USED', client });
      await this.notice(tx, user, 'RECOVERY_CODE_USED', client);
      return true;
    });
    if (used) this.deps.notices.wake();
    return used;
  }

  /** Notices go to verified addresses only, within the per-address cap (notices.ts). */
  private async notice(tx: Db, user: User, kind: NoticeKind, client: SignInClient) {
    await this.deps.notices.notice(tx, user, { ...NOTICES[kind], advice: ADVICE }, client);
  }

  /** Too many wrong second steps in a row: whoever tries them knows the password. */
  private async lockedNotice(user: User, client: SignInClient) {
    const { prisma, notices } = this.deps;
    const queued = await prisma.$transaction((tx) =>
      notices.notice(
        tx,
        user,
        {
          subject: 'Your password is known to someone else',
          lead: 'Someone entered your password correctly and then failed the second step many times in a row, so the second step of signing in is locked for a while.',
          advice:
            'Change your password now (or reset it with "Forgot password"), and use a password you use nowhere else.',
        },
        client,
      ),
    );
    if (queued) notices.wake();
  }

  /** A live challenge of this purpose by its token; INVALID_OTP for anything else. */
  private async liveChallenge(token: string, purpose: 'SIGN_IN' | 'RESET') {
    const row = await this.deps.prisma.secondFactorChallenge.findUnique({
      where: { tokenHash: hashToken(token) },
    });
    if (
      !row ||
      row.purpose !== purpose ||
      row.expiresAt <= this.deps.now() ||
      row.attempts >= MAX_CHALLENGE_TRIES
    )
      throw new AppError('INVALID_OTP');
    return row;
  }
}

type GivenFactor =
  | { kind: 'totp'; value: string }
  | { kind: 'recoveryCode'; value: string }
  | { kind: 'passkey'; value: AssertionInput };

function exactlyOne(factor: FactorInput): GivenFactor {
  const given: GivenFactor[] = [
    ...(factor.totp != null ? [{ kind: 'totp' as const, value: factor.totp }] : []),
    ...(factor.recoveryCode != null
      ? [{ kind: 'recoveryCode' as const, value: factor.recoveryCode }]
      : []),
    ...(factor.passkey != null ? [{ kind: 'passkey' as const, value: factor.passkey }] : []),
  ];
  const [only] = given;
  if (given.length !== 1 || !only)
    throw badInput('totp', 'Give exactly one of totp, recoveryCode or passkey.');
  return only;
}

/** Enrolling a factor on an address nobody proved would let whoever typed it lock its owner out. */
function requireVerified(user: User): void {
  if (user.emailVerifiedAt === null) throw new AppError('EMAIL_NOT_VERIFIED');
}
