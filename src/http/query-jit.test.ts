import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { isCompiled } from './query-jit.js';

describe('which operations graphql-jit runs', () => {
  const compiled = (source: string, operationName?: string) => isCompiled({ document: parse(source), operationName });

  it('queries without variables', () => {
    expect(compiled('{ me { id name } }')).toBe(true);
    expect(compiled('query Viewer { me { id } }')).toBe(true);
    expect(compiled('query A { me { id } } query B($n: Int) { users(first: $n) { totalCount } }', 'A')).toBe(true);
  });

  it('never a mutation, nor an operation with variables', () => {
    expect(compiled('mutation { logout }')).toBe(false);
    expect(compiled('query ($n: Int) { users(first: $n) { totalCount } }')).toBe(false);
    expect(compiled('query A { me { id } } query B($n: Int) { users(first: $n) { totalCount } }', 'B')).toBe(false);
  });
});
