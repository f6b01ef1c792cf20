import { requireRecentAuth } from '../core/auth/recent-auth.js';
import { adoptSession } from './auth.js';
import { builder } from './builder.js';
import { type SignedInContext, signInClient } from './context.js';
import { assertion, PasskeyAssertionInput } from './passkey-assertion.js';
import { Session } from './session.js';

/**
 * Recent authentication: `reauthenticate`, and the check sensitive mutations make first. A resolver
 * calls `requireRecentAuthentication(context)` before it changes anything.
 */

export function requireRecentAuthentication({ viewer, services }: SignedInContext): void {
  requireRecentAuth(viewer.session, {
    now: services.now(),
    windowMs: services.config.account.reauthWindowMs,
    methods: services.accounts.reauthenticationMethods(viewer.user),
  });
}

const ReauthenticateInput = builder.inputType('ReauthenticateInput', {
  fields: (t) => ({
    password: t.string({ required: false }),
    totp: t.string({ required: false }),
    recoveryCode: t.string({ required: false }),
    passkey: t.field({ type: PasskeyAssertionInput, required: false }),
  }),
});

builder.mutationFields((t) => ({
  reauthenticate: t.withAuth({ signedIn: true }).field({
    type: Session,
    description: 'Proves a credential again: authenticatedAt becomes now, with a new token.',
    args: { input: t.arg({ type: ReauthenticateInput }) },
    resolve: async (_root, { input }, context) => {
      const signedIn = await context.services.accounts.reauthenticate(
        context.viewer,
        { ...input, passkey: input.passkey ? assertion(input.passkey) : null },
        signInClient(context),
      );
      const { session, user } = adoptSession(context, signedIn);
      return { ...session, user };
    },
  }),
}));
