import type { ResetInput } from './api/account.js';
import type { ApiError } from './api/client.js';
import type { Child } from './ui/dom.js';
import type { AppContext } from './views/types.js';

/**
 * Where later features plug in without the views that host them knowing them: a passkey button (and
 * conditional mediation) on the sign-in view, the second-factor step after a right password, more
 * ways to re-authenticate, and work that runs while someone is signed in (the live session stream).
 * Each feature module registers itself here from main.ts.
 */
export const extensions = {
  /** Extra ways to sign in, shown under the sign-in form. */
  signInOptions: [] as ((context: AppContext) => Child)[],
  /** Takes over when a right password answers SECOND_FACTOR_REQUIRED; null: say it is unsupported. */
  secondFactor: null as
    | null
    | ((error: ApiError, context: AppContext, keepSignedIn: boolean) => void),
  /**
   * Takes over when a reset's right code answers SECOND_FACTOR_REQUIRED: the step to show in place of
   * the reset form, which sends `reset` again with the factor. null: say it is unsupported.
   */
  resetSecondFactor: null as
    | null
    | ((error: ApiError, reset: ResetInput, context: AppContext) => HTMLElement),
  /** Runs when a session starts in this page; returns a function that stops it at sign-out. */
  whileSignedIn: [] as ((context: AppContext) => () => void)[],
  /**
   * The account view on screen, if any: 'devices' reloads the device list, 'me' the profile. A live
   * stream dispatches here when a sign-in or a change arrives from elsewhere.
   */
  accountEvents: null as EventTarget | null,
};
