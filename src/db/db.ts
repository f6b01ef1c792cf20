import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

/** The client, or a transaction of it: code that writes takes either, so callers choose the transaction. */
export type Db = PrismaClient | Prisma.TransactionClient;
