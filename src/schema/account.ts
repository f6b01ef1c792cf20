import { builder } from './builder.js';
import { setViewer } from './context.js';
import { requireRecentAuthentication } from './reauthentication.js';

builder.mutationFields((t) => ({
  deleteAccount: t.withAuth({ signedIn: true }).boolean({
    description:
      'Deletes the account and everything of it, ends its sessions and clears the cookie (recent authentication).',
    resolve: async (_root, _args, context) => {
      requireRecentAuthentication(context);
      await context.services.deletion.deleteAccount(context.viewer.user.id, context.client);
      context.cookie.clear();
      setViewer(context, null);
      return true;
    },
  }),
}));
