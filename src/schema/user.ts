import { isDisabled } from '../core/auth/account-state.js';
import type { User as UserRow } from '../generated/prisma/client.js';
import { Role as RoleValues } from '../generated/prisma/enums.js';
import { builder } from './builder.js';
import { prismaFor } from './context.js';
import { checkPageSize, decodeCursor, encodeCursor, PageInfo } from './pagination.js';

export const Role = builder.enumType(RoleValues, { name: 'Role' });

/**
 * The scopes of a user's private fields (`role`, and the account state of part two): that user and
 * admins read them; anyone else gets FORBIDDEN, since `users` may be open to every signed-in user.
 */
export const ownerOrAdmin = (user: Pick<UserRow, 'id'>) => ({ self: user.id, admin: true });

export const User = builder.prismaObject('User', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    displayName: t.exposeString('displayName', { nullable: true }),
    email: t.exposeString('email'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    activeSessionCount: t.int({
      resolve: async (user, _args, { loaders }) =>
        (await loaders.sessionStats.load(user.id)).activeSessionCount,
    }),
    lastSeenAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: async (user, _args, { loaders }) =>
        (await loaders.sessionStats.load(user.id)).lastSeenAt,
    }),
    role: t.expose('role', { type: Role, authScopes: ownerOrAdmin }),
    emailVerified: t.boolean({
      authScopes: ownerOrAdmin,
      resolve: (user) => user.emailVerifiedAt !== null,
    }),
    twoFactorEnabled: t.boolean({
      description: 'A TOTP authenticator or a passkey is enrolled.',
      authScopes: ownerOrAdmin,
      resolve: (user) => user.secondFactors.length > 0,
    }),
    disabled: t.boolean({
      description: 'An admin disabled the account (for now, or until disabledUntil).',
      authScopes: ownerOrAdmin,
      resolve: (user, _args, { services }) => isDisabled(user, services.now()),
    }),
    disabledUntil: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the disabling ends; null when enabled or disabled until enabled again.',
      authScopes: ownerOrAdmin,
      resolve: (user, _args, { services }) =>
        isDisabled(user, services.now()) ? user.disabledUntil : null,
    }),
  }),
});

const UserEdge = builder.objectRef<{ cursor: string; node: UserRow }>('UserEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: User, resolve: (edge) => edge.node }),
  }),
});

const UserConnection = builder
  .objectRef<{
    edges: { cursor: string; node: UserRow }[];
    pageInfo: typeof PageInfo.$inferType;
    totalCount: () => Promise<number>;
  }>('UserConnection')
  .implement({
    fields: (t) => ({
      edges: t.field({ type: [UserEdge], resolve: (c) => c.edges }),
      pageInfo: t.field({ type: PageInfo, resolve: (c) => c.pageInfo }),
      // Counted only when asked for.
      totalCount: t.int({ resolve: (c) => c.totalCount() }),
    }),
  });

builder.queryFields((t) => ({
  me: t.field({
    type: User,
    nullable: true,
    description: 'The signed-in user; null when signed out.',
    resolve: (_root, _args, { viewer }) => viewer?.user ?? null,
  }),
  users: t.field({
    type: UserConnection,
    description: 'Every user, oldest first. Admins only, unless USERS_QUERY_ACCESS=signed-in.',
    // Everyone's e-mail and activity are no business of a stranger's; the open directory is opt-in.
    authScopes: (_root, _args, { services }) =>
      services.config.usersQueryAccess === 'signed-in' ? { signedIn: true } : { admin: true },
    args: {
      first: t.arg.int({ required: false, defaultValue: 50 }),
      after: t.arg.string({ required: false }),
    },
    resolve: async (_root, args, context) => {
      const first = checkPageSize('first', args.first ?? 50);
      const after = args.after == null ? undefined : decodeCursor('after', args.after);
      const prisma = prismaFor(context);
      const rows = await prisma.user.findMany({
        where: after && {
          OR: [
            { createdAt: { gt: after.createdAt } },
            { createdAt: after.createdAt, id: { gt: after.id } },
          ],
        },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: first + 1,
      });
      const edges = rows.slice(0, first).map((node) => ({ cursor: encodeCursor(node), node }));
      return {
        edges,
        pageInfo: {
          hasNextPage: rows.length > first,
          hasPreviousPage: after !== undefined,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
        totalCount: () => prisma.user.count(),
      };
    },
  }),
}));
