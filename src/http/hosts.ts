import type { Plugin } from 'graphql-yoga';
import { hostnameOf } from '../config/hostname.js';
import { refusal } from './refusal.js';

/**
 * DNS-rebinding defence (API.md, Resources and hosts). A page on an attacker's domain whose name is
 * then pointed at this server (a developer's 127.0.0.1, a host on the office network) is same-origin
 * with itself, so the browser lets it read our answers; but it sends the attacker's name as `Host`.
 * Answering only to our own names (ALLOWED_HOSTS) stops it before any resolver runs.
 */

export interface HostOptions {
  /** Lower-case host names without port, IPv6 literals in brackets (config.http.allowedHosts). */
  allowedHosts: readonly string[];
  trustProxy: boolean;
}

// Orchestrators probe with the pod's IP as Host; these two answer a status, reveal and change nothing.
const PROBES = new Set(['/health', '/ready']);

/** The host the client asked for: behind a trusted proxy, the one the proxy forwards (it sets X-Forwarded-Host). */
export function requestedHost(request: Request, trustProxy: boolean): string | null {
  const forwarded = trustProxy
    ? request.headers.get('x-forwarded-host')?.split(',')[0]?.trim()
    : undefined;
  return forwarded || request.headers.get('host');
}

export function hostCheck({
  allowedHosts,
  trustProxy,
}: HostOptions): (request: Request) => boolean {
  const allowed = new Set(allowedHosts);
  return (request) => {
    const name = hostnameOf(requestedHost(request, trustProxy));
    return name !== null && allowed.has(name);
  };
}

export function useHostCheck(isAllowed: (request: Request) => boolean): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (PROBES.has(url.pathname) || isAllowed(request)) return;
      // 421 Misdirected Request: this server is not the one that name is meant for.
      endResponse(
        refusal(fetchAPI, 421, 'FORBIDDEN', 'This server does not answer to that host name.'),
      );
    },
  };
}
