import { Prisma } from '../generated/prisma/client.js';

/**
 * The columns (or index name) of a unique-constraint violation, or undefined for any other error.
 * Prisma reports them in `meta.target` natively and under `meta.driverAdapterError` with adapters.
 */
export function uniqueViolation(error: unknown): string | undefined {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002')
    return undefined;
  const meta = error.meta ?? {};
  const target = meta.target ?? findConstraint(meta.driverAdapterError);
  return Array.isArray(target) ? target.join(',') : String(target ?? error.message);
}

function findConstraint(adapterError: unknown): unknown {
  if (typeof adapterError !== 'object' || adapterError === null) return undefined;
  const cause = (adapterError as { cause?: { constraint?: { fields?: unknown; index?: unknown } } })
    .cause;
  return cause?.constraint?.fields ?? cause?.constraint?.index;
}
