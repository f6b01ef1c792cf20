import { parseCookie, stringifySetCookie } from 'cookie';

/**
 * The session cookie's fixed shape (API.md): HttpOnly, SameSite=Lax, Path=/, and with COOKIE_SECURE
 * the Secure attribute and the __Host- prefix (which browsers only accept from a secure origin, with
 * Path=/ and no Domain, so a sibling subdomain cannot plant or overwrite it).
 */

export interface CookieSettings {
  secure: boolean;
}

export const cookieName = ({ secure }: CookieSettings) => (secure ? '__Host-sessionId' : 'sessionId');

/** `maxAgeSeconds` undefined: a browser-session cookie (no Max-Age, no Expires). */
export function sessionCookie(settings: CookieSettings, value: string, maxAgeSeconds: number | undefined): string {
  return stringifySetCookie({
    name: cookieName(settings),
    value,
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: settings.secure,
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  });
}

export function clearedSessionCookie(settings: CookieSettings): string {
  return stringifySetCookie({
    name: cookieName(settings),
    value: '',
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: settings.secure,
    maxAge: 0,
  });
}

/** The presented session value: the cookie, or `Authorization: Bearer <same value>` for non-browser clients. */
export function presentedSessionValue(headers: Headers, settings: CookieSettings): string | undefined {
  const authorization = headers.get('authorization');
  if (authorization?.startsWith('Bearer ')) return authorization.slice('Bearer '.length).trim() || undefined;
  const header = headers.get('cookie');
  if (!header) return undefined;
  return parseCookie(header)[cookieName(settings)] || undefined;
}
