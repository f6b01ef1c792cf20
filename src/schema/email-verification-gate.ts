import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { AppError } from '../errors.js';
import type { Context } from './context.js';

/**
 * The e-mail verification gate (API.md, EMAIL_NOT_VERIFIED), applied once to every root field of the
 * built schema, extensions included, so a field added later is refused by default until it is named
 * here. It runs before the field's own checks (recent authentication among them): a user who must
 * verify first hears that, not "sign in again" for a request that would then fail anyway.
 */

/** EMAIL_VERIFICATION=required: the fields a signed-in user whose address is not verified may use. */
export const OPEN_TO_UNVERIFIED: ReadonlySet<string> = new Set([
  'me',
  'session',
  'sessions',
  'logout',
  'verifyEmail',
  'resendEmailVerification',
  'requestEmailChange',
  'confirmEmailChange',
  'reauthenticate',
  'deleteAccount',
]);

/**
 * Fields whose authority is a credential in their input (a password, a mailed code or token, a
 * challenge, a passkey), not the session: they do not act as the viewer, so the gate, which limits
 * what an unverified viewer does as themself, leaves them open to every caller. Signing in as someone
 * else replaces the session; a revert link must work in any browser, since it undoes a hijack.
 */
export const NOT_THE_VIEWERS: ReadonlySet<string> = new Set([
  'signUp',
  'signIn',
  'forgetPassword',
  'resetPassword',
  'revertEmailChange',
  'verifySecondFactor',
  'beginPasskeySignIn',
  'beginPasskeyAssertion',
  'finishPasskeySignIn',
]);

/** In every mode: a factor enrolled on an address nobody proved could lock its owner out for good. */
export const VERIFIED_IN_EVERY_MODE: ReadonlySet<string> = new Set([
  'beginTotpEnrollment',
  'confirmTotpEnrollment',
  'beginPasskeyRegistration',
  'finishPasskeyRegistration',
]);

/**
 * Whether EMAIL_VERIFICATION=required holds this request's viewer to OPEN_TO_UNVERIFIED: signed in
 * with an address not yet verified. A signed-out caller is not held (there is no one to verify);
 * /whoami asks the same question (403).
 */
export function heldForVerification({ viewer, services }: Pick<Context, 'viewer' | 'services'>) {
  return (
    services.config.account.emailVerification === 'required' &&
    viewer !== null &&
    viewer.user.emailVerifiedAt === null
  );
}

function refuseUnverified(context: Context, fieldName: string): void {
  if (NOT_THE_VIEWERS.has(fieldName)) return;
  const unverified = context.viewer !== null && context.viewer.user.emailVerifiedAt === null;
  if (unverified && VERIFIED_IN_EVERY_MODE.has(fieldName)) throw new AppError('EMAIL_NOT_VERIFIED');
  if (heldForVerification(context) && !OPEN_TO_UNVERIFIED.has(fieldName))
    throw new AppError('EMAIL_NOT_VERIFIED');
}

export function requireVerifiedEmail(schema: GraphQLSchema): GraphQLSchema {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
  for (const root of roots) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      const resolve: GraphQLFieldResolver<unknown, Context> = field.resolve ?? defaultFieldResolver;
      field.resolve = (parent, args, context: Context, info) => {
        refuseUnverified(context, field.name);
        return resolve(parent, args, context, info);
      };
      const subscribe = field.subscribe;
      if (subscribe)
        field.subscribe = (parent, args, context: Context, info) => {
          refuseUnverified(context, field.name);
          return subscribe(parent, args, context, info);
        };
    }
  }
  return schema;
}
