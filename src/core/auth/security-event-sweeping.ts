import { failureDetails } from '../../db/unavailable.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';

/**
 * Deletes security events older than SECURITY_EVENT_RETENTION, as expired sessions are swept
 * (../sessions/sweeping.ts): small batches on the `at` index, a bounded number per tick, so a backlog
 * drains over several ticks and no statement holds locks long enough to stall a request.
 */

export interface EventSweeperOptions {
  retentionMs: number;
  /** The clock the retention is measured by (tests move it). */
  now?: () => Date;
  /** @default 60s */
  intervalMs?: number;
  /** Rows per statement. @default 1000 */
  batchSize?: number;
  /** Statements per tick. @default 20 */
  maxBatches?: number;
}

export interface EventSweeper {
  /** One tick now; resolves with how many events went. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

export function startEventSweeper(
  prisma: PrismaClient,
  logger: Logger,
  options: EventSweeperOptions,
): EventSweeper {
  const {
    retentionMs,
    now = () => new Date(),
    intervalMs = 60_000,
    batchSize = 1_000,
    maxBatches = 20,
  } = options;
  let running: Promise<number> | undefined;
  let stopped = false;

  const tick = async (): Promise<number> => {
    const cutoff = new Date(now().getTime() - retentionMs);
    let total = 0;
    for (let batch = 0; batch < maxBatches && !stopped; batch++) {
      const deleted = await prisma.$executeRaw`
        DELETE FROM security_events WHERE id IN (
          SELECT id FROM security_events WHERE at < ${cutoff} ORDER BY at LIMIT ${batchSize}
        )`;
      total += deleted;
      if (deleted < batchSize) break;
    }
    return total;
  };

  const sweep = () => {
    running ??= tick()
      .catch((error: unknown) => {
        // The database may be away for a while; the next tick tries again.
        logger.warn(failureDetails(error), 'security-event sweep failed');
        return 0;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const timer = setInterval(() => void sweep(), intervalMs);
  timer.unref();

  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
