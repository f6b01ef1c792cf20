import { describe, expect, it } from 'vitest';
import { WriteBehind, type WriteBehindOptions } from './write-behind.js';

type Item = { id: string; v: number };

/** A queue whose writes land in `written`, failing while `down` says so. */
function queue(options: Partial<WriteBehindOptions<Item>> = {}) {
  const written: Item[][] = [];
  const state = { down: false, errors: 0 };
  const q = new WriteBehind<Item>({
    flushMs: 3_600_000,
    write: async (items) => {
      if (state.down) throw new Error('database away');
      written.push(items);
    },
    onError: () => state.errors++,
    ...options,
  });
  return { q, written, state };
}

const item = (id: string, v: number): Item => ({ id, v });

describe('WriteBehind', () => {
  it('keeps the latest item per key, and every item without a key', async () => {
    const keyed = queue({ key: (i) => i.id });
    keyed.q.add(item('a', 1));
    keyed.q.add(item('b', 1));
    keyed.q.add(item('a', 2));
    await keyed.q.flush();
    expect(keyed.written).toEqual([[item('a', 2), item('b', 1)]]);

    const all = queue();
    all.q.add(item('a', 1));
    all.q.add(item('a', 2));
    await all.q.flush();
    expect(all.written).toEqual([[item('a', 1), item('a', 2)]]);
  });

  it('drops the oldest past maxPending', async () => {
    const { q, written } = queue({ maxPending: 2 });
    for (const v of [1, 2, 3]) q.add(item('x', v));
    await q.flush();
    expect(written).toEqual([[item('x', 2), item('x', 3)]]);
  });

  it('puts a failed batch back before newer items, and a newer value of a key wins', async () => {
    const { q, written, state } = queue({ key: (i) => i.id });
    q.add(item('a', 1));
    q.add(item('b', 1));
    state.down = true;
    await q.flush();
    expect(state.errors).toBe(1);
    q.add(item('b', 2));
    q.add(item('c', 1));
    state.down = false;
    await q.flush();
    expect(written).toEqual([[item('a', 1), item('b', 2), item('c', 1)]]);
  });

  it('writes chunk by chunk; after a failed chunk only it and the later ones are kept', async () => {
    let calls = 0;
    const written: Item[][] = [];
    const q = new WriteBehind<Item>({
      flushMs: 3_600_000,
      chunkSize: 2,
      write: async (items) => {
        if (++calls === 2) throw new Error('database away');
        written.push(items);
      },
    });
    for (const v of [1, 2, 3, 4, 5]) q.add(item('x', v));
    await q.flush();
    expect(written).toEqual([[item('x', 1), item('x', 2)]]);
    expect(q.size).toBe(3);
    await q.flush();
    expect(written.slice(1)).toEqual([[item('x', 3), item('x', 4)], [item('x', 5)]]);
  });

  it('writes on its own after flushMs', async () => {
    const { q, written } = queue({ flushMs: 20 });
    q.add(item('a', 1));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(written).toEqual([[item('a', 1)]]);
  });

  it('after close, a failed batch stays pending with no timer to retry it', async () => {
    const { q, state } = queue({ flushMs: 10 });
    q.add(item('a', 1));
    state.down = true;
    await q.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(state.errors).toBe(1);
    expect(q.size).toBe(1);
  });
});
