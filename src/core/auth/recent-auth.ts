import { AppError } from '../../errors.js';
import type { Session } from '../../generated/prisma/client.js';
import type { AuthMethod } from '../../generated/prisma/enums.js';

/**
 * Recent authentication (API.md "Rules, part two"): sensitive mutations ask for a credential proven in
 * this session within the window. Only sign-in, a second factor, passkey sign-in and `reauthenticate`
 * move `authenticatedAt`; activity, refreshSession and open streams never do, so a stolen cookie that
 * is kept busy does not stay "recent".
 */
export function requireRecentAuth(
  session: Pick<Session, 'authenticatedAt'>,
  options: { now: Date; windowMs: number; methods: AuthMethod[] },
): void {
  const age = options.now.getTime() - session.authenticatedAt.getTime();
  // A clock that stepped backwards makes no session "recent" from the future.
  if (age >= 0 && age <= options.windowMs) return;
  throw new AppError('REAUTHENTICATION_REQUIRED', undefined, { methods: options.methods });
}
