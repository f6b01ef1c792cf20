import { adoptSession } from '../../schema/auth.js';
import { signInClient } from '../../schema/context.js';
import { optionalBoolean, optionalString, requiredString } from './body.js';
import { type RestRoute, sessionJson } from './route.js';

/**
 * POST /v1/user/auth: GraphQL's signIn. 201 with the session; bad credentials are 400 as in the seed.
 * Signed in already, the old session is replaced, as signIn does (the seed refused with 400).
 */
export const authenticateUser: RestRoute = {
  method: 'POST',
  path: '/v1/user/auth',
  async handle({ context, body }) {
    const input = {
      name: optionalString(body, 'name'),
      email: optionalString(body, 'email'),
      password: requiredString(body, 'password'),
      keepSignedIn: optionalBoolean(body, 'keepSignedIn', false),
    };
    const { session } = adoptSession(
      context,
      await context.services.accounts.signIn(input, signInClient(context), context.viewer?.session),
    );
    return { status: 201, body: sessionJson(session) };
  },
};
