import { type Sweeper, type SweeperOptions, startBatchSweeper } from '../../db/batch-sweeper.js';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';

/**
 * Deletes expired one-time secrets: reset codes, e-mail codes, the undo links of e-mail changes, and the
 * challenges of the second step and of passkeys. Each is refused once expired when it is read; this only
 * reclaims space, in small batches on each table's expires_at index, as expired sessions are swept
 * (../sessions/sweeping.ts). The tables share one statement and a slow tick: an idle instance's cost
 * stays low (bench: idle).
 */

export interface CodeSweeperOptions extends SweeperOptions {
  /** The clock expiry is measured by (tests move it). */
  now?: () => Date;
}

export const CODE_SWEEP_INTERVAL_MS = 5 * 60_000;

/** Every table of one-time secrets; each has an expires_at index. */
const TABLES = [
  'password_reset_codes',
  'email_codes',
  'email_change_reverts',
  'second_factor_challenges',
  'webauthn_challenges',
].map((name) => Prisma.raw(name));

export function startCodeSweeper(
  prisma: PrismaClient,
  logger: Logger,
  {
    now = () => new Date(),
    intervalMs = CODE_SWEEP_INTERVAL_MS,
    ...options
  }: CodeSweeperOptions = {},
): Sweeper {
  return startBatchSweeper(
    'expired-code',
    async (limit) => {
      const at = now();
      // One CTE per table, at most `limit` rows each. By ctid: the tables' keys differ (a user, a user
      // and a purpose, an id), a row's place does not.
      const deletes = TABLES.map(
        (table, i) => Prisma.sql`${Prisma.raw(`t${i}`)} AS (
          DELETE FROM ${table} WHERE ctid IN (
            SELECT ctid FROM ${table} WHERE expires_at < ${at} LIMIT ${limit})
          RETURNING 1)`,
      );
      const counts = TABLES.map((_, i) => Prisma.raw(`(SELECT count(*) FROM t${i})`));
      const [row] = await prisma.$queryRaw<{ deleted: number }[]>`
        WITH ${Prisma.join(deletes)}
        SELECT (${Prisma.join(counts, ' + ')})::int AS deleted`;
      return row?.deleted ?? 0;
    },
    logger,
    { intervalMs, ...options },
  );
}
