import { deviceName } from '../core/device-name.js';
import { AuthPayload, adoptSession } from './auth.js';
import { builder } from './builder.js';
import { signInClient } from './context.js';
import { assertion } from './passkey-assertion.js';
import { requireRecentAuthentication } from './reauthentication.js';

/** Passkeys: registration, the list, and sign-in with a passkey alone or as a later step. */

export const PasskeyPurpose = builder.enumType('PasskeyPurpose', {
  values: ['SIGN_IN', 'SECOND_FACTOR', 'REAUTHENTICATE', 'RESET'] as const,
});

export const Passkey = builder.prismaObject('Passkey', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
  }),
});

const WebAuthnChallenge = builder
  .objectRef<{ id: string; options: unknown }>('WebAuthnChallenge')
  .implement({
    description:
      'A stored challenge and the WebAuthn Level 3 JSON options (create or get) carrying it.',
    fields: (t) => ({
      id: t.exposeID('id'),
      options: t.field({ type: 'JSON', resolve: (challenge) => challenge.options }),
    }),
  });

const FinishPasskeyRegistrationInput = builder.inputType('FinishPasskeyRegistrationInput', {
  fields: (t) => ({
    challengeId: t.id(),
    response: t.field({ type: 'JSON' }),
    name: t.string({ required: false }),
  }),
});

const PasskeySignInInput = builder.inputType('PasskeySignInInput', {
  fields: (t) => ({
    challengeId: t.id(),
    response: t.field({ type: 'JSON' }),
    keepSignedIn: t.boolean({ required: false, defaultValue: false }),
  }),
});

builder.queryFields((t) => ({
  passkeys: t.withAuth({ signedIn: true }).prismaField({
    type: [Passkey],
    description: "The viewer's passkeys, oldest first.",
    resolve: (query, _root, _args, { viewer, services }) =>
      services.factors.passkeys(viewer.user.id, query),
  }),
}));

builder.mutationFields((t) => ({
  beginPasskeyRegistration: t.withAuth({ signedIn: true }).field({
    type: WebAuthnChallenge,
    description:
      'Options for navigator.credentials.create; recent authentication, verified address.',
    resolve: (_root, _args, context) => {
      requireRecentAuthentication(context);
      return context.services.factors.beginPasskeyRegistration(context.viewer, context.client.ip);
    },
  }),
  finishPasskeyRegistration: t.withAuth({ signedIn: true }).field({
    type: Passkey,
    description: 'Stores the passkey; every other session ends.',
    args: { input: t.arg({ type: FinishPasskeyRegistrationInput }) },
    resolve: async (_root, { input }, context) => {
      const changed = await context.services.factors.finishPasskeyRegistration(
        context.viewer,
        { ...assertion(input), name: input.name },
        context.client,
        deviceName(context.client.userAgent) ?? 'Passkey',
      );
      adoptSession(context, changed);
      return changed.result;
    },
  }),
  renamePasskey: t.withAuth({ signedIn: true }).field({
    type: Passkey,
    args: { id: t.arg.id(), name: t.arg.string() },
    resolve: (_root, { id, name }, { viewer, services }) =>
      services.factors.renamePasskey(viewer.user.id, String(id), name),
  }),
  removePasskey: t.withAuth({ signedIn: true }).boolean({
    description: 'Recent authentication; every other session ends.',
    args: { id: t.arg.id() },
    resolve: async (_root, { id }, context) => {
      requireRecentAuthentication(context);
      const changed = await context.services.factors.removePasskey(
        context.viewer,
        String(id),
        context.client,
      );
      adoptSession(context, changed);
      return true;
    },
  }),
  beginPasskeySignIn: t.field({
    type: WebAuthnChallenge,
    description: 'The same as beginPasskeyAssertion(purpose: SIGN_IN).',
    resolve: (_root, _args, { services, viewer, client }) =>
      services.factors.beginPasskeyAssertion('SIGN_IN', null, viewer, client.ip),
  }),
  beginPasskeyAssertion: t.field({
    type: WebAuthnChallenge,
    description:
      'Options for navigator.credentials.get for one purpose; `challenge`: the SECOND_FACTOR_REQUIRED one.',
    args: {
      purpose: t.arg({ type: PasskeyPurpose }),
      challenge: t.arg.string({ required: false }),
    },
    resolve: (_root, { purpose, challenge }, { services, viewer, client }) =>
      services.factors.beginPasskeyAssertion(purpose, challenge, viewer, client.ip),
  }),
  finishPasskeySignIn: t.field({
    type: AuthPayload,
    description:
      'Signs in with a passkey alone, replacing any current session, and sets the cookie.',
    args: { input: t.arg({ type: PasskeySignInInput }) },
    resolve: async (_root, { input }, context) =>
      adoptSession(
        context,
        await context.services.factors.passkeySignIn(
          { ...assertion(input), keepSignedIn: input.keepSignedIn ?? false },
          signInClient(context),
          context.viewer?.session,
        ),
      ),
  }),
}));
