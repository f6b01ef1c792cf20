import { AuthPayload, adoptSession } from './auth.js';
import { builder } from './builder.js';
import { signInClient } from './context.js';
import { assertion, PasskeyAssertionInput } from './passkey-assertion.js';

const ForgetPasswordInput = builder.inputType('ForgetPasswordInput', {
  fields: (t) => ({ email: t.string() }),
});

const ResetPasswordInput = builder.inputType('ResetPasswordInput', {
  fields: (t) => ({
    email: t.string(),
    otp: t.string({
      description: 'The 6-digit code from the e-mail, or the token of the link in it.',
    }),
    newPassword: t.string(),
    keepSignedIn: t.boolean({ required: false, defaultValue: false }),
    totp: t.string({ required: false, description: 'For an account with a second factor.' }),
    recoveryCode: t.string({ required: false }),
    passkey: t.field({ type: PasskeyAssertionInput, required: false }),
  }),
});

builder.mutationFields((t) => ({
  forgetPassword: t.boolean({
    description:
      'E-mails a one-time code to the address when it has an account; true whether or not it has.',
    args: { input: t.arg({ type: ForgetPasswordInput }) },
    resolve: async (_root, { input }, context) => {
      await context.services.recovery.requestReset(input.email);
      return true;
    },
  }),
  resetPassword: t.field({
    type: AuthPayload,
    description:
      'Sets a new password with the e-mailed code, ends every session of the user and starts a new one.',
    args: { input: t.arg({ type: ResetPasswordInput }) },
    resolve: async (_root, { input }, context) =>
      adoptSession(
        context,
        await context.services.recovery.resetPassword(
          {
            ...input,
            keepSignedIn: input.keepSignedIn ?? false,
            passkey: input.passkey ? assertion(input.passkey) : null,
          },
          signInClient(context),
          context.viewer?.session,
        ),
      ),
  }),
}));
