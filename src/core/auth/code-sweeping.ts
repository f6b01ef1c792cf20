import { type Sweeper, type SweeperOptions, startBatchSweeper } from '../../db/batch-sweeper.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
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
      // ctid: the tables' keys differ (a user, a user and a purpose, an id); a row's place does not.
      const [row] = await prisma.$queryRaw<{ deleted: number }[]>`
        WITH reset AS (
          DELETE FROM password_reset_codes WHERE ctid IN (
            SELECT ctid FROM password_reset_codes WHERE expires_at < ${at} LIMIT ${limit})
          RETURNING 1
        ), email AS (
          DELETE FROM email_codes WHERE ctid IN (
            SELECT ctid FROM email_codes WHERE expires_at < ${at} LIMIT ${limit})
          RETURNING 1
        ), revert AS (
          DELETE FROM email_change_reverts WHERE ctid IN (
            SELECT ctid FROM email_change_reverts WHERE expires_at < ${at} LIMIT ${limit})
          RETURNING 1
        ), factor AS (
          DELETE FROM second_factor_challenges WHERE ctid IN (
            SELECT ctid FROM second_factor_challenges WHERE expires_at < ${at} LIMIT ${limit})
          RETURNING 1
        ), passkey AS (
          DELETE FROM webauthn_challenges WHERE ctid IN (
            SELECT ctid FROM webauthn_challenges WHERE expires_at < ${at} LIMIT ${limit})
          RETURNING 1
        )
        SELECT ((SELECT count(*) FROM reset) + (SELECT count(*) FROM email) +
                (SELECT count(*) FROM revert) + (SELECT count(*) FROM factor) +
                (SELECT count(*) FROM passkey))::int AS deleted`;
      return row?.deleted ?? 0;
    },
    logger,
    { intervalMs, ...options },
  );
}
