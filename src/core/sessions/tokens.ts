import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * Session tokens: 32 bytes from the CSPRNG. The cookie carries `<token>.<HMAC-SHA256(token)>`; the
 * database keeps only SHA-256(token), so a stolen dump cannot be replayed as cookies.
 */

const TOKEN_BYTES = 32;

export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export function hashToken(token: string): string {
  // The one-shot form: a third of createHash's cost, and it runs on every signed-in request.
  return hash('sha256', token, 'hex');
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

/**
 * Whether `text` is exactly how we write `bytes` bytes in base64url: no padding, no `+` or `/`, and no
 * stray bits in the last character. Node's decoder takes all of those, so without this several spellings
 * would decode to one signed value; with it, a value has one accepted form.
 */
export function isCanonicalBase64url(text: string, bytes: number): boolean {
  const decoded = Buffer.from(text, 'base64url');
  return decoded.length === bytes && decoded.toString('base64url') === text;
}

const MAC_BYTES = 32;

/** The token inside a cookie value whose signature verifies with any secret; undefined otherwise. */
export function verifySignedToken(value: string, secrets: readonly string[]): string | undefined {
  const dot = value.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const token = value.slice(0, dot);
  const signature = value.slice(dot + 1);
  // A forged value is rejected here, before any database lookup, so it can never create a record. Only
  // the spelling we issue verifies: one signed value has exactly one accepted form.
  if (!isCanonicalBase64url(token, TOKEN_BYTES) || !isCanonicalBase64url(signature, MAC_BYTES))
    return undefined;
  const given = Buffer.from(signature, 'base64url');
  for (const secret of secrets) {
    const expected = mac(token, secret);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return token;
  }
  return undefined;
}

/** A token whose signature verified, with the hash that the database and the session cache know it by. */
export interface VerifiedToken {
  token: string;
  hash: string;
}

function verified(value: string, secrets: readonly string[]): VerifiedToken | undefined {
  const token = verifySignedToken(value, secrets);
  return token === undefined ? undefined : { token, hash: hashToken(token) };
}

/**
 * verifySignedToken (and the token's hash) behind a bounded memo of the cookie values it has already
 * accepted. The key is the whole value, signature included, so a hit is the very string whose HMAC
 * verified in this process (with these secrets, which only change with a restart); a forged value never
 * hits, and failures are not kept, so they cannot crowd it. The HMAC and the SHA-256 are otherwise the
 * costliest steps of a signed-in request (bench: auth tax).
 */
export function memoizedVerifier(
  secrets: readonly string[],
  max: number,
): (value: string) => VerifiedToken | undefined {
  if (max <= 0) return (value) => verified(value, secrets);
  const accepted = new LRUCache<string, VerifiedToken>({ max });
  return (value) => {
    const known = accepted.get(value);
    if (known !== undefined) return known;
    const token = verified(value, secrets);
    if (token !== undefined) accepted.set(value, token);
    return token;
  };
}
