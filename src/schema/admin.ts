import { isUuid } from '../db/uuid.js';
import { badInput } from '../errors.js';
import { builder } from './builder.js';
import { prismaFor, setViewer } from './context.js';
import { requireRecentAuthentication } from './reauthentication.js';
import { Session } from './session.js';
import { User } from './user.js';

/**
 * Admin fields: any user by id, their sessions, and disabling, enabling and signing them out. Every
 * mutation needs recent authentication, checked before anything changes.
 */

const DisableUserInput = builder.inputType('DisableUserInput', {
  fields: (t) => ({
    userId: t.id(),
    until: t.field({
      type: 'DateTime',
      required: false,
      description: 'When the disabling ends; null: until enableUser.',
    }),
    reason: t.string({ required: false, description: 'Kept for audit; up to 500 characters.' }),
  }),
});

builder.queryFields((t) => ({
  user: t.prismaField({
    type: User,
    nullable: true,
    description: "Any user, for admins; the viewer's own for everyone else (FORBIDDEN otherwise).",
    args: { id: t.arg.id() },
    authScopes: (_root, args) => ({ admin: true, self: String(args.id) }),
    resolve: (query, _root, args, context) => {
      const id = String(args.id);
      // Not a UUID is no user; asking the database would only earn a type error.
      if (!isUuid(id)) return null;
      return prismaFor(context).user.findUnique({ ...query, where: { id } });
    },
  }),
  userSessions: t.withAuth({ admin: true }).prismaField({
    type: [Session],
    description: "A user's live sessions, most recently seen first (admins).",
    args: { userId: t.arg.id() },
    resolve: (query, _root, args, { services }) => {
      const userId = String(args.userId);
      if (!isUuid(userId)) throw badInput('userId', 'That is not a user id.');
      return services.sessions.listLive(userId, query);
    },
  }),
}));

builder.mutationFields((t) => ({
  disableUser: t.withAuth({ admin: true }).field({
    type: User,
    description:
      'Disables the account (until `until`, or until enableUser) and ends its sessions on every instance.',
    args: { input: t.arg({ type: DisableUserInput }) },
    resolve: (_root, { input }, context) => {
      requireRecentAuthentication(context);
      return context.services.admin.disableUser(context.viewer.user, {
        userId: String(input.userId),
        until: input.until ?? null,
        reason: input.reason ?? null,
      });
    },
  }),
  enableUser: t.withAuth({ admin: true }).field({
    type: User,
    description: 'Enables a disabled account again.',
    args: { userId: t.arg.id() },
    resolve: (_root, { userId }, context) => {
      requireRecentAuthentication(context);
      return context.services.admin.enableUser(context.viewer.user, String(userId));
    },
  }),
  revokeUserSessions: t.withAuth({ admin: true }).int({
    description: 'Ends every session of the user on every instance; returns how many.',
    args: { userId: t.arg.id() },
    resolve: async (_root, { userId }, context) => {
      requireRecentAuthentication(context);
      const ended = await context.services.admin.revokeUserSessions(
        context.viewer.user,
        String(userId),
      );
      // An admin who signed themself out is signed out for the rest of this request too.
      if (String(userId) === context.viewer.user.id) {
        context.cookie.clear();
        setViewer(context, null);
      }
      return ended;
    },
  }),
}));
