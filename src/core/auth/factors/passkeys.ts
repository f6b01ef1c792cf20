import { randomBytes } from 'node:crypto';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { z } from 'zod';
import type { Db } from '../../../db/db.js';
import { uniqueViolation } from '../../../db/errors.js';
import { isUuid } from '../../../db/uuid.js';
import { AppError, badInput, rateLimited } from '../../../errors.js';
import type { Passkey, Prisma, PrismaClient } from '../../../generated/prisma/client.js';
import type { Limits } from '../../limits/limits.js';

/**
 * Passkeys (WebAuthn) on @simplewebauthn/server: the relying party is PUBLIC_URL's (or
 * WEBAUTHN_RP_ID), user verification is required, and every ceremony answers a 32-byte challenge from
 * the CSPRNG that is stored here, bound to its purpose and (where there is one) its user, good once and
 * for 5 minutes. Nothing in the client's JSON is trusted beyond what the library verifies.
 */

export type ChallengePurpose =
  | 'REGISTER'
  | 'SIGN_IN'
  | 'SECOND_FACTOR'
  | 'REAUTHENTICATE'
  | 'RESET';

export interface WebAuthnOptions {
  /** The stored challenge's id, sent back with the response. */
  id: string;
  /** WebAuthn Level 3 JSON options for navigator.credentials.create or get. */
  options: unknown;
}

export interface AssertionInput {
  challengeId: string;
  response: unknown;
}

export interface RegisteredCredential {
  credentialId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  backedUp: boolean;
}

export interface PasskeysDeps {
  prisma: PrismaClient;
  limits: Pick<Limits, 'passkeyChallenge'>;
  rpId: string;
  origin: string;
  maxLiveChallenges: number;
  now: () => Date;
}

const CHALLENGE_TTL_MS = 5 * 60_000;
const CHALLENGE_BYTES = 32;
const RP_NAME = 'sessiongraph';
const NAME_MAX = 100;

// Only the shape the library needs to start; every value in it is checked by the library itself.
const credentialShape = z.looseObject({
  id: z.string().min(1).max(1400),
  rawId: z.string().min(1).max(1400),
  type: z.literal('public-key'),
  response: z.looseObject({ clientDataJSON: z.string() }),
  clientExtensionResults: z.looseObject({}).default({}),
});

/**
 * The library is loaded at the first ceremony, not at start: its modules are about 9 MB of a server's
 * resident memory, and most servers serve far more requests than passkey ceremonies.
 */
let library: Promise<typeof import('@simplewebauthn/server')> | undefined;
const webAuthn = () => {
  library ??= import('@simplewebauthn/server');
  return library;
};

export class Passkeys {
  constructor(private readonly deps: PasskeysDeps) {}

  /** Registration options for a user, with a stored challenge bound to them. */
  async beginRegistration(
    user: { id: string; name: string; displayName: string | null },
    ip: string | null,
  ): Promise<WebAuthnOptions> {
    const challenge = await this.newChallenge('REGISTER', user.id, ip);
    const existing = await this.deps.prisma.passkey.findMany({
      where: { userId: user.id },
      select: { credentialId: true, transports: true },
    });
    const { generateRegistrationOptions } = await webAuthn();
    const options = await generateRegistrationOptions({
      rpName: RP_NAME,
      rpID: this.deps.rpId,
      userName: user.name,
      userDisplayName: user.displayName ?? user.name,
      // The user handle is the account's UUID: no personal data, and sign-in can check it.
      userID: userHandle(user.id),
      challenge: Buffer.from(challenge.challenge, 'base64url'),
      timeout: CHALLENGE_TTL_MS,
      attestationType: 'none',
      excludeCredentials: existing.map(({ credentialId, transports }) => ({
        id: credentialId,
        transports,
      })),
      // Discoverable, so the passkey can sign in alone; verified, so it is two factors in one.
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    return { id: challenge.id, options };
  }

  /** Assertion options for a purpose; with a user, only their credentials are offered and accepted. */
  async beginAssertion(
    purpose: Exclude<ChallengePurpose, 'REGISTER'>,
    userId: string | null,
    ip: string | null,
  ): Promise<WebAuthnOptions> {
    const challenge = await this.newChallenge(purpose, userId, ip);
    const allowed = userId
      ? await this.deps.prisma.passkey.findMany({
          where: { userId },
          select: { credentialId: true, transports: true },
        })
      : [];
    const { generateAuthenticationOptions } = await webAuthn();
    const options = await generateAuthenticationOptions({
      rpID: this.deps.rpId,
      challenge: Buffer.from(challenge.challenge, 'base64url'),
      timeout: CHALLENGE_TTL_MS,
      userVerification: 'required',
      allowCredentials: allowed.map(({ credentialId, transports }) => ({
        id: credentialId,
        transports,
      })),
    });
    return { id: challenge.id, options };
  }

  /** Verifies a registration response for the user's REGISTER challenge (spending it). */
  async verifyRegistration(userId: string, input: AssertionInput): Promise<RegisteredCredential> {
    const stored = await this.spendChallenge(input.challengeId);
    if (stored.purpose !== 'REGISTER' || stored.userId !== userId)
      throw new AppError('INVALID_CREDENTIALS');
    const response = parse(input.response) as unknown as RegistrationResponseJSON;
    const { verifyRegistrationResponse } = await webAuthn();
    const verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: stored.challenge,
      expectedOrigin: this.deps.origin,
      expectedRPID: this.deps.rpId,
      requireUserVerification: true,
    }).catch(() => null);
    if (!verified?.verified) throw new AppError('INVALID_CREDENTIALS');
    const { credential, credentialBackedUp } = verified.registrationInfo;
    return {
      credentialId: credential.id,
      publicKey: credential.publicKey,
      counter: credential.counter,
      transports: credential.transports ?? [],
      backedUp: credentialBackedUp,
    };
  }

  /**
   * Verifies an assertion for `purpose` (spending its challenge) and returns the passkey it proved.
   * `userId`: the user the flow concerns; the credential must be theirs, and so must the challenge's
   * binding when it has one. Anything else is INVALID_CREDENTIALS; a spent or expired challenge INVALID_OTP.
   */
  async verifyAssertion(
    purpose: Exclude<ChallengePurpose, 'REGISTER'>,
    userId: string | null,
    input: AssertionInput,
  ): Promise<Passkey> {
    const stored = await this.spendChallenge(input.challengeId);
    if (stored.purpose !== purpose) throw new AppError('INVALID_CREDENTIALS');
    // A challenge issued for one user answers for that user only.
    if (stored.userId !== null && stored.userId !== (userId ?? stored.userId))
      throw new AppError('INVALID_CREDENTIALS');
    const expectedUser = userId ?? stored.userId;
    const response = parse(input.response) as unknown as AuthenticationResponseJSON;
    const passkey = await this.deps.prisma.passkey.findUnique({
      where: { credentialId: response.id },
    });
    // A thief's own passkey does not prove the victim's session, nor one of another account this flow.
    if (!passkey || (expectedUser !== null && passkey.userId !== expectedUser))
      throw new AppError('INVALID_CREDENTIALS');
    const handle = response.response.userHandle;
    if (handle && handle !== Buffer.from(userHandle(passkey.userId)).toString('base64url'))
      throw new AppError('INVALID_CREDENTIALS');
    const { verifyAuthenticationResponse } = await webAuthn();
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: stored.challenge,
      expectedOrigin: this.deps.origin,
      expectedRPID: this.deps.rpId,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: Number(passkey.counter),
        transports: passkey.transports,
      },
      requireUserVerification: true,
    }).catch(() => null);
    if (!verified?.verified) throw new AppError('INVALID_CREDENTIALS');
    // Conditional on the counter that was checked: a cloned authenticator racing the real one loses.
    const { count } = await this.deps.prisma.passkey.updateMany({
      where: { id: passkey.id, counter: passkey.counter },
      data: {
        counter: BigInt(verified.authenticationInfo.newCounter),
        lastUsedAt: this.deps.now(),
        backedUp: verified.authenticationInfo.credentialBackedUp,
      },
    });
    if (count === 0) throw new AppError('INVALID_CREDENTIALS');
    return { ...passkey, lastUsedAt: this.deps.now() };
  }

  /** Stores a verified credential for the user; CONFLICT when the credential is already registered. */
  async add(
    tx: Db,
    userId: string,
    credential: RegisteredCredential,
    name: string,
  ): Promise<Passkey> {
    // The unique credential id decides, so two registrations racing with one credential get CONFLICT too.
    return tx.passkey
      .create({
        data: {
          userId,
          credentialId: credential.credentialId,
          publicKey: new Uint8Array(credential.publicKey),
          counter: BigInt(credential.counter),
          transports: credential.transports,
          backedUp: credential.backedUp,
          name,
          createdAt: this.deps.now(),
        },
      })
      .catch((error: unknown) => {
        if (!uniqueViolation(error)) throw error;
        throw new AppError('CONFLICT', 'That passkey is already registered.', {
          field: 'response',
        });
      });
  }

  list(userId: string, query: Pick<Prisma.PasskeyFindManyArgs, 'select' | 'include'> = {}) {
    return this.deps.prisma.passkey.findMany({
      ...query,
      where: { userId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  async rename(userId: string, id: string, name: string): Promise<Passkey> {
    const checked = checkName(name);
    if (!isUuid(id)) throw notFound();
    const [renamed] = await this.deps.prisma.passkey.updateManyAndReturn({
      where: { id, userId },
      data: { name: checked },
    });
    if (!renamed) throw notFound();
    return renamed;
  }

  /** Deletes one of the user's passkeys in the caller's transaction; NOT_FOUND when it is not theirs. */
  async remove(tx: Db, userId: string, id: string): Promise<void> {
    if (!isUuid(id)) throw notFound();
    const { count } = await tx.passkey.deleteMany({ where: { id, userId } });
    if (count === 0) throw notFound();
  }

  count(db: Db, userId: string): Promise<number> {
    return db.passkey.count({ where: { userId } });
  }

  private async newChallenge(purpose: ChallengePurpose, userId: string | null, ip: string | null) {
    const { prisma, limits, maxLiveChallenges, now } = this.deps;
    await limits.passkeyChallenge(ip);
    const at = now();
    // Bounded: expired challenges go first, and past the bound nobody gets a new one until some expire.
    await prisma.webAuthnChallenge.deleteMany({ where: { expiresAt: { lte: at } } });
    if ((await prisma.webAuthnChallenge.count()) >= maxLiveChallenges)
      throw rateLimited(CHALLENGE_TTL_MS / 1000);
    return prisma.webAuthnChallenge.create({
      data: {
        challenge: randomBytes(CHALLENGE_BYTES).toString('base64url'),
        purpose,
        userId,
        createdAt: at,
        expiresAt: new Date(at.getTime() + CHALLENGE_TTL_MS),
      },
    });
  }

  /** Takes the challenge out of the store (single use); INVALID_OTP when it is unknown, spent or expired. */
  private async spendChallenge(id: string) {
    if (!isUuid(id)) throw new AppError('INVALID_OTP');
    const { prisma, now } = this.deps;
    const stored = await prisma.webAuthnChallenge.findUnique({ where: { id } });
    if (!stored) throw new AppError('INVALID_OTP');
    // The delete decides: of parallel answers to one challenge exactly one gets it.
    const { count } = await prisma.webAuthnChallenge.deleteMany({ where: { id } });
    if (count === 0 || stored.expiresAt <= now()) throw new AppError('INVALID_OTP');
    return stored;
  }
}

/** A passkey's name as the user gave it: trimmed, 1-100 characters; the default when none. */
export function checkName(name: string | null | undefined, fallback = 'Passkey'): string {
  const trimmed = (name ?? '').trim() || fallback;
  if ([...trimmed].length > NAME_MAX || /[\p{Cc}\p{Cf}]/u.test(trimmed))
    throw badInput('name', `A passkey name has 1 to ${NAME_MAX} printable characters.`);
  return trimmed;
}

function parse(response: unknown) {
  const parsed = credentialShape.safeParse(response);
  if (!parsed.success) throw new AppError('INVALID_CREDENTIALS');
  return parsed.data;
}

function userHandle(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId.replace(/-/g, ''), 'hex'));
}

const notFound = () => new AppError('NOT_FOUND', 'No such passkey.');
