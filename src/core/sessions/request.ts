import { type CookieSettings, presentedSessionValue } from './cookies.js';
import type { LiveSession, SessionStore } from './store.js';
import type { VerifiedToken } from './tokens.js';

/**
 * The read path of every request, in order: the presented value (Bearer or cookie), its signature, the
 * live session behind it, and what the session cookie must become because of what was found.
 */

/** What the response must do with the session cookie. */
export type CookieUpdate =
  | { kind: 'clear' }
  /** The expiry slid: a persistent cookie is re-sent with the new Max-Age. */
  | { kind: 'resend'; token: string; maxAgeSeconds: number | undefined };

export interface RequestSession {
  live: LiveSession | null;
  cookie?: CookieUpdate;
}

export interface RequestSessionDeps {
  cookies: CookieSettings;
  verify: (value: string) => VerifiedToken | undefined;
  sessions: SessionStore;
  /** False for a request that is not the holder's activity (opening a stream): no sliding, no touch. */
  activity?: boolean;
}

export async function sessionOfRequest(
  headers: Headers,
  { cookies, verify, sessions, activity = true }: RequestSessionDeps,
): Promise<RequestSession> {
  const presented = presentedSessionValue(headers, cookies);
  if (!presented) return { live: null };
  const token = verify(presented.value);
  const live = token ? await sessions.validate(token, { activity }) : null;
  if (!live || !token) {
    // A dead or forged cookie is cleared so the browser stops sending it; a bad Bearer beside a good
    // cookie says nothing about the cookie, which stays. Nor does a token rotated away a moment ago:
    // the browser holds the new one already, and clearing would sign it out.
    const keep =
      presented.via !== 'cookie' ||
      (token !== undefined && (await sessions.wasRotatedAway(token.hash)));
    return keep ? { live: null } : { live: null, cookie: { kind: 'clear' } };
  }
  if (live.extended && live.session.keepSignedIn)
    return {
      live,
      cookie: {
        kind: 'resend',
        token: token.token,
        maxAgeSeconds: sessions.cookieMaxAge(live.session),
      },
    };
  return { live };
}
