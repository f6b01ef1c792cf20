import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { errorCode, TestClient } from '../support/client.js';
import { SECOND, TestClock } from '../support/clock.js';
import { signUp, UNLIMITED } from '../support/flows.js';
import { startServer, type TestServer } from '../support/server.js';

/**
 * The example extension (src/extensions/notes, docs/extending.md) over HTTP: its fields lean on the
 * core's viewer and `signedIn` scope, and each user reaches only their own notes.
 */

const NOTES = graphql(`
  query Notes($first: Int) {
    notes(first: $first) {
      id
      text
      createdAt
    }
  }
`);

const ADD_NOTE = graphql(`
  mutation AddNote($input: AddNoteInput!) {
    addNote(input: $input) {
      id
      text
      createdAt
    }
  }
`);

const DELETE_NOTE = graphql(`
  mutation DeleteNote($id: ID!) {
    deleteNote(id: $id)
  }
`);

// Moved a second between notes a test orders, so "newest first" never rests on a tie.
const clock = new TestClock();
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: UNLIMITED, now: clock.now });
});
afterAll(() => server.close());

const client = () => new TestClient(server);
async function signedIn() {
  const c = client();
  await signUp(c);
  return c;
}
const noteCount = () => server.booted.db.prisma.note.count();

describe('signed out', () => {
  it('notes, addNote and deleteNote answer UNAUTHENTICATED and write nothing', async () => {
    const c = client();
    const before = await noteCount();
    const notes = await c.request(NOTES);
    expect(notes.data).toBeNull();
    expect(errorCode(notes)).toBe('UNAUTHENTICATED');
    expect(errorCode(await c.request(ADD_NOTE, { input: { text: 'hello' } }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      errorCode(await c.request(DELETE_NOTE, { id: '00000000-0000-4000-8000-000000000000' })),
    ).toBe('UNAUTHENTICATED');
    expect(await noteCount()).toBe(before);
  });
});

describe('a signed-in user', () => {
  it('adds notes and reads them back, newest first, the text trimmed', async () => {
    const c = await signedIn();
    const first = await c.request(ADD_NOTE, { input: { text: '  buy milk  ' } });
    expect(first.errors).toBeUndefined();
    expect(first.data?.addNote.text).toBe('buy milk');
    clock.advance(SECOND);
    const second = await c.request(ADD_NOTE, { input: { text: 'call Ada' } });
    const { data } = await c.request(NOTES);
    expect(data?.notes.map((note) => note.text)).toEqual(['call Ada', 'buy milk']);
    expect(data?.notes[0]?.id).toBe(second.data?.addNote.id);
  });

  it('deletes their own note; the same id a second time answers NOT_FOUND', async () => {
    const c = await signedIn();
    const added = await c.request(ADD_NOTE, { input: { text: 'short-lived' } });
    const id = added.data?.addNote.id ?? '';
    expect((await c.request(DELETE_NOTE, { id })).data?.deleteNote).toBe(true);
    expect((await c.request(NOTES)).data?.notes).toEqual([]);
    expect(errorCode(await c.request(DELETE_NOTE, { id }))).toBe('NOT_FOUND');
  });
});

describe('between users', () => {
  it("one user neither sees nor deletes another's notes: the id answers NOT_FOUND and the note stays", async () => {
    const owner = await signedIn();
    const other = await signedIn();
    const added = await owner.request(ADD_NOTE, { input: { text: 'mine alone' } });
    const id = added.data?.addNote.id ?? '';

    expect((await other.request(NOTES)).data?.notes).toEqual([]);
    const refused = await other.request(DELETE_NOTE, { id });
    expect(errorCode(refused)).toBe('NOT_FOUND');
    expect(refused.errors?.[0]?.message).toBe('No such note.');
    expect((await owner.request(NOTES)).data?.notes.map((note) => note.id)).toEqual([id]);
  });
});

describe('input validation', () => {
  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['over 1000 characters', 'x'.repeat(1001)],
    // PostgreSQL's text cannot hold NUL; an unpaired surrogate would be stored as U+FFFD, not as sent.
    ['holding a NUL character', 'a\u0000b'],
    ['holding an unpaired surrogate', 'a\ud800b'],
  ])(
    'a note that is %s answers BAD_USER_INPUT on "text" and writes nothing',
    async (_name, text) => {
      const c = await signedIn();
      const before = await noteCount();
      const refused = await c.request(ADD_NOTE, { input: { text } });
      expect(errorCode(refused)).toBe('BAD_USER_INPUT');
      expect(refused.errors?.[0]?.extensions?.field).toBe('text');
      expect(await noteCount()).toBe(before);
    },
  );

  it('a note of exactly 1000 characters is kept whole', async () => {
    const c = await signedIn();
    const added = await c.request(ADD_NOTE, { input: { text: 'y'.repeat(1000) } });
    expect(added.data?.addNote.text).toHaveLength(1000);
  });

  it.each([0, 101])('notes(first: %i) answers BAD_USER_INPUT on "first"', async (first) => {
    const c = await signedIn();
    const refused = await c.request(NOTES, { first });
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.extensions?.field).toBe('first');
  });

  it('notes(first: 2) answers the two newest', async () => {
    const c = await signedIn();
    for (const text of ['one', 'two', 'three']) {
      await c.request(ADD_NOTE, { input: { text } });
      clock.advance(SECOND);
    }
    const { data } = await c.request(NOTES, { first: 2 });
    expect(data?.notes.map((note) => note.text)).toEqual(['three', 'two']);
  });

  it('deleteNote with an id that is not a UUID answers NOT_FOUND', async () => {
    const c = await signedIn();
    expect(errorCode(await c.request(DELETE_NOTE, { id: 'not-a-uuid' }))).toBe('NOT_FOUND');
  });
});
