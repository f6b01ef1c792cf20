import { parseCookie, stringifySetCookie } from 'cookie';

/**
 * Our cookies' fixed shape (API.md): HttpOnly, SameSite=Lax, Path=/, and with COOKIE_SECURE
 * the Secure attribute and the __Host- prefix (which browsers only accept from a secure origin, with
 * Path=/ and no Domain, so a sibling subdomain cannot plant or overwrite it).
 */

export interface CookieSettings {
  secure: boolean;
}

const hostPrefixed = (name: string, { secure }: CookieSettings) =>
  secure ? `__Host-${name}` : name;

export const cookieName = (settings: CookieSettings) => hostPrefixed('sessionId', settings);

/** The device cookie (see device-cookies.ts): same attributes, its own name. */
export const deviceCookieName = (settings: CookieSettings) => hostPrefixed('device', settings);

/** A browser remembers for a year that it signed in to the account (OWASP device cookies). */
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 3600;

/** The attributes every cookie of ours carries, declared once. */
const attributes = ({ secure }: CookieSettings) =>
  ({ httpOnly: true, sameSite: 'lax', path: '/', secure }) as const;

/** `maxAgeSeconds` undefined: a browser-session cookie (no Max-Age, no Expires). */
export function sessionCookie(
  settings: CookieSettings,
  value: string,
  maxAgeSeconds: number | undefined,
): string {
  return stringifySetCookie({
    name: cookieName(settings),
    value,
    ...attributes(settings),
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  });
}

export function clearedSessionCookie(settings: CookieSettings): string {
  return stringifySetCookie({
    name: cookieName(settings),
    value: '',
    ...attributes(settings),
    maxAge: 0,
  });
}

export function deviceCookie(settings: CookieSettings, value: string): string {
  return stringifySetCookie({
    name: deviceCookieName(settings),
    value,
    ...attributes(settings),
    maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
  });
}

/** The presented device cookie's raw value; only a cookie, since only a browser has a device to remember. */
export function presentedDeviceValue(
  headers: Headers,
  settings: CookieSettings,
): string | undefined {
  const header = headers.get('cookie');
  if (!header) return undefined;
  return parseCookie(header)[deviceCookieName(settings)] || undefined;
}

const BEARER = /^bearer +/i;

/**
 * The presented session value and where it came from: `Authorization: Bearer <same value>` for
 * non-browser clients, which wins over the cookie, or else the cookie.
 */
export function presentedSessionValue(
  headers: Headers,
  settings: CookieSettings,
): { value: string; via: 'bearer' | 'cookie' } | undefined {
  const authorization = headers.get('authorization');
  // RFC 9110 11.1: the scheme's name is case-insensitive (`bearer`, `BEARER`).
  const bearer = authorization ? BEARER.exec(authorization) : null;
  if (authorization && bearer) {
    const value = authorization.slice(bearer[0].length).trim();
    return value ? { value, via: 'bearer' } : undefined;
  }
  const header = headers.get('cookie');
  if (!header) return undefined;
  const value = parseCookie(header)[cookieName(settings)];
  return value ? { value, via: 'cookie' } : undefined;
}
