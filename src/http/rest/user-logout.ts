import { AppError } from '../../errors.js';
import { setViewer } from '../../schema/context.js';
import type { RestRoute } from './route.js';

/** DELETE /v1/user/logout: GraphQL's logout. 204 and the cookie cleared; 401 without a live session. */
export const logoutUser: RestRoute = {
  method: 'DELETE',
  path: '/v1/user/logout',
  async handle({ context }) {
    if (!context.viewer) throw new AppError('UNAUTHENTICATED');
    await context.services.sessions.end(context.viewer.session.id);
    context.cookie.clear();
    setViewer(context, null);
    return { status: 204 };
  },
};
