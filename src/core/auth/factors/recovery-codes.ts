import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../../db/db.js';

/**
 * Recovery codes: ten per account, each 60 random bits written as 12 characters of Crockford's base32
 * (`abcd-efgh-jkmn`), kept only as HMACs keyed with the server secret, each good once. They exist
 * whenever any second factor does, and stand in for it when the phone or the passkey is lost.
 */

const RECOVERY_CODE_COUNT = 10;
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const LENGTH = 12;
const FORMAT = /^[0-9a-hjkmnp-tv-z]{12}$/;

export class RecoveryCodes {
  /** `secrets`: the first keys new codes; all verify, so rotating SESSION_SECRET keeps codes good. */
  constructor(private readonly secrets: readonly string[]) {}

  /** Replaces the user's codes with ten new ones and returns them, the only time they exist in clear. */
  async replace(tx: Db, userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.recoveryCode.createMany({
      data: codes.map((code) => ({
        userId,
        codeHash: mac(this.secrets[0] as string, userId, normalise(code) ?? ''),
      })),
    });
    return codes;
  }

  /** Creates codes only when the user has none (a first factor arriving some other way). */
  async ensure(tx: Db, userId: string): Promise<void> {
    if ((await tx.recoveryCode.count({ where: { userId } })) === 0) await this.replace(tx, userId);
  }

  remove(tx: Db, userId: string): Promise<unknown> {
    return tx.recoveryCode.deleteMany({ where: { userId } });
  }

  /** Spends the code if it is one of the user's: true exactly once per code, however calls race. */
  async consume(db: Db, userId: string, input: string): Promise<boolean> {
    const code = normalise(input);
    if (!code) return false;
    const stored = await db.recoveryCode.findMany({
      where: { userId },
      select: { id: true, codeHash: true },
    });
    const candidates = this.secrets.map((secret) => Buffer.from(mac(secret, userId, code), 'hex'));
    // Every stored code is compared, in constant time, so the time taken says nothing of which matched.
    let match: string | undefined;
    for (const row of stored) {
      const hash = Buffer.from(row.codeHash, 'hex');
      for (const candidate of candidates)
        if (candidate.length === hash.length && timingSafeEqual(candidate, hash)) match = row.id;
    }
    if (!match) return false;
    // The delete decides: of parallel uses of one code exactly one removes the row.
    const { count } = await db.recoveryCode.deleteMany({ where: { id: match } });
    return count === 1;
  }
}

function newCode(): string {
  const bytes = randomBytes(LENGTH);
  // 256 is a multiple of 32, so each byte modulo 32 is uniform: 5 bits a character, 60 in all.
  const chars = [...bytes].map((byte) => ALPHABET[byte % 32]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/** As typed (any case, spaces or dashes, O for 0, I or L for 1) to the canonical form; null when not a code. */
function normalise(input: string): string | null {
  const code = input.toLowerCase().replace(/[\s-]/g, '').replace(/o/g, '0').replace(/[il]/g, '1');
  return FORMAT.test(code) ? code : null;
}

function mac(secret: string, userId: string, code: string): string {
  return createHmac('sha256', secret).update(`recovery-code:${userId}:${code}`).digest('hex');
}
