import { type Sweeper, type SweeperOptions, startBatchSweeper } from '../../db/batch-sweeper.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';

/**
 * Deletes expired sessions in small batches on the expires_at index. Expired rows are already refused
 * by SessionStore (and by the cache, which checks expiry on every hit); this only reclaims space.
 */

export type { Sweeper, SweeperOptions };

export function startSweeper(
  prisma: PrismaClient,
  logger: Logger,
  options: SweeperOptions = {},
): Sweeper {
  return startBatchSweeper(
    'expired-session',
    (limit) => prisma.$executeRaw`
      DELETE FROM sessions WHERE id IN (
        SELECT id FROM sessions WHERE expires_at < now() ORDER BY expires_at LIMIT ${limit}
      )`,
    logger,
    options,
  );
}
