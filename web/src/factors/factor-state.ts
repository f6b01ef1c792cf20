import { gql } from '../api/client.js';
import { loadSecurityEvents } from '../api/lifecycle.js';

export interface FactorState {
  /** An authenticator app or a passkey is enrolled (User.twoFactorEnabled). */
  twoFactorEnabled: boolean;
  passkeys: number;
  /** Whether the authenticator app is on; null when the server's answers cannot tell. */
  totp: boolean | null;
}

// How far back the log is read for the app's last change when passkeys hide it (see below).
const LOG_PAGES = 5;

/**
 * The API names no field for "the app is on" apart from "an app or a passkey is": with no passkey the
 * answer is twoFactorEnabled; with one, the newest TWO_FACTOR_ENABLED or _DISABLED event of the
 * viewer's own log tells (null when retention has dropped it).
 */
export async function loadFactorState(): Promise<FactorState> {
  const data = await gql<{ me: { twoFactorEnabled: boolean } | null; passkeys: { id: string }[] }>(
    'query FactorState { me { twoFactorEnabled } passkeys { id } }',
    {},
    { probe: true },
  );
  const twoFactorEnabled = data.me?.twoFactorEnabled ?? false;
  const passkeys = data.passkeys.length;
  if (!twoFactorEnabled || passkeys === 0)
    return { twoFactorEnabled, passkeys, totp: twoFactorEnabled };
  let after: string | null = null;
  for (let page = 0; page < LOG_PAGES; page++) {
    const { events, next } = await loadSecurityEvents(after, 50);
    const change = events.find(
      (event) => event.kind === 'TWO_FACTOR_ENABLED' || event.kind === 'TWO_FACTOR_DISABLED',
    );
    if (change) return { twoFactorEnabled, passkeys, totp: change.kind === 'TWO_FACTOR_ENABLED' };
    if (!next) break;
    after = next;
  }
  return { twoFactorEnabled, passkeys, totp: null };
}
