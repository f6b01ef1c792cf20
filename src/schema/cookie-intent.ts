import {
  type DeviceCookie,
  newDeviceCookieValue,
  verifyDeviceCookie,
} from '../core/auth/device-cookies.js';
import {
  type CookieSettings,
  clearedSessionCookie,
  deviceCookie,
  presentedDeviceValue,
  sessionCookie,
} from '../core/sessions/cookies.js';
import { signToken } from '../core/sessions/tokens.js';
import { requestSlot } from './request-slot.js';

/**
 * Resolvers never touch headers: they record what the session cookie (and the device cookie) should
 * become, and one response hook (http/session-cookie.ts) writes the Set-Cookie headers with the fixed
 * attributes.
 */
export class SessionCookieIntent {
  private header: string | undefined;
  private deviceHeader: string | undefined;

  constructor(
    private readonly settings: CookieSettings,
    private readonly secrets: readonly string[],
    private readonly requestHeaders: Headers,
  ) {}

  /** Sends the signed token; `maxAgeSeconds` undefined makes a browser-session cookie. */
  set(token: string, maxAgeSeconds: number | undefined): void {
    this.header = sessionCookie(this.settings, signToken(token, this.secrets), maxAgeSeconds);
  }

  clear(): void {
    this.header = clearedSessionCookie(this.settings);
  }

  /** Gives this browser a fresh device cookie for the user it just proved it holds. */
  rememberDevice(userId: string): void {
    this.deviceHeader = deviceCookie(this.settings, newDeviceCookieValue(userId, this.secrets));
  }

  /** The device cookie this request presented, when its signature verifies. */
  presentedDevice(): DeviceCookie | undefined {
    return verifyDeviceCookie(
      presentedDeviceValue(this.requestHeaders, this.settings),
      this.secrets,
    );
  }

  get setCookieHeaders(): string[] {
    return [this.header, this.deviceHeader].filter((header) => header !== undefined);
  }
}

const intents = requestSlot<SessionCookieIntent>('session cookie intent');

export function cookieIntentFor(
  request: Request,
  settings: CookieSettings,
  secrets: readonly string[],
): SessionCookieIntent {
  let intent = intents.get(request);
  if (!intent) {
    intent = new SessionCookieIntent(settings, secrets, request.headers);
    intents.set(request, intent);
  }
  return intent;
}

/** The Set-Cookie headers recorded for this request, if a context was made for it. */
export function setCookieHeadersFor(request: Request): string[] {
  return intents.get(request)?.setCookieHeaders ?? [];
}
