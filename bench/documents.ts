/**
 * Distinct valid documents near the default limits, each one never sent before: a new key for every
 * cache keyed by documents. The shapes of test/memory.test.ts (comment-padded, one long name, many
 * aliases over a fragment, variables as clients send them).
 */

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
const rotate = <T>(items: readonly T[], by: number) =>
  items.map((_, k) => items[(k + by) % items.length] as T);

const shapes: ((i: number) => { query: string; variables?: Record<string, unknown> })[] = [
  (i) => ({
    query: `# ${i}\n${'#\n'.repeat((MAX_BODY_BYTES - 300) / 3)}query C${i} { me { id } }`,
  }),
  (i) => ({ query: `query N${i}_${'n'.repeat(MAX_BODY_BYTES - 200)} { me { id name } }` }),
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
  (i) => ({
    query: `query V${i}($first: Int!) { p${i}: users(first: $first) { totalCount edges { node { ${rotate(ME_FIELDS, i).join(' ')} } } } me { id } }`,
    variables: { first: 1 + (i % 10) },
  }),
];

/** The i-th document as a request body. */
export const distinctDocument = (i: number): string => {
  const { query, variables } = shapes[i % shapes.length]?.(i) ?? { query: '' };
  return JSON.stringify({ query, variables: variables ?? {} });
};
