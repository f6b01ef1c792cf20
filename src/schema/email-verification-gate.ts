import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { AppError } from '../errors.js';
import type { Context } from './context.js';

/**
 * EMAIL_VERIFICATION=required (API.md): a signed-in user whose address is not verified may use only
 * these root fields; every other answers EMAIL_NOT_VERIFIED. Applied once to every root field of the
 * built schema, so a field added later is refused by default until it is named here.
 */
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
 * Whether EMAIL_VERIFICATION=required holds this request's viewer to the fields above: signed in with
 * an address not yet verified. Signed-out callers are not held (there is no one to verify), and /whoami
 * asks the same question (403).
 */
export function heldForVerification({ viewer, services }: Pick<Context, 'viewer' | 'services'>) {
  return (
    services.config.account.emailVerification === 'required' &&
    viewer !== null &&
    viewer.user.emailVerifiedAt === null
  );
}

function refuseUnverified(context: Context, fieldName: string): void {
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
