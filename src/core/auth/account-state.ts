import type { User } from '../../generated/prisma/client.js';

/** Disabled by an admin and not yet past the end they gave (none: until enabled again). */
export function isDisabled(user: Pick<User, 'disabledAt' | 'disabledUntil'>, now: Date): boolean {
  return user.disabledAt !== null && (user.disabledUntil === null || user.disabledUntil > now);
}
