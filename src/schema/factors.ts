import { AuthPayload, adoptSession } from './auth.js';
import { builder } from './builder.js';
import { signInClient } from './context.js';
import { assertion, PasskeyAssertionInput } from './passkey-assertion.js';
import { requireRecentAuthentication } from './reauthentication.js';

/** TOTP, recovery codes and the second step of sign-in. */

const TotpEnrollment = builder
  .objectRef<{ secret: string; uri: string }>('TotpEnrollment')
  .implement({
    fields: (t) => ({
      secret: t.exposeString('secret', { description: 'base32, for typing in by hand.' }),
      uri: t.exposeString('uri', { description: 'otpauth://, for a QR code.' }),
    }),
  });

const TotpCodeInput = builder.inputType('TotpCodeInput', {
  fields: (t) => ({ code: t.string() }),
});

const SecondFactorInput = builder.inputType('SecondFactorInput', {
  description: 'The challenge of SECOND_FACTOR_REQUIRED and exactly one factor.',
  fields: (t) => ({
    challenge: t.string(),
    totp: t.string({ required: false }),
    recoveryCode: t.string({ required: false }),
    passkey: t.field({ type: PasskeyAssertionInput, required: false }),
  }),
});

builder.mutationFields((t) => ({
  beginTotpEnrollment: t.withAuth({ signedIn: true }).field({
    type: TotpEnrollment,
    description:
      'A new authenticator secret, pending until a code confirms it; recent authentication, verified address.',
    resolve: (_root, _args, context) => {
      requireRecentAuthentication(context);
      return context.services.factors.beginTotpEnrollment(context.viewer);
    },
  }),
  confirmTotpEnrollment: t.withAuth({ signedIn: true }).stringList({
    description:
      'Turns the authenticator on with a code from it; the recovery codes, shown this once.',
    args: { input: t.arg({ type: TotpCodeInput }) },
    resolve: async (_root, { input }, context) => {
      const changed = await context.services.factors.confirmTotpEnrollment(
        context.viewer,
        input.code,
        context.client,
      );
      adoptSession(context, changed);
      return changed.result;
    },
  }),
  disableTotp: t.withAuth({ signedIn: true }).boolean({
    description: 'Turns the authenticator off; false when it was not on. Recent authentication.',
    resolve: async (_root, _args, context) => {
      requireRecentAuthentication(context);
      const changed = await context.services.factors.disableTotp(context.viewer, context.client);
      if (!changed) return false;
      adoptSession(context, changed);
      return true;
    },
  }),
  regenerateRecoveryCodes: t.withAuth({ signedIn: true }).stringList({
    description: 'Ten new recovery codes; the old ones stop working. Recent authentication.',
    resolve: async (_root, _args, context) => {
      requireRecentAuthentication(context);
      const changed = await context.services.factors.regenerateRecoveryCodes(
        context.viewer,
        context.client,
      );
      adoptSession(context, changed);
      return changed.result;
    },
  }),
  verifySecondFactor: t.field({
    type: AuthPayload,
    description: 'Completes a SECOND_FACTOR_REQUIRED sign-in and sets the cookie.',
    args: { input: t.arg({ type: SecondFactorInput }) },
    resolve: async (_root, { input }, context) =>
      adoptSession(
        context,
        await context.services.factors.verifySecondFactor(
          {
            challenge: input.challenge,
            totp: input.totp,
            recoveryCode: input.recoveryCode,
            passkey: input.passkey ? assertion(input.passkey) : null,
          },
          signInClient(context),
          context.viewer?.session,
        ),
      ),
  }),
}));
