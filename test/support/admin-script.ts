import { spawn } from 'node:child_process';
import { ROOT } from '../../scripts/start-command.js';
import { TEST_SECRET } from './server.js';

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run admin -- …` as a real process, with exactly the environment an operator would give it. */
export function runAdmin(env: Record<string, string>, ...args: string[]): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        SESSION_SECRET: TEST_SECRET,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
