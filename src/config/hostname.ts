/**
 * The host name of a `Host` value (`name[:port]`, `[v6]:port`), normalised as a URL would (lower case,
 * IDNA, IPv6 in brackets), or null when it is not a bare host: no browser sends a path, user info or
 * spaces there. Configuration reads HOST and ALLOWED_HOSTS with it and http/hosts.ts the `Host` header,
 * so the two compare equal.
 */
export function hostnameOf(value: string | null | undefined): string | null {
  if (!value || /[\s/\\?#@]/.test(value)) return null;
  try {
    return new URL(`http://${value}`).hostname || null;
  } catch {
    return null;
  }
}
