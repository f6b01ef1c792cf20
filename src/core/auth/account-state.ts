import { AppError } from '../../errors.js';
import type { User } from '../../generated/prisma/client.js';

/** Disabled by an admin and not yet past the end they gave (none: until enabled again). */
export function isDisabled(user: Pick<User, 'disabledAt' | 'disabledUntil'>, now: Date): boolean {
  return user.disabledAt !== null && (user.disabledUntil === null || user.disabledUntil > now);
}

/**
 * ACCOUNT_DISABLED (with `until` when the disabling ends) for a disabled account. Call it only once the
 * credential has proven right, so the answer tells a guesser nothing about the account.
 */
export function assertEnabled(user: Pick<User, 'disabledAt' | 'disabledUntil'>, now: Date): void {
  if (!isDisabled(user, now)) return;
  throw new AppError('ACCOUNT_DISABLED', undefined, {
    ...(user.disabledUntil ? { until: user.disabledUntil.toISOString() } : {}),
  });
}
