import { uniqueViolation } from '../../db/errors.js';
import type { RunStatement } from '../../db/statements.js';
import { AppError, badInput } from '../../errors.js';
import type { PrismaClient, Session, User } from '../../generated/prisma/client.js';
import type { AuthMethod } from '../../generated/prisma/enums.js';
import type { Attempt, Limits } from '../limits/limits.js';
import type { ClientInfo, IssuedSession, SessionStore } from '../sessions/store.js';
import { assertEnabled } from './account-state.js';
import type { DeviceCookie } from './device-cookies.js';
import { heldForRevert } from './email/email-change.js';
import type { EmailVerification } from './email/email-verification.js';
import type { FailedSignIns, SecurityEvents } from './events/security-events.js';
import type { AssertionInput } from './factors/passkeys.js';
import type { SecurityNotices } from './notices.js';
import { lockCredential, openSession } from './open-session.js';
import type { PasswordHasher } from './passwords/password.js';
import { userByKey } from './user-by-key.js';
import {
  checkPassword,
  conflict,
  nameLookupKey,
  normaliseDisplayName,
  normaliseEmail,
  normaliseName,
} from './validation.js';

/** Sign-up, sign-in and password change: the account rules, free of GraphQL. */

export interface SignUpInput {
  name: string;
  email: string;
  password: string;
  displayName?: string | null;
  keepSignedIn: boolean;
}

export interface SignInInput {
  name?: string | null;
  email?: string | null;
  password: string;
  keepSignedIn: boolean;
}

/** The client as sign-in sees it: with the device cookie it presented, when that one verified. */
export interface SignInClient extends ClientInfo {
  device?: DeviceCookie | undefined;
}

export interface SignedIn extends IssuedSession {
  user: User;
}

export interface AccountDeps {
  prisma: PrismaClient;
  /** Named statements below the ORM, for the sign-in's read (user-by-key.ts). */
  run: RunStatement;
  hasher: PasswordHasher;
  sessions: SessionStore;
  limits: Limits;
  /** Security e-mail ("new sign-in", "password changed") and the account's known devices. */
  notices: SecurityNotices;
  events: SecurityEvents;
  /** Sign-up mails the code that proves the address. */
  emailVerification: Pick<EmailVerification, 'sendOnSignUp'>;
  /** Second factors (second-factor.ts); without it every account is password-only. */
  factors?: SecondFactorGate;
  /** SIGN_IN_FAILED, written off the request's path. */
  failedSignIns: FailedSignIns;
  now?: () => Date;
}

/** One second factor as a mutation's input gives it: exactly one of these is set. */
export interface FactorInput {
  totp?: string | null;
  recoveryCode?: string | null;
  passkey?: AssertionInput | null;
}

/** What the account rules ask of second factors (second-factor.ts implements it). */
export interface SecondFactorGate {
  /** SECOND_FACTOR_REQUIRED for the user, carrying a new challenge of this purpose and the methods. */
  required(user: User, keepSignedIn: boolean, purpose: 'SIGN_IN' | 'RESET'): Promise<AppError>;
  /** Checks one factor of the user for a flow, counted against the limits; throws when it fails. */
  prove(
    user: User,
    factor: FactorInput,
    purpose: 'REAUTHENTICATE' | 'RESET',
    client: SignInClient,
  ): Promise<AuthMethod>;
  reauthenticationMethods(user: User): AuthMethod[];
}

/** What `reauthenticate` takes; which of them an account needs is `reauthenticationMethods`. */
export interface ReauthenticateInput extends FactorInput {
  password?: string | null;
}

export class Accounts {
  private readonly now: () => Date;

  constructor(private readonly deps: AccountDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** `replacing`: the browser's current session (of another account), which the new one replaces, as at sign-in. */
  async signUp(input: SignUpInput, client: ClientInfo, replacing?: Session): Promise<SignedIn> {
    const { name, nameKey, nameSkeleton } = normaliseName('name', input.name);
    const { email, emailKey } = normaliseEmail('email', input.email);
    const displayName = normaliseDisplayName('displayName', input.displayName);
    const password = checkPassword('password', input.password);
    const { prisma, hasher, sessions, limits } = this.deps;
    // Shed before any query when no hash could start in time: a storm must cost next to nothing.
    hasher.admit(client.ip);
    // Counted before the taken-check too, so sign-up cannot be used to enumerate names at will.
    await limits.signUp(client.ip);

    // Checked before hashing so a taken name costs no argon2 work; the unique indexes still decide races.
    const taken = await prisma.user.findFirst({
      // A name that looks like a taken one (same confusable skeleton) is taken too: no second "аdmin".
      where: { OR: [{ nameKey }, { nameSkeleton }, { emailKey }] },
      select: { nameKey: true, nameSkeleton: true },
    });
    if (taken)
      throw conflict(
        taken.nameKey === nameKey || taken.nameSkeleton === nameSkeleton ? 'name' : 'email',
      );
    if (await heldForRevert(prisma, emailKey, null, this.now())) throw conflict('email');

    const passwordHash = await hasher.hash(password, client.ip);
    try {
      const signedUp = await prisma.$transaction(async (tx) => {
        const user = await tx.user.create({
          data: { name, nameKey, nameSkeleton, email, emailKey, displayName, passwordHash },
        });
        // The first browser and IP become known, so signing in again from them sends no notice.
        await this.deps.notices.rememberDevice(tx, user.id, client);
        await this.deps.emailVerification.sendOnSignUp(tx, user);
        // The browser's cookie is about to name the new session: the old one would live on unseen.
        if (replacing) await sessions.end(replacing.id, tx);
        const issued = await sessions.start(user.id, input.keepSignedIn, client, ['PASSWORD'], tx);
        // The account's first session is its first sign-in: the log shows where every session began.
        await this.deps.events.record(tx, {
          userId: user.id,
          kind: 'SIGN_IN',
          client,
          sessionId: issued.session.id,
        });
        return { user, ...issued };
      });
      this.deps.notices.wake();
      return signedUp;
    } catch (error) {
      const field = uniqueViolation(error);
      if (field) throw conflict(field.includes('name') ? 'name' : 'email');
      throw error;
    }
  }

  /** Resolves the account named by exactly one of name / e-mail, or fails with one uniform error. */
  async verifyCredentials(
    input: Pick<SignInInput, 'name' | 'email' | 'password'>,
    client: SignInClient,
  ): Promise<User> {
    const { name, email } = input;
    if ((name == null) === (email == null)) {
      throw badInput(name == null ? 'name' : 'email', 'Give exactly one of name or e-mail.');
    }
    const { run, hasher } = this.deps;
    // A sign-in the hash queue cannot take is refused before any query, unless it carries a device
    // cookie: then the account is read, and its own browser goes ahead of the queue that a flood from
    // many addresses fills (lockout is no weapon).
    let shed: unknown;
    try {
      hasher.admit(client.ip);
    } catch (error) {
      if (!client.device) throw error;
      shed = error;
    }
    const where =
      name != null
        ? { nameKey: nameLookupKey(name) }
        : { emailKey: (email ?? '').trim().toLowerCase() };
    // PostgreSQL text cannot hold NUL, so no account has one; asking would fail the query instead.
    const user = Object.values(where)[0]?.includes('\0') ? null : await userByKey(run, where);
    const device = user && client.device?.userId === user.id ? client.device.nonce : undefined;
    if (shed !== undefined) {
      if (device === undefined) throw shed;
      hasher.admit(client.ip, true);
    }
    // Counted before the hash is checked, so parallel guesses cannot all slip in under the limit. Keyed
    // by the identifier as given, known or not: failures by name then say nothing about the e-mail.
    // A device cookie for this very account counts against that browser instead.
    const attempt = await this.deps.limits.signIn(JSON.stringify(where), client.ip, device);
    const ok = await this.checkPassword(
      attempt,
      user,
      input.password,
      client.ip,
      device !== undefined,
    );
    // Queued in memory and written later, so an existing account's failure costs what an unknown one's does.
    if (user && !ok)
      this.deps.failedSignIns.add(user.id, { ip: client.ip, userAgent: client.userAgent });
    if (!user || !ok) throw new AppError('INVALID_CREDENTIALS');
    await attempt.succeeded();
    return user;
  }

  private async checkPassword(
    attempt: Attempt,
    user: User | null,
    password: string,
    client: string | null,
    owner = false,
  ): Promise<boolean> {
    const { hasher } = this.deps;
    try {
      // Unknown accounts still pay for a hash, so timing does not reveal which names exist.
      return user
        ? await hasher.verify(user.passwordHash, password, client, owner)
        : await hasher.verifyDummy(password, client);
    } catch (error) {
      // Shed by the hash queue: no password was checked, so it is no failure.
      await attempt.cancel();
      throw error;
    }
  }

  async signIn(input: SignInInput, client: SignInClient, replacing?: Session): Promise<SignedIn> {
    const user = await this.verifyCredentials(input, client);
    // Only now, after the right password: a guesser learns nothing from ACCOUNT_DISABLED.
    assertEnabled(user, this.now());
    const { prisma, factors } = this.deps;
    // For an account with a second factor the right password is the first step only: no session yet.
    if (factors && user.secondFactors.length > 0)
      throw await factors.required(user, input.keepSignedIn, 'SIGN_IN');
    const signedIn = await prisma.$transaction((tx) =>
      openSession(tx, this.deps, this.now(), {
        user,
        keepSignedIn: input.keepSignedIn,
        methods: ['PASSWORD'],
        client,
        replacing,
      }),
    );
    if (signedIn.mailQueued) this.deps.notices.wake();
    return signedIn;
  }

  /** Sets a new password, ends every other session, and rotates the current one. */
  async changePassword(
    viewer: { user: User; session: Session },
    currentPassword: string,
    newPassword: string,
    client: ClientInfo,
  ): Promise<SignedIn> {
    checkPassword('newPassword', newPassword);
    const { prisma, hasher, sessions } = this.deps;
    hasher.admit(client.ip);
    // A stolen cookie must not turn into unlimited guesses at the password: same counters as sign-in.
    const attempt = await this.deps.limits.signIn(signInKey(viewer.user), client.ip);
    if (!(await this.checkPassword(attempt, viewer.user, currentPassword, client.ip)))
      throw new AppError('INVALID_CREDENTIALS');
    await attempt.succeeded();
    const passwordHash = await hasher.hash(newPassword, client.ip);
    const changed = await prisma.$transaction(async (tx) => {
      // Conditional on the credential the current password was checked against: a reset or another
      // change that committed meanwhile ended this session too, and must not be overwritten.
      const [user] = await tx.user.updateManyAndReturn({
        where: { id: viewer.user.id, credentialVersion: viewer.user.credentialVersion },
        data: { passwordHash, credentialVersion: { increment: 1 } },
      });
      if (!user) throw new AppError('UNAUTHENTICATED');
      // After the UPDATE, which waits for sign-ins holding the row: those that committed first are ended here.
      await sessions.endOthers(user.id, viewer.session.id, tx);
      const rotated = await sessions.rotate(viewer.session, tx);
      if (!rotated) throw new AppError('UNAUTHENTICATED');
      await this.deps.notices.passwordChanged(tx, user, client);
      await this.deps.events.record(tx, {
        userId: user.id,
        kind: 'PASSWORD_CHANGED',
        client,
        sessionId: rotated.session.id,
      });
      return { user, ...rotated };
    });
    this.deps.notices.wake();
    return changed;
  }

  /**
   * What `reauthenticate` accepts from this user (REAUTHENTICATION_REQUIRED's `extensions.methods`).
   * An account with a second factor will answer more than a password here.
   */
  reauthenticationMethods(user: User): AuthMethod[] {
    return this.deps.factors?.reauthenticationMethods(user) ?? ['PASSWORD'];
  }

  /**
   * Proves the viewer again: `authenticatedAt` becomes now and the session gets a new token, so a
   * token copied before the proof is not the one that carries it.
   */
  async reauthenticate(
    viewer: { user: User; session: Session },
    input: ReauthenticateInput,
    client: SignInClient,
  ): Promise<SignedIn> {
    const { prisma, hasher, sessions, factors } = this.deps;
    const secondFactor = factors !== undefined && viewer.user.secondFactors.length > 0;
    const factorGiven = input.totp != null || input.recoveryCode != null;
    let proven: AuthMethod[];
    if (secondFactor && input.passkey != null) {
      if (input.password != null || factorGiven)
        throw badInput('passkey', 'A passkey proves it alone: give nothing else with it.');
      // The viewer's own passkey only: a thief's passkey must not refresh a stolen session.
      proven = [await factors.prove(viewer.user, input, 'REAUTHENTICATE', client)];
    } else {
      if (input.password == null) throw badInput('password', 'Enter your password.');
      // Asked before the password is checked, so a cookie thief learns nothing of the password.
      if (secondFactor && !factorGiven)
        throw badInput('totp', 'Enter a code from your authenticator app, or a recovery code.');
      if (input.totp != null && input.recoveryCode != null)
        throw badInput('totp', 'Give one of an authenticator code or a recovery code.');
      hasher.admit(client.ip);
      // Failed attempts count against the sign-in limits, like any password guess.
      const attempt = await this.deps.limits.signIn(signInKey(viewer.user), client.ip);
      if (!(await this.checkPassword(attempt, viewer.user, input.password, client.ip)))
        throw new AppError('INVALID_CREDENTIALS');
      await attempt.succeeded();
      proven = secondFactor
        ? ['PASSWORD', await factors.prove(viewer.user, input, 'REAUTHENTICATE', client)]
        : ['PASSWORD'];
    }
    const rotated = await prisma.$transaction(async (tx) => {
      // Under the credential lock: a change that committed since the password was read ended this session.
      await lockCredential(tx, viewer.user, this.now());
      return sessions.rotate(viewer.session, tx, proven);
    });
    if (!rotated) throw new AppError('UNAUTHENTICATED');
    return { user: viewer.user, ...rotated };
  }
}

/**
 * The account's sign-in counter as signing in by name keys it: a password guessed through a session
 * (changePassword, reauthenticate) spends the same budget as one guessed at sign-in, not one of its own.
 */
const signInKey = (user: Pick<User, 'nameKey'>) => JSON.stringify({ nameKey: user.nameKey });
