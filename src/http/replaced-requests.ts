import { requestSlot } from '../schema/request-slot.js';

/**
 * A plugin that hands Yoga a new Request (the body limit, once it has read a chunked body) must not
 * make the request a new one for plugins that key state by it (the request log): they look up the
 * request it replaced through here.
 */
const replaced = requestSlot<Request>('replaced request');

export function markReplaced(next: Request, previous: Request): void {
  replaced.set(next, originalRequest(previous));
}

/** The request as it first arrived. */
export function originalRequest(request: Request): Request {
  return replaced.get(request) ?? request;
}
