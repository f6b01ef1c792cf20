import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets the server must read back (a TOTP key), sealed with AES-256-GCM under a key derived from
 * SESSION_SECRET. Each ciphertext names the key that sealed it, so adding a new secret in front keeps
 * every stored one readable, and it is bound to the row it belongs to (`context`), so a ciphertext
 * copied onto another user's row does not open there.
 */

const VERSION = 'v1';

interface Key {
  id: string;
  key: Buffer;
}

export class SecretBox {
  private readonly keys: Key[];

  /** `secrets`: the first seals; all open. `purpose` separates the keys of different uses. */
  constructor(secrets: readonly string[], purpose: string) {
    if (secrets.length === 0) throw new Error('no secret to seal with');
    this.keys = secrets.map((secret) => {
      const key = Buffer.from(hkdfSync('sha256', secret, '', `sessiongraph ${purpose}`, 32));
      // A public name for the key: a hash of it, short, and no help in finding it.
      const id = createHash('sha256').update(key).digest('base64url').slice(0, 8);
      return { id, key };
    });
  }

  seal(plain: Uint8Array, context: string): string {
    const { id, key } = this.keys[0] as Key;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    return [
      VERSION,
      id,
      ...[iv, cipher.getAuthTag(), sealed].map((b) => b.toString('base64url')),
    ].join('.');
  }

  /** The plain bytes, or undefined when no configured secret opens it (sealed with a retired one). */
  open(sealed: string, context: string): Uint8Array | undefined {
    const [version, id, iv, tag, data] = sealed.split('.');
    const found = this.keys.find((candidate) => candidate.id === id);
    if (version !== VERSION || !found || !iv || !tag || data === undefined) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', found.key, Buffer.from(iv, 'base64url'), {
        // Only a full tag: a truncated one would be easier to forge.
        authTagLength: 16,
      });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return new Uint8Array(
        Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]),
      );
    } catch {
      return undefined;
    }
  }
}
