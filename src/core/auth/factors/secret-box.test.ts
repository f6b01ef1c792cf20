import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.js';

const OLD = 'old-secret-0123456789-abcdefghijklmnop';
const NEW = 'new-secret-0123456789-abcdefghijklmnop';
const key = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

describe('SecretBox', () => {
  it('opens what it sealed, and the ciphertext does not contain the plain bytes', () => {
    const box = new SecretBox([OLD], 'totp secret');
    const sealed = box.seal(key, 'totp:user-a');
    expect(sealed).not.toContain(Buffer.from(key).toString('base64url'));
    expect(box.open(sealed, 'totp:user-a')).toEqual(key);
  });

  it('keeps stored secrets readable when a new SESSION_SECRET is put in front, and seals with the new one', () => {
    const sealed = new SecretBox([OLD], 'totp secret').seal(key, 'totp:user-a');
    const rotated = new SecretBox([NEW, OLD], 'totp secret');
    expect(rotated.open(sealed, 'totp:user-a')).toEqual(key);
    const resealed = rotated.seal(key, 'totp:user-a');
    // Each ciphertext names its key: the new one is not the old one's.
    expect(resealed.split('.')[1]).not.toBe(sealed.split('.')[1]);
    expect(new SecretBox([OLD], 'totp secret').open(resealed, 'totp:user-a')).toBeUndefined();
  });

  it('does not open on another row, for another purpose, or once its secret is retired', () => {
    const sealed = new SecretBox([OLD], 'totp secret').seal(key, 'totp:user-a');
    expect(new SecretBox([OLD], 'totp secret').open(sealed, 'totp:user-b')).toBeUndefined();
    expect(new SecretBox([OLD], 'other purpose').open(sealed, 'totp:user-a')).toBeUndefined();
    expect(new SecretBox([NEW], 'totp secret').open(sealed, 'totp:user-a')).toBeUndefined();
  });
});
