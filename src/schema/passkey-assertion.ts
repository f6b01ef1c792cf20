import { builder } from './builder.js';

/** A passkey's answer to a stored challenge, as second step, re-authentication or reset proof. */
export const PasskeyAssertionInput = builder.inputType('PasskeyAssertionInput', {
  fields: (t) => ({
    challengeId: t.id(),
    response: t.field({
      type: 'JSON',
      description: 'The credential as PublicKeyCredential.toJSON() gives it.',
    }),
  }),
});

/** The GraphQL input as the core takes it. */
export const assertion = (input: { challengeId: string | number; response?: unknown }) => ({
  challengeId: String(input.challengeId),
  response: input.response,
});
