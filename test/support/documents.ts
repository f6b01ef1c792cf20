/**
 * Distinct valid documents near the default limits, each one never sent before: a new key for every
 * cache keyed by documents. Shared by test/process/memory.test.ts and the bench's rss scenario.
 */

/** MAX_BODY_BYTES's default. */
const MAX_BODY_BYTES = 100_000;

const ME_FIELDS = [
  'id',
  'name',
  'email',
  'displayName',
  'createdAt',
  'lastSeenAt',
  'activeSessionCount',
];
const rotate = <T>(items: T[], by: number) =>
  items.map((_, k) => items[(k + by) % items.length] as T);

/** Four shapes, each `i` a document never sent before. */
const shapes: ((i: number) => DistinctDocument)[] = [
  // Near the body limit with about 33,000 comment lines (`#\n` is 3 bytes in JSON): comments are not
  // tokens for the token limit, but the parser keeps one object per comment in the document it caches.
  (i) => ({
    query: `# ${i}\n${'#\n'.repeat((MAX_BODY_BYTES - 300) / 3)}query C${i} { me { id } }`,
  }),
  // Near the body limit in one name.
  (i) => ({ query: `query N${i}_${'n'.repeat(MAX_BODY_BYTES - 200)} { me { id name } }` }),
  // Near the token limit (870 of 1,000 tokens): 30 aliases over a fragment of its own name, fields in
  // an order of their own, and no variables (the operations a compiled-query cache would keep).
  (i) => {
    const fields = rotate(ME_FIELDS, i).join(' ');
    const aliases = Array.from(
      { length: 30 },
      (_, a) => `a${a}_${i}: me { ...F${i} ${fields} ${fields} ${fields} }`,
    );
    return {
      query: `query T${i} { ${aliases.join(' ')} } fragment F${i} on User { ${fields} ${fields} ${fields} }`,
    };
  },
  // With variables, as clients send them.
  (i) => ({
    query: `query V${i}($first: Int!) { p${i}: users(first: $first) { totalCount edges { node { ${rotate(ME_FIELDS, i).join(' ')} } } } me { id } }`,
    variables: { first: 1 + (i % 10) },
  }),
];
export interface DistinctDocument {
  query: string;
  variables?: Record<string, unknown>;
}

/** The i-th document. */
export const distinctDocument = (i: number): DistinctDocument =>
  shapes[i % shapes.length]?.(i) ?? { query: '' };
