import type { Logger } from '../logger.js';
import { failureDetails } from './unavailable.js';

/**
 * Deletes rows that have outlived their use in small batches on a timer. Each batch is one short
 * statement on an index, so it never holds locks long enough to stall requests, and a backlog of
 * millions drains over several ticks instead of in one long transaction.
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

/**
 * `deleteBatch(limit)` deletes at most `limit` rows and says how many it deleted; `what` names them in
 * the log line of a failed tick.
 */
export function startBatchSweeper(
  what: string,
  deleteBatch: (limit: number) => Promise<number>,
  logger: Logger,
  options: SweeperOptions = {},
): Sweeper {
  const { intervalMs = 60_000, batchSize = 1_000, maxBatches = 20 } = options;
  let running: Promise<number> | undefined;
  let stopped = false;

  const tick = async (): Promise<number> => {
    let total = 0;
    for (let batch = 0; batch < maxBatches && !stopped; batch++) {
      const deleted = await deleteBatch(batchSize);
      total += deleted;
      if (deleted < batchSize) break;
    }
    return total;
  };

  const sweep = () => {
    running ??= tick()
      .catch((error: unknown) => {
        // The database may be away for a while; the next tick tries again.
        logger.warn(failureDetails(error), `${what} sweep failed`);
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
