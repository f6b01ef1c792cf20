import { isUuid } from '../db/uuid.js';
import { badInput } from '../errors.js';
import { builder } from './builder.js';

export interface PageInfoShape {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export const PageInfo = builder.objectRef<PageInfoShape>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage'),
    startCursor: t.exposeString('startCursor', { nullable: true }),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

/** Keyset position (createdAt, id): stable under inserts, unlike offsets. Opaque to clients. */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

export function encodeCursor({ createdAt, id }: KeysetPosition): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

// Only the form encodeCursor writes, years 0001-9999: any other date JavaScript accepts (year 0, BC,
// +275760) would reach the database, which refuses some of them with an error of its own.
const ISO_DATE = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function decodeCursor(field: string, cursor: string): KeysetPosition {
  try {
    const [iso, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof iso === 'string' && ISO_DATE.test(iso) && typeof id === 'string' && isUuid(id)) {
      const createdAt = new Date(iso);
      // Round-trips only when every part is in range (no 2024-02-30).
      if (!Number.isNaN(createdAt.getTime()) && createdAt.toISOString() === iso)
        return { createdAt, id };
    }
  } catch {}
  throw badInput(field, 'The cursor is not valid.');
}

export const PAGE_MIN = 1;
export const PAGE_MAX = 100;

export function checkPageSize(field: string, first: number): number {
  if (first < PAGE_MIN || first > PAGE_MAX)
    throw badInput(field, `"${field}" must be between ${PAGE_MIN} and ${PAGE_MAX}.`);
  return first;
}
