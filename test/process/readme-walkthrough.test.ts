import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer } from '../support/server-process.js';

/**
 * The README's curl walk-through, run as written against the server started as `npm start` starts it:
 * every shell block of the section, in order, in one shell (so `CODE` carries over), each printing
 * exactly the answer the README shows under it. Only the port and the data directory differ, as the
 * README's own "another port" and `DATA_DIR` lines say.
 */

const README = resolve(import.meta.dirname, '../../README.md');
const SECTION = '## Try it with curl';
// The README's one requirement besides the server; where curl is missing this fails rather than skips.
const CURL = '/usr/bin/curl';

interface Step {
  command: string;
  /** The block the README shows right under the command; none means it prints nothing. */
  output: string;
}

function walkthrough(readme: string): Step[] {
  const start = readme.indexOf(SECTION);
  const end = readme.indexOf('\n## ', start + SECTION.length);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)\n```(\s*)/g)];
  const steps: Step[] = [];
  blocks.forEach(([, language, body], index) => {
    if (language !== 'sh') return;
    const next = blocks[index + 1];
    const follows =
      next &&
      next[1] === 'json' &&
      next.index === (blocks[index]?.index ?? 0) + (blocks[index]?.[0].length ?? 0);
    steps.push({ command: body ?? '', output: follows ? (next[2] ?? '') : '' });
  });
  return steps;
}

const steps = walkthrough(readFileSync(README, 'utf8'));
const dataDir = mkdtempSync(join(tmpdir(), 'sg-readme-data-'));
const workDir = mkdtempSync(join(tmpdir(), 'sg-readme-cwd-'));
let server: ServerProcess;
beforeAll(async () => {
  server = await spawnServer({ DATA_DIR: dataDir });
}, 90_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
});

describe("the README's curl walk-through", () => {
  it('has the steps the README promises: sign up, me and sessions, the mailed code, reset', () => {
    const commands = steps.map((step) => step.command).join('\n');
    expect(steps.length).toBeGreaterThanOrEqual(5);
    for (const part of [
      'signUp',
      'me {',
      'sessions {',
      'forgetPassword',
      'outbox',
      'resetPassword',
    ])
      expect(commands).toContain(part);
    expect(
      steps.filter((step) => step.command.includes('curl')).every((s) => s.output !== ''),
    ).toBe(true);
  });

  it('runs as written against a started server, each command printing what the README shows', async () => {
    const port = new URL(server.origin).port;
    const marker = '@@end-of-step@@';
    const script = steps
      .map(({ command }) =>
        command
          .replaceAll('http://localhost:4000', `http://localhost:${port}`)
          .replaceAll('.data/', `${dataDir}/`),
      )
      .map((command) => `${command}\necho '${marker}'`)
      .join('\n');
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: workDir,
      env: { PATH: `${CURL.replace(/\/curl$/, '')}:${process.env.PATH ?? ''}` },
      timeout: 60_000,
    });
    const printed = stdout.split(`${marker}\n`).slice(0, steps.length);
    expect(printed.map((text) => text.trim())).toEqual(steps.map((step) => step.output.trim()));
  }, 90_000);
});
