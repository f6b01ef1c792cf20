import type { Plugin } from 'graphql-yoga';
import { type CookieSettings, clearedSessionCookie, sessionCookie } from '../auth/cookies.js';
import { signToken } from '../auth/tokens.js';

/**
 * Resolvers never touch headers: they record what the session cookie should become, and the
 * response hook below writes the one Set-Cookie header with the fixed attributes.
 */
export class SessionCookieIntent {
  private header: string | undefined;

  constructor(
    private readonly settings: CookieSettings,
    private readonly secrets: readonly string[],
  ) {}

  /** Sends the signed token; `maxAgeSeconds` undefined makes a browser-session cookie. */
  set(token: string, maxAgeSeconds: number | undefined): void {
    this.header = sessionCookie(this.settings, signToken(token, this.secrets), maxAgeSeconds);
  }

  clear(): void {
    this.header = clearedSessionCookie(this.settings);
  }

  get setCookieHeader(): string | undefined {
    return this.header;
  }
}

const intents = new WeakMap<Request, SessionCookieIntent>();

export function cookieIntentFor(
  request: Request,
  settings: CookieSettings,
  secrets: readonly string[],
): SessionCookieIntent {
  let intent = intents.get(request);
  if (!intent) {
    intent = new SessionCookieIntent(settings, secrets);
    intents.set(request, intent);
  }
  return intent;
}

export function useSessionCookie(): Plugin {
  return {
    onResponse({ request, response }) {
      const header = intents.get(request)?.setCookieHeader;
      if (header) response.headers.append('set-cookie', header);
    },
  };
}
