import { uniqueViolation } from '../../db/errors.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';
import { NAME_SKELETON_MAX, nameSkeleton } from './validation.js';

/**
 * Gives the users written before name skeletons existed theirs, oldest first, a batch at a time so no
 * statement holds locks for long. Two older names that look alike cannot both keep a unique skeleton:
 * the older account keeps it, the newer stays without one (its own name still signs in) and is logged,
 * so an operator can rename it; the start goes on. Several instances may run this at once: every write
 * is conditional on the skeleton still being empty.
 */
export async function backfillNameSkeletons(
  prisma: PrismaClient,
  logger: Logger,
  batchSize = 500,
): Promise<number> {
  let filled = 0;
  let after: { createdAt: Date; id: string } | undefined;
  for (;;) {
    const rows = await prisma.user.findMany({
      where: {
        nameSkeleton: null,
        ...(after && {
          OR: [
            { createdAt: { gt: after.createdAt } },
            { createdAt: after.createdAt, id: { gt: after.id } },
          ],
        }),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: batchSize,
      select: { id: true, createdAt: true, name: true },
    });
    if (rows.length === 0) return filled;
    after = rows.at(-1);

    const wanted = rows.map((row) => ({ id: row.id, skeleton: nameSkeleton(row.name) }));
    const holders = new Map(
      (
        await prisma.user.findMany({
          where: { nameSkeleton: { in: wanted.map((row) => row.skeleton) } },
          select: { id: true, nameSkeleton: true },
        })
      ).map((user) => [user.nameSkeleton, user.id]),
    );
    for (const { id, skeleton } of wanted) {
      const holder = holders.get(skeleton);
      if (holder !== undefined || [...skeleton].length > NAME_SKELETON_MAX) {
        logger.warn(
          { userId: id, ...(holder && { lookAlikeOf: holder }) },
          holder
            ? `user ${id}'s name looks like older user ${holder}'s; it keeps no name skeleton (rename one of them)`
            : `user ${id}'s name is too long for a name skeleton; it keeps none`,
        );
        continue;
      }
      try {
        filled += (
          await prisma.user.updateMany({
            where: { id, nameSkeleton: null },
            data: { nameSkeleton: skeleton },
          })
        ).count;
        holders.set(skeleton, id);
      } catch (error) {
        // A sign-up or another instance took this skeleton after the look-up above.
        if (!uniqueViolation(error)) throw error;
        logger.warn(
          { userId: id },
          `user ${id}'s name looks like another user's; it keeps no name skeleton`,
        );
      }
    }
  }
}
