import { extensions } from '../extensions.js';
import { type LiveSecurityEvent, subscribeToLiveEvents } from '../live-events.js';
import type { AppContext } from '../views/types.js';

/** Which parts of the account view an event changes ('activity': the security log, always). */
const REFRESH: Record<string, string[]> = {
  SIGN_IN: ['devices'],
  SIGN_OUT: ['devices'],
  SESSION_REVOKED: ['devices'],
  PASSWORD_CHANGED: ['devices'],
  PASSWORD_RESET: ['devices'],
  EMAIL_VERIFIED: ['me'],
  EMAIL_CHANGED: ['me', 'devices'],
  TWO_FACTOR_ENABLED: ['factors', 'devices'],
  TWO_FACTOR_DISABLED: ['factors', 'devices'],
  RECOVERY_CODES_REGENERATED: ['devices'],
  PASSKEY_ADDED: ['factors', 'devices'],
  PASSKEY_REMOVED: ['factors', 'devices'],
};
const EVERYTHING = ['devices', 'me', 'factors', 'activity'];

function refresh(parts: string[]) {
  const target = extensions.accountEvents;
  if (!target) return;
  for (const part of parts) target.dispatchEvent(new Event(part));
}

/**
 * extensions.whileSignedIn: the live session stream. A sign-in elsewhere shows in the device list at
 * once; this session ended elsewhere sends the page to sign-in, saying so; after a gap (network drop,
 * server restart) the account view reloads what the stream may have missed.
 */
export function liveSessionEvents(context: AppContext): () => void {
  const live = subscribeToLiveEvents({
    onEvent: (event: LiveSecurityEvent) => refresh([...(REFRESH[event.kind] ?? []), 'activity']),
    onSignedOut: () => context.sessionEnded(),
    onResync: () => refresh(EVERYTHING),
  });
  return () => live.stop();
}
