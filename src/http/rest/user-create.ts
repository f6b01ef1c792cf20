import { adoptSession } from '../../schema/auth.js';
import { optionalBoolean, optionalString, requiredString } from './body.js';
import { type RestRoute, userJson } from './route.js';

/** POST /v1/user/create: GraphQL's signUp. 201 with the user; the session cookie is set. */
export const createUser: RestRoute = {
  method: 'POST',
  path: '/v1/user/create',
  async handle({ context, body }) {
    const input = {
      name: requiredString(body, 'name'),
      email: requiredString(body, 'email'),
      password: requiredString(body, 'password'),
      displayName: optionalString(body, 'displayName'),
      keepSignedIn: optionalBoolean(body, 'keepSignedIn', false),
    };
    const { user, session } = adoptSession(
      context,
      await context.services.accounts.signUp(input, context.client, context.viewer?.session),
    );
    return { status: 201, body: { ...userJson(user), keepSignedIn: session.keepSignedIn } };
  },
};
