import type { Me } from '../api/account.js';

export type RouteName =
  | 'sign-in'
  | 'sign-up'
  | 'forgot'
  | 'reset'
  | 'verify'
  | 'revert-email'
  | 'confirm-email'
  | 'second-factor'
  | 'account';

export interface Notice {
  tone: 'info' | 'success' | 'warning';
  text: string;
}

export interface AppContext {
  /** The signed-in user, or null. */
  me: Me | null;
  params: URLSearchParams;
  /** A message carried over from the previous view (e.g. "you were signed out"). */
  notice: Notice | null;
  go(route: RouteName, options?: { params?: Record<string, string>; notice?: Notice }): void;
  /** After a credential was accepted: learns who is signed in and opens `next` (the account). */
  signedIn(options?: {
    next?: RouteName;
    params?: Record<string, string>;
    notice?: Notice;
  }): Promise<void>;
  /** After this browser's session ended on purpose (sign-out, account deleted). */
  signedOut(notice: Notice): void;
  /** The server ended this browser's session (revoked elsewhere): back to sign-in, saying so. */
  sessionEnded(): void;
}

export interface View {
  title: string;
  /** guest: signed-out only (a signed-in visitor goes to the account); member: signed-in only. */
  access: 'guest' | 'member' | 'any';
  render(context: AppContext): Promise<HTMLElement> | HTMLElement;
}
