import Bowser from 'bowser';
import type { IconName } from '../ui/dom.js';

export interface DeviceLabel {
  name: string;
  kind: Extract<IconName, 'desktop' | 'phone' | 'tablet'>;
}

/**
 * "Chrome 131 on macOS" for a session. The server's `deviceName` wins where it sends one (part two);
 * older servers send only the user agent, which bowser (the parser the server uses too) reads here.
 */
export function deviceLabel(userAgent: string | null, serverName?: string | null): DeviceLabel {
  const parsed = userAgent ? Bowser.parse(userAgent) : undefined;
  const type = parsed?.platform.type;
  const kind = type === 'mobile' ? 'phone' : type === 'tablet' ? 'tablet' : 'desktop';
  if (serverName) return { name: serverName, kind };
  const browser = parsed?.browser.name;
  if (!browser) return { name: userAgent ? shorten(userAgent) : 'Unknown device', kind };
  const major = parsed.browser.version?.split('.')[0];
  const os = parsed.os.name;
  const name = `${browser}${major ? ` ${major}` : ''}${os ? ` on ${os}` : ''}`;
  return { name, kind };
}

const shorten = (value: string) => (value.length > 60 ? `${value.slice(0, 57)}…` : value);
