import { describe, expect, it } from 'vitest';
import { hashToken, memoizedVerifier, newToken, signToken } from './tokens.js';

describe('memoizedVerifier', () => {
  const secrets = ['first-secret-0123456789-abcdefghijkl', 'older-secret-0123456789-abcdefghijkl'];

  it('accepts a signed value again from memory, and never the same token with another signature', () => {
    const verify = memoizedVerifier(secrets, 10);
    const token = newToken();
    const value = signToken(token, secrets);
    const accepted = { token, hash: hashToken(token) };
    expect(verify(value)).toEqual(accepted);
    expect(verify(value)).toEqual(accepted);
    const signature = value.slice(value.lastIndexOf('.') + 1);
    const forged = `${token}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect(verify(forged)).toBeUndefined();
    expect(verify(signToken(token, ['a-secret-this-process-does-not-have-000']))).toBeUndefined();
    // Still accepted after the failures: they were not kept, nor did they displace it.
    expect(verify(value)).toEqual(accepted);
  });

  it('verifies values signed with an older secret, and works with the memo off', () => {
    const token = newToken();
    const olderValue = signToken(token, [secrets[1] as string]);
    expect(memoizedVerifier(secrets, 10)(olderValue)?.token).toBe(token);
    expect(memoizedVerifier(secrets, 0)(olderValue)?.token).toBe(token);
    expect(memoizedVerifier(secrets, 0)(`${token}.x`)).toBeUndefined();
  });
});
