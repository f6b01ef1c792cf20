import { AppError } from '../../errors.js';
import { setViewer } from '../../schema/context.js';
import type { RestRoute } from './route.js';

/**
 * DELETE /v1/user/logout: GraphQL's logout, through the same core call, so the security log records
 * the SIGN_OUT in the transaction that ends the session. 204 and the cookie cleared; 401 without a
 * live session.
 */
export const logoutUser: RestRoute = {
  method: 'DELETE',
  path: '/v1/user/logout',
  async handle({ context }) {
    const { viewer, services, client } = context;
    if (!viewer) throw new AppError('UNAUTHENTICATED');
    await services.ownSessions.signOut(viewer.user.id, viewer.session.id, client);
    context.cookie.clear();
    setViewer(context, null);
    return { status: 204 };
  },
};
