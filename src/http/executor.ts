import { execute, subscribe } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Operations run on graphql-js itself rather than on Yoga's default, graphql-tools' fork of it. The
 * fork memoizes each object field's sub-selection in module-level WeakMaps keyed by per-request
 * objects; V8 keeps such a WeakMap's values alive through young-generation collections, so every
 * request's entries moved to the old generation and waited there for a full collection. graphql-js
 * keys its one memo by the request's execution context and promotes a small fraction of that
 * (BENCHMARKS.md, memory). Nothing of ours uses what only the fork adds (@defer, @stream).
 */
export const useGraphqlJsExecutor = (): Plugin => ({
  onExecute: ({ setExecuteFn }) => setExecuteFn(execute),
  onSubscribe: ({ setSubscribeFn }) => setSubscribeFn(subscribe),
});
