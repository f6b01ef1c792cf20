import { expect, test } from 'vitest';
import { requestSlot } from './request-slot.js';

test('a slot holds one value per request, and two slots on one request keep two values', () => {
  const [a, b] = [requestSlot<string>('a'), requestSlot<string>('b')];
  const request = new Request('http://localhost/graphql');
  a.set(request, 'first');
  b.set(request, 'second');
  expect([a.get(request), b.get(request), a.get(new Request('http://localhost/'))]).toEqual([
    'first',
    'second',
    undefined,
  ]);
});
