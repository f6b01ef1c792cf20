import { randomBytes } from 'node:crypto';
import type { TestClient } from './client.js';
import { SIGN_IN, SIGN_UP } from './operations.js';

export { CURRENT_SESSION, ME, SESSIONS, SIGN_IN, SIGN_UP } from './operations.js';

/** The fields of test/support/operations.ts's fragments, for documents a test builds itself. */
export const USER_FIELDS = 'id name displayName email createdAt activeSessionCount lastSeenAt';
export const SESSION_FIELDS = 'id createdAt lastSeenAt expiresAt keepSignedIn userAgent ip current';
export const AUTH_PAYLOAD = `user { ${USER_FIELDS} } session { ${SESSION_FIELDS} }`;

export interface Account {
  name: string;
  email: string;
  password: string;
}

export function newAccount(overrides: Partial<Account> = {}): Account {
  const tag = randomBytes(4).toString('hex');
  return {
    name: `user_${tag}`,
    email: `user_${tag}@example.test`,
    password: `pw-${tag}-long-enough`,
    ...overrides,
  };
}

/** Signs a fresh account up through the API; throws if the server refuses. */
export async function signUp(
  client: TestClient,
  overrides: Partial<Account> & { keepSignedIn?: boolean } = {},
) {
  const { keepSignedIn, ...rest } = overrides;
  const account = newAccount(rest);
  const response = await client.request(SIGN_UP, {
    input: { ...account, ...(keepSignedIn === undefined ? {} : { keepSignedIn }) },
  });
  if (!response.data?.signUp) throw new Error(`signUp failed: ${JSON.stringify(response.errors)}`);
  return { account, ...response.data.signUp, response };
}

export async function signIn(
  client: TestClient,
  by: { name?: string; email?: string; password: string; keepSignedIn?: boolean },
) {
  return client.request(SIGN_IN, { input: by });
}

/** Abuse limits high enough that a test file's own traffic (one IP, many sign-ins) is never throttled. */
export const UNLIMITED = {
  RATE_LIMIT_SIGNIN_ACCOUNT: '100000',
  RATE_LIMIT_SIGNIN_IP: '100000',
  RATE_LIMIT_SIGNUP_IP: '100000',
  // Every test request comes from one address: its share of the hasher must not shed them.
  PASSWORD_HASH_PER_CLIENT: '100000',
};
