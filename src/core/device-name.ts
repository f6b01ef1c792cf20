import Bowser from 'bowser';

// Only names from bowser's own tables: its catch-all parser hands back whatever the agent says, and a
// device list must not show text an attacker chose as if it were a browser's name.
const KNOWN_BROWSERS = new Set(Object.values(Bowser.BROWSER_MAP));
const KNOWN_SYSTEMS = new Set(Object.values(Bowser.OS_MAP));

/** "Chrome 131 on macOS" from a user agent; null when the browser is not one bowser knows. */
export function deviceName(userAgent: string | null | undefined): string | null {
  return named(userAgent, true);
}

/**
 * "Chrome on macOS": the browser and system without versions, which every update changes; null when the
 * browser is not one bowser knows.
 */
export function deviceFamily(userAgent: string | null | undefined): string | null {
  return named(userAgent, false);
}

function named(userAgent: string | null | undefined, withVersion: boolean): string | null {
  if (!userAgent) return null;
  const { browser, os } = Bowser.parse(userAgent.slice(0, 512));
  if (!browser.name || !KNOWN_BROWSERS.has(browser.name)) return null;
  const major = withVersion ? /^\d+/.exec(browser.version ?? '')?.[0] : undefined;
  const name = major ? `${browser.name} ${major}` : browser.name;
  return os.name && KNOWN_SYSTEMS.has(os.name) ? `${name} on ${os.name}` : name;
}
