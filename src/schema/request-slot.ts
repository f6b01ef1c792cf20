/**
 * State that lives exactly as long as one request, kept on the request object itself.
 *
 * A module-level WeakMap keyed by the request would read the same, but V8's young-generation
 * collector treats a WeakMap's values as live even when their key has died, so every request's entry
 * survives into the old generation and waits there for a full collection. Per request that is small;
 * at thousands of requests a second it is most of the old generation's growth under load
 * (BENCHMARKS.md, memory).
 */
export interface RequestSlot<T> {
  get(request: Request): T | undefined;
  set(request: Request, value: T): void;
}

export function requestSlot<T>(description: string): RequestSlot<T> {
  const key = Symbol(description);
  const slots = (request: Request) => request as unknown as Record<symbol, T | undefined>;
  return {
    get: (request) => slots(request)[key],
    set: (request, value) => {
      slots(request)[key] = value;
    },
  };
}
