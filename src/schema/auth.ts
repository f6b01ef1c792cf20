import type { SignedIn } from '../core/auth/accounts.js';
import type { Session as SessionRow, User as UserRow } from '../generated/prisma/client.js';
import { builder } from './builder.js';
import { type Context, setViewer, signInClient } from './context.js';
import { Session } from './session.js';
import { User } from './user.js';

export const AuthPayload = builder
  .objectRef<{ user: UserRow; session: SessionRow }>('AuthPayload')
  .implement({
    fields: (t) => ({
      user: t.field({ type: User, resolve: (p) => p.user }),
      session: t.field({ type: Session, resolve: (p) => ({ ...p.session, user: p.user }) }),
    }),
  });

const SignUpInput = builder.inputType('SignUpInput', {
  fields: (t) => ({
    name: t.string(),
    email: t.string(),
    password: t.string(),
    displayName: t.string({ required: false }),
    keepSignedIn: t.boolean({ required: false, defaultValue: false }),
  }),
});

const SignInInput = builder.inputType('SignInInput', {
  description: 'Exactly one of name or email.',
  fields: (t) => ({
    name: t.string({ required: false }),
    email: t.string({ required: false }),
    password: t.string(),
    keepSignedIn: t.boolean({ required: false, defaultValue: false }),
  }),
});

const ChangePasswordInput = builder.inputType('ChangePasswordInput', {
  fields: (t) => ({ currentPassword: t.string(), newPassword: t.string() }),
});

/** Makes the new session this request's own: the cookie to send, and the viewer for later fields. */
export function adoptSession(context: Context, signedIn: SignedIn) {
  context.cookie.set(signedIn.token, context.services.sessions.cookieMaxAge(signedIn.session));
  // This browser proved it holds the account: from now on the account's lockout does not refuse it.
  context.cookie.rememberDevice(signedIn.user.id);
  setViewer(context, { user: signedIn.user, session: signedIn.session });
  return { user: signedIn.user, session: signedIn.session };
}

builder.mutationFields((t) => ({
  signUp: t.field({
    type: AuthPayload,
    description:
      'Creates the user and a session, replacing any current session, and sets the cookie.',
    args: { input: t.arg({ type: SignUpInput }) },
    resolve: async (_root, { input }, context) =>
      adoptSession(
        context,
        await context.services.accounts.signUp(
          { ...input, keepSignedIn: input.keepSignedIn ?? false },
          context.client,
          context.viewer?.session,
        ),
      ),
  }),
  signIn: t.field({
    type: AuthPayload,
    description: 'Signs in by name or e-mail, replacing any current session, and sets the cookie.',
    args: { input: t.arg({ type: SignInInput }) },
    resolve: async (_root, { input }, context) =>
      adoptSession(
        context,
        await context.services.accounts.signIn(
          { ...input, keepSignedIn: input.keepSignedIn ?? false },
          signInClient(context),
          context.viewer?.session,
        ),
      ),
  }),
  logout: t.withAuth({ signedIn: true }).boolean({
    description: 'Ends the current session and clears the cookie.',
    resolve: async (_root, _args, context) => {
      const { viewer, services, client } = context;
      await services.ownSessions.signOut(viewer.user.id, viewer.session.id, client);
      context.cookie.clear();
      setViewer(context, null);
      return true;
    },
  }),
  changePassword: t.withAuth({ signedIn: true }).field({
    type: AuthPayload,
    description: "Ends the user's other sessions and rotates this one.",
    args: { input: t.arg({ type: ChangePasswordInput }) },
    resolve: async (_root, { input }, context) =>
      adoptSession(
        context,
        await context.services.accounts.changePassword(
          context.viewer,
          input.currentPassword,
          input.newPassword,
          context.client,
        ),
      ),
  }),
}));
