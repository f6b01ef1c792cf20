import { AppError } from '../../errors.js';
import { adoptSession } from '../../schema/auth.js';
import { signInClient } from '../../schema/context.js';
import { optionalBoolean, requiredString } from './body.js';
import { type RestRoute, sessionJson } from './route.js';

/**
 * POST /v1/user/forget-password: GraphQL's forgetPassword. 200 `{ id }` for every address, known or
 * not (the seed answered 400 for an unknown one, and the user's id otherwise): the id names this
 * request (reset-request-id.ts), and the core does the same work for both.
 */
export const forgetPassword: RestRoute = {
  method: 'POST',
  path: '/v1/user/forget-password',
  async handle({ context, body, resetIds }) {
    const email = requiredString(body, 'email');
    await context.services.recovery.requestReset(email);
    return { status: 200, body: { id: resetIds.issue(email) } };
  },
};

/**
 * POST /v1/user/reset-password `{ id, otp, newPassword }`: GraphQL's resetPassword for the address the
 * id was issued for. 201 with the new session (every other session of the user ends); 400 for a wrong,
 * used or expired code, and for an id that is forged or past OTP_TTL, alike.
 */
export const resetPassword: RestRoute = {
  method: 'POST',
  path: '/v1/user/reset-password',
  async handle({ context, body, resetIds }) {
    const id = requiredString(body, 'id');
    const otp = requiredString(body, 'otp');
    const newPassword = requiredString(body, 'newPassword');
    const keepSignedIn = optionalBoolean(body, 'keepSignedIn', false);
    const email = resetIds.open(id);
    // One answer for a bad id and a bad code: neither tells anything the other does not.
    if (email === undefined) throw new AppError('INVALID_OTP');
    const { session } = adoptSession(
      context,
      await context.services.recovery.resetPassword(
        { email, otp, newPassword, keepSignedIn },
        // As GraphQL's resetPassword: the browser's device cookie goes with the client.
        signInClient(context),
        context.viewer?.session,
      ),
    );
    return { status: 201, body: sessionJson(session) };
  },
};
