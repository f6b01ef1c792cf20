import DataLoader from 'dataloader';
import type { PrismaClient } from '../generated/prisma/client.js';

export interface SessionStats {
  activeSessionCount: number;
  lastSeenAt: Date | null;
}

export interface Loaders {
  /** Per user: live sessions and the latest activity among them; one query per request for any page size. */
  sessionStats: DataLoader<string, SessionStats>;
}

export function createLoaders(prisma: PrismaClient, now: () => Date = () => new Date()): Loaders {
  return {
    sessionStats: new DataLoader(async (userIds) => {
      const rows = await prisma.session.groupBy({
        by: ['userId'],
        where: { userId: { in: [...userIds] }, expiresAt: { gt: now() } },
        _count: { _all: true },
        _max: { lastSeenAt: true },
      });
      const byUser = new Map(rows.map((row) => [row.userId, row]));
      return userIds.map((id) => {
        const row = byUser.get(id);
        return {
          activeSessionCount: row?._count._all ?? 0,
          lastSeenAt: row?._max.lastSeenAt ?? null,
        };
      });
    }),
  };
}
