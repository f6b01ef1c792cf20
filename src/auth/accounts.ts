import { AppError, badInput } from '../errors.js';
import type { PrismaClient, Session, User } from '../generated/prisma/client.js';
import { uniqueViolation } from '../db/errors.js';
import type { PasswordHasher } from './password.js';
import type { ClientInfo, IssuedSession, SessionStore } from './sessions.js';
import { checkPassword, normaliseDisplayName, normaliseEmail, normaliseName } from './validation.js';

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

export interface SignedIn extends IssuedSession {
  user: User;
}

export interface AccountDeps {
  prisma: PrismaClient;
  hasher: PasswordHasher;
  sessions: SessionStore;
}

export class Accounts {
  constructor(private readonly deps: AccountDeps) {}

  async signUp(input: SignUpInput, client: ClientInfo): Promise<SignedIn> {
    const { name, nameKey } = normaliseName('name', input.name);
    const { email, emailKey } = normaliseEmail('email', input.email);
    const displayName = normaliseDisplayName('displayName', input.displayName);
    const password = checkPassword('password', input.password);
    const { prisma, hasher, sessions } = this.deps;

    // Checked before hashing so a taken name costs no argon2 work; the unique indexes still decide races.
    const taken = await prisma.user.findFirst({ where: { OR: [{ nameKey }, { emailKey }] }, select: { nameKey: true } });
    if (taken) throw conflict(taken.nameKey === nameKey ? 'name' : 'email');

    const passwordHash = await hasher.hash(password);
    try {
      return await prisma.$transaction(async (tx) => {
        const user = await tx.user.create({ data: { name, nameKey, email, emailKey, displayName, passwordHash } });
        return { user, ...(await sessions.start(user.id, input.keepSignedIn, client, tx)) };
      });
    } catch (error) {
      const field = uniqueViolation(error);
      if (field) throw conflict(field.includes('name') ? 'name' : 'email');
      throw error;
    }
  }

  /** Resolves the account named by exactly one of name / e-mail, or fails with one uniform error. */
  async verifyCredentials(input: Pick<SignInInput, 'name' | 'email' | 'password'>): Promise<User> {
    const hasName = input.name != null;
    const hasEmail = input.email != null;
    if (hasName === hasEmail) throw badInput(hasName ? 'email' : 'name', 'Give exactly one of name or e-mail.');
    const { prisma, hasher } = this.deps;
    const where = hasName
      ? { nameKey: input.name!.normalize('NFKC').trim().toLowerCase() }
      : { emailKey: input.email!.trim().toLowerCase() };
    const user = await prisma.user.findUnique({ where });
    // Unknown accounts still pay for a hash, so timing does not reveal which names exist.
    const ok = user ? await hasher.verify(user.passwordHash, input.password) : await hasher.verifyDummy(input.password);
    if (!user || !ok) throw new AppError('INVALID_CREDENTIALS');
    return user;
  }

  async signIn(input: SignInInput, client: ClientInfo, replacing?: Session): Promise<SignedIn> {
    const user = await this.verifyCredentials(input);
    const { prisma, sessions } = this.deps;
    return prisma.$transaction(async (tx) => {
      // Signing in while signed in replaces the old session rather than leaving it alive.
      if (replacing) await sessions.end(replacing.id, tx);
      return { user, ...(await sessions.start(user.id, input.keepSignedIn, client, tx)) };
    });
  }

  /** Sets a new password, ends every other session, and rotates the current one. */
  async changePassword(
    viewer: { user: User; session: Session },
    currentPassword: string,
    newPassword: string,
  ): Promise<SignedIn> {
    checkPassword('newPassword', newPassword);
    const { prisma, hasher, sessions } = this.deps;
    if (!(await hasher.verify(viewer.user.passwordHash, currentPassword))) throw new AppError('INVALID_CREDENTIALS');
    const passwordHash = await hasher.hash(newPassword);
    return prisma.$transaction(async (tx) => {
      const user = await tx.user.update({ where: { id: viewer.user.id }, data: { passwordHash } });
      await sessions.endOthers(user.id, viewer.session.id, tx);
      const rotated = await sessions.rotate(viewer.session, tx);
      if (!rotated) throw new AppError('UNAUTHENTICATED');
      return { user, ...rotated };
    });
  }
}

function conflict(field: 'name' | 'email') {
  return new AppError('CONFLICT', field === 'name' ? 'That name is already taken.' : 'That e-mail is already registered.', {
    field,
  });
}
