import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from './client.js';
import { authenticationFailure } from './unavailable.js';

export class DatabaseUnreachableError extends Error {
  override name = 'DatabaseUnreachableError';
}

/** The database refused DATABASE_URL's credentials: thrown at the first attempt, without waiting. */
export class DatabaseAuthenticationError extends Error {
  override name = 'DatabaseAuthenticationError';
}

/**
 * Retries a trivial query until it answers or `waitMs` has passed; refused credentials end it at once.
 * Errors name the host, never the password.
 */
export async function waitForDatabase(
  db: Database,
  waitMs: number,
  onRetry?: (attempt: number) => void,
): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await db.prisma.$queryRaw`SELECT 1`;
      return;
    } catch (error) {
      // A database that is starting or restarting refuses connections; one that rejects the password
      // will reject it for the whole of DB_WAIT.
      const refused = authenticationFailure(error);
      if (refused) {
        throw new DatabaseAuthenticationError(
          `DATABASE_URL: ${db.location} refused its credentials: ${refused}`,
        );
      }
      if (Date.now() >= deadline) {
        // Prisma's message opens with a blank line and ends with the driver's reason: keep that last line.
        const reason =
          error instanceof Error
            ? error.message
                .split('\n')
                .filter((line) => line.trim())
                .at(-1)
            : String(error);
        throw new DatabaseUnreachableError(
          `Cannot reach ${db.location} after ${Math.round(waitMs / 1000)}s: ${redactUrls(reason ?? '')}`,
        );
      }
      onRetry?.(attempt);
      await sleep(Math.min(1_000, Math.max(0, deadline - Date.now())));
    }
  }
}

const redactUrls = (text: string) => text.replace(/(\w+:\/\/)[^@\s/]+@/g, '$1***@');
