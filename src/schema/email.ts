import { adoptSession } from './auth.js';
import { builder } from './builder.js';
import { setViewer } from './context.js';
import { requireRecentAuthentication } from './reauthentication.js';
import { User } from './user.js';

/** The account's address: verifying it, changing it, and undoing a change from the old inbox. */

const VerifyEmailInput = builder.inputType('VerifyEmailInput', {
  fields: (t) => ({ code: t.string({ description: 'The 8-digit code from the e-mail.' }) }),
});

const RequestEmailChangeInput = builder.inputType('RequestEmailChangeInput', {
  fields: (t) => ({ newEmail: t.string() }),
});

const ConfirmEmailChangeInput = builder.inputType('ConfirmEmailChangeInput', {
  fields: (t) => ({
    code: t.string({ description: 'The 8-digit code sent to the new address.' }),
  }),
});

const RevertEmailChangeInput = builder.inputType('RevertEmailChangeInput', {
  fields: (t) => ({
    token: t.string({ description: 'From the link mailed to the previous address.' }),
  }),
});

builder.mutationFields((t) => ({
  verifyEmail: t.withAuth({ signedIn: true }).field({
    type: User,
    description:
      "Proves the account's address with the code from the sign-up mail (or a resent one); ends every other session and rotates this one. On a verified address it changes nothing.",
    args: { input: t.arg({ type: VerifyEmailInput }) },
    resolve: async (_root, { input }, context) => {
      const verified = await context.services.emailVerification.verify(
        context.viewer,
        input.code,
        context.client,
      );
      if (verified.rotated) adoptSession(context, { user: verified.user, ...verified.rotated });
      return verified.user;
    },
  }),
  resendEmailVerification: t.withAuth({ signedIn: true }).boolean({
    description:
      'Mails a new verification code, replacing the last one; true, and nothing sent, when the address is verified already.',
    resolve: async (_root, _args, { viewer, services, client }) => {
      await services.emailVerification.resend(viewer, client);
      return true;
    },
  }),
  requestEmailChange: t.withAuth({ signedIn: true }).boolean({
    description:
      'Sends a code to the new address and a notice to the current one (recent authentication). True even when the address is taken: its owner is told instead.',
    args: { input: t.arg({ type: RequestEmailChangeInput }) },
    resolve: async (_root, { input }, context) => {
      requireRecentAuthentication(context);
      await context.services.emailChange.request(context.viewer, input.newEmail, context.client);
      return true;
    },
  }),
  confirmEmailChange: t.withAuth({ signedIn: true }).field({
    type: User,
    description:
      'Switches to the new address with its code, which proves it; ends every other session and rotates this one; the previous address gets a link that undoes the change.',
    args: { input: t.arg({ type: ConfirmEmailChangeInput }) },
    resolve: async (_root, { input }, context) => {
      const { user, rotated } = await context.services.emailChange.confirm(
        context.viewer,
        input.code,
        context.client,
      );
      adoptSession(context, { user, ...rotated });
      return user;
    },
  }),
  revertEmailChange: t.boolean({
    description:
      'Restores the previous address with the token from its notice, ends every session and removes second factors enrolled since the change. No session needed.',
    args: { input: t.arg({ type: RevertEmailChangeInput }) },
    resolve: async (_root, { input }, context) => {
      const userId = await context.services.emailChange.revert(input.token, context.client);
      // This browser's session of that account ended with every other.
      if (context.viewer?.user.id === userId) {
        context.cookie.clear();
        setViewer(context, null);
      }
      return true;
    },
  }),
}));
