import type { Me } from '../api/account.js';
import type { AppContext } from '../views/types.js';

/** What a section of the account view gets: the app, the viewer, and a bus between sections. */
export interface AccountContext extends AppContext {
  me: Me;
  /**
   * Part two's `User.emailVerified`, asked for on its own: undefined when the server has no part
   * two, which the lifecycle sections take as "leave me out".
   */
  emailVerified: boolean | undefined;
  /** 'devices': the list of sessions changed; 'me': the user's own fields changed. */
  events: EventTarget;
}

/** One card of the account view; null when the server lacks what it needs. */
export type AccountSection = (context: AccountContext) => Promise<HTMLElement | null>;
