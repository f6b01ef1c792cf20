import { failureDetails } from '../../db/unavailable.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';

/**
 * Deletes expired sessions in small batches on a timer. Each batch is one short statement on the
 * expires_at index, so it never holds locks long enough to stall requests, and a backlog of millions
 * drains over several ticks instead of in one long transaction. Expired rows are already refused by
 * SessionStore (and by the cache, which checks expiry on every hit); this only reclaims space.
 */

export interface SweeperOptions {
  /** @default 60s */
  intervalMs?: number;
  /** Rows per statement. @default 1000 */
  batchSize?: number;
  /** Statements per tick, so one tick stays short. @default 20 */
  maxBatches?: number;
}

export interface Sweeper {
  /** One tick now; resolves with how many rows went. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

export function startSweeper(
  prisma: PrismaClient,
  logger: Logger,
  options: SweeperOptions = {},
): Sweeper {
  const { intervalMs = 60_000, batchSize = 1_000, maxBatches = 20 } = options;
  let running: Promise<number> | undefined;
  let stopped = false;

  const tick = async (): Promise<number> => {
    let total = 0;
    for (let batch = 0; batch < maxBatches && !stopped; batch++) {
      const deleted = await prisma.$executeRaw`
        DELETE FROM sessions WHERE id IN (
          SELECT id FROM sessions WHERE expires_at < now() ORDER BY expires_at LIMIT ${batchSize}
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
        logger.warn(failureDetails(error), 'expired-session sweep failed');
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
