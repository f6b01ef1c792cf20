import { deviceName } from '../core/device-name.js';
import { AppError } from '../errors.js';
import { AuthMethod as AuthMethodValues } from '../generated/prisma/enums.js';
import { builder } from './builder.js';
import { type Context, setViewer } from './context.js';

export const AuthMethod = builder.enumType(AuthMethodValues, { name: 'AuthMethod' });

export const Session = builder.prismaObject('Session', {
  fields: (t) => ({
    id: t.exposeID('id', { description: 'A public id; never the cookie token.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastSeenAt: t.expose('lastSeenAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    keepSignedIn: t.exposeBoolean('keepSignedIn'),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    ip: t.exposeString('ip', { nullable: true }),
    authenticatedAt: t.expose('authenticatedAt', {
      type: 'DateTime',
      description: 'When a credential was last proven in this session.',
    }),
    methods: t.expose('methods', {
      type: [AuthMethod],
      description: 'The credentials proven for this session, e.g. [PASSWORD, TOTP].',
    }),
    deviceName: t.string({
      nullable: true,
      description:
        'Readable, from the user agent: "Chrome 131 on macOS"; null when not recognised.',
      resolve: (session) => deviceName(session.userAgent),
    }),
    current: t.boolean({
      description: 'True for the session that made this request.',
      resolve: (session, _args, { viewer }) => viewer?.session.id === session.id,
    }),
    user: t.relation('user'),
  }),
});

/** The viewer's session with its user attached, so `session { user }` needs no further query. */
const currentSession = ({ viewer }: Context) =>
  viewer ? { ...viewer.session, user: viewer.user } : null;

builder.queryFields((t) => ({
  session: t.field({
    type: Session,
    nullable: true,
    description: 'The current session; null when signed out.',
    resolve: (_root, _args, context) => currentSession(context),
  }),
  sessions: t.withAuth({ signedIn: true }).prismaField({
    type: [Session],
    description: "The viewer's live sessions, most recently seen first.",
    resolve: (query, _root, _args, { viewer, services }) =>
      services.sessions.listLive(viewer.user.id, query),
  }),
}));

builder.mutationFields((t) => ({
  refreshSession: t.withAuth({ signedIn: true }).field({
    type: Session,
    description: 'A new token and expiry for the current session.',
    resolve: async (_root, _args, context) => {
      const { viewer, services, cookie } = context;
      const rotated = await services.sessions.rotate(viewer.session);
      if (!rotated) throw new AppError('UNAUTHENTICATED');
      cookie.set(rotated.token, services.sessions.cookieMaxAge(rotated.session));
      setViewer(context, { user: viewer.user, session: rotated.session });
      return { ...rotated.session, user: viewer.user };
    },
  }),
  revokeSession: t.withAuth({ signedIn: true }).boolean({
    description: "Ends one of the viewer's own sessions.",
    args: { id: t.arg.id() },
    resolve: async (_root, { id }, { viewer, services, cookie, client }) => {
      const ended = await services.ownSessions.revoke(viewer.user.id, String(id), client);
      if (!ended) throw new AppError('NOT_FOUND');
      if (String(id) === viewer.session.id) cookie.clear();
      return true;
    },
  }),
  revokeOtherSessions: t.withAuth({ signedIn: true }).int({
    description: 'Ends every other session of the viewer; returns how many.',
    resolve: (_root, _args, { viewer, services, client }) =>
      services.ownSessions.revokeOthers(viewer.user.id, viewer.session.id, client),
  }),
}));
