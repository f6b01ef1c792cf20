import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The `id` forget-password answers and reset-password takes back. The seed answered the user's id,
 * which told whether the address had an account; this id names the request instead: the address and
 * the time of asking, sealed with AES-256-GCM under a key derived from SESSION_SECRET, with a fresh IV
 * each time. Known and unknown addresses get ids alike, nothing is stored, any instance can open it,
 * and it cannot be forged or read. The reset itself is the core's, by address, as in GraphQL.
 */

const IV_BYTES = 12;
const TAG_BYTES = 16;
const ID_FORMAT = /^[A-Za-z0-9_-]{40,700}$/;

/** One key per secret, labelled for this use only: no other MAC or cipher of ours shares it. */
const keyOf = (secret: string) =>
  Buffer.from(hkdfSync('sha256', secret, '', 'sessiongraph rest reset-request id', 32));

export interface ResetRequestIdOptions {
  /** The first seals; all open, so rotating SESSION_SECRET does not void ids in flight. */
  secrets: readonly string[];
  /** OTP_TTL: an id lives as long as the code its request mailed. */
  ttlMs: number;
  now: () => Date;
}

export function resetRequestIds({ secrets, ttlMs, now }: ResetRequestIdOptions) {
  const keys = secrets.map(keyOf);
  return {
    issue(email: string): string {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keys[0] as Buffer, iv);
      const payload = JSON.stringify([now().getTime(), email]);
      const sealed = Buffer.concat([cipher.update(payload, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
    },
    /** The address the request was for, or undefined for an id that is forged, mangled or expired. */
    open(id: string): string | undefined {
      if (!ID_FORMAT.test(id)) return undefined;
      const raw = Buffer.from(id, 'base64url');
      const iv = raw.subarray(0, IV_BYTES);
      const sealed = raw.subarray(IV_BYTES, raw.length - TAG_BYTES);
      const tag = raw.subarray(raw.length - TAG_BYTES);
      for (const key of keys) {
        try {
          const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
          decipher.setAuthTag(tag);
          const payload = Buffer.concat([decipher.update(sealed), decipher.final()]).toString();
          const [issuedAt, email] = JSON.parse(payload) as [number, string];
          const age = now().getTime() - issuedAt;
          return age >= 0 && age <= ttlMs ? email : undefined;
        } catch {}
      }
      return undefined;
    },
  };
}

export type ResetRequestIds = ReturnType<typeof resetRequestIds>;
