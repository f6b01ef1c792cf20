import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Session tokens: 32 bytes from the CSPRNG. The cookie carries `<token>.<HMAC-SHA256(token)>`; the
 * database keeps only SHA-256(token), so a stolen dump cannot be replayed as cookies.
 */

const TOKEN_BYTES = 32;

export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function mac(token: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(token).digest();
}

/** The cookie value: signed with the first secret. */
export function signToken(token: string, secrets: readonly string[]): string {
  const [current] = secrets;
  if (!current) throw new Error('no session secret configured');
  return `${token}.${mac(token, current).toString('base64url')}`;
}

/** The token inside a cookie value whose signature verifies with any secret; undefined otherwise. */
export function verifySignedToken(value: string, secrets: readonly string[]): string | undefined {
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const token = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1), 'base64url');
  // A forged value is rejected here, before any database lookup, so it can never create a record.
  if (Buffer.from(token, 'base64url').length !== TOKEN_BYTES) return undefined;
  for (const secret of secrets) {
    const expected = mac(token, secret);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return token;
  }
  return undefined;
}
