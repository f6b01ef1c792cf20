import { deviceName } from '../core/device-name.js';
import type { SecurityEvent as SecurityEventRow } from '../generated/prisma/client.js';
import { SecurityEventKind as SecurityEventKindValues } from '../generated/prisma/enums.js';
import { builder } from './builder.js';
import { prismaFor } from './context.js';
import {
  checkPageSize,
  decodeCursor,
  encodeCursor,
  PageInfo,
  type PageInfoShape,
} from './pagination.js';

/** The account's security log as its owner reads it: newest first, keyset-paginated on (at, id). */

export const SecurityEventKind = builder.enumType(SecurityEventKindValues, {
  name: 'SecurityEventKind',
});

export const SecurityEvent = builder.objectRef<SecurityEventRow>('SecurityEvent').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.expose('kind', { type: SecurityEventKind }),
    at: t.expose('at', { type: 'DateTime' }),
    ip: t.exposeString('ip', {
      nullable: true,
      description: "The actor's; null when an admin acted.",
    }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    deviceName: t.string({
      nullable: true,
      description:
        'Readable, from the user agent: "Chrome 131 on macOS"; null when not recognised.',
      resolve: (event) => deviceName(event.userAgent),
    }),
    sessionId: t.exposeID('sessionId', {
      nullable: true,
      description: 'The session it concerns, when there is one.',
    }),
  }),
});

interface EventEdge {
  cursor: string;
  node: SecurityEventRow;
}

const SecurityEventEdge = builder.objectRef<EventEdge>('SecurityEventEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: SecurityEvent, resolve: (edge) => edge.node }),
  }),
});

const SecurityEventConnection = builder
  .objectRef<{ edges: EventEdge[]; pageInfo: PageInfoShape }>('SecurityEventConnection')
  .implement({
    fields: (t) => ({
      edges: t.field({ type: [SecurityEventEdge], resolve: (c) => c.edges }),
      pageInfo: t.field({ type: PageInfo, resolve: (c) => c.pageInfo }),
    }),
  });

const cursorOf = (event: SecurityEventRow) => encodeCursor({ createdAt: event.at, id: event.id });

builder.queryFields((t) => ({
  securityEvents: t.withAuth({ signedIn: true }).field({
    type: SecurityEventConnection,
    description: "The viewer's own security log, newest first.",
    args: {
      first: t.arg.int({ required: false, defaultValue: 20 }),
      after: t.arg.string({ required: false }),
    },
    resolve: async (_root, args, context) => {
      const first = checkPageSize('first', args.first ?? 20);
      const position = args.after == null ? undefined : decodeCursor('after', args.after);
      const { rows, hasMore } = await context.services.events.page(prismaFor(context), {
        userId: context.viewer.user.id,
        first,
        after: position && { at: position.createdAt, id: position.id },
      });
      const edges = rows.map((node) => ({ cursor: cursorOf(node), node }));
      return {
        edges,
        pageInfo: {
          hasNextPage: hasMore,
          hasPreviousPage: position !== undefined,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  }),
}));
