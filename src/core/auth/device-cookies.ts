import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isCanonicalBase64url } from '../sessions/tokens.js';

/**
 * OWASP's device cookies: a browser that has signed in to an account carries `<userId>.<nonce>.<HMAC>`,
 * so sign-in can tell its owner's browser from a stranger's and the account's failure limit never
 * refuses it (lockout is no weapon). Signed with SESSION_SECRET like the session cookie, but over a
 * different message, so neither kind of value can stand in for the other.
 */

export interface DeviceCookie {
  userId: string;
  /** Names this browser's own failure counter. */
  nonce: string;
}

const NONCE_BYTES = 16;
const MAC_BYTES = 32;

function mac(userId: string, nonce: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(`device-cookie\0${userId}\0${nonce}`).digest();
}

/** A new device cookie value for this user, signed with the first secret. */
export function newDeviceCookieValue(userId: string, secrets: readonly string[]): string {
  const [current] = secrets;
  if (!current) throw new Error('no session secret configured');
  const nonce = randomBytes(NONCE_BYTES).toString('base64url');
  return `${userId}.${nonce}.${mac(userId, nonce, current).toString('base64url')}`;
}

/** The device a value names when its signature verifies with any secret; undefined otherwise. */
export function verifyDeviceCookie(
  value: string | undefined,
  secrets: readonly string[],
): DeviceCookie | undefined {
  const parts = value?.split('.');
  if (parts?.length !== 3) return undefined;
  const [userId = '', nonce = '', signature = ''] = parts;
  // Only the encoding we write: a padded or other-alphabet spelling of the same bytes is refused.
  if (
    !userId ||
    !isCanonicalBase64url(nonce, NONCE_BYTES) ||
    !isCanonicalBase64url(signature, MAC_BYTES)
  )
    return undefined;
  const given = Buffer.from(signature, 'base64url');
  for (const secret of secrets) {
    if (timingSafeEqual(given, mac(userId, nonce, secret))) return { userId, nonce };
  }
  return undefined;
}
