import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

// A process of its own: the test runner has loaded the client's modules already, and a module once
// imported cannot be seen being imported again.
const CHILD = `
import { registerHooks } from 'node:module';
const loaded = [];
registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
const { openDatabase } = await import('./src/db/client.ts');
const db = await openDatabase({ kind: 'memory' }, { fromTemplate: true });
const users = await db.prisma.user.count();
await db.close();
console.log(JSON.stringify({ users, base64Modules: loaded.filter((url) => url.includes('wasm-base64')) }));
`;

describe("Prisma's query compiler", () => {
  it('is compiled from its package file without importing the base64 module, and runs queries', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', CHILD],
      { cwd: process.cwd(), timeout: 60_000 },
    );
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    expect(result).toEqual({ users: 0, base64Modules: [] });
  });
});
