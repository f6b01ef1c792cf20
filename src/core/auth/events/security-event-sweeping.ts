import { type Sweeper, type SweeperOptions, startBatchSweeper } from '../../../db/batch-sweeper.js';
import type { PrismaClient } from '../../../generated/prisma/client.js';
import type { Logger } from '../../../logger.js';

/**
 * Deletes security events older than SECURITY_EVENT_RETENTION, in small batches on the `at` index, as
 * expired sessions are swept (../sessions/sweeping.ts).
 */

export interface EventSweeperOptions extends SweeperOptions {
  retentionMs: number;
  /** The clock the retention is measured by (tests move it). */
  now?: () => Date;
}

export type EventSweeper = Sweeper;

export function startEventSweeper(
  prisma: PrismaClient,
  logger: Logger,
  { retentionMs, now = () => new Date(), ...options }: EventSweeperOptions,
): EventSweeper {
  return startBatchSweeper(
    'security-event',
    (limit) => {
      const cutoff = new Date(now().getTime() - retentionMs);
      return prisma.$executeRaw`
        DELETE FROM security_events WHERE id IN (
          SELECT id FROM security_events WHERE at < ${cutoff} ORDER BY at LIMIT ${limit}
        )`;
    },
    logger,
    options,
  );
}
