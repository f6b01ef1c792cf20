import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/start-command.js';

/**
 * Once per run, before any test: the compiled server that the process tests start as `npm start` does
 * (rebuilt when src/ changed, as `npm start` would), and the migrated PGlite template every test
 * database is unpacked from (so parallel test files do not each build it on first use).
 */
export default function setup(): void {
  if (!compiledIsFresh()) npm('build:server');
  npm('build:template');
}

const npm = (script: string) =>
  execFileSync('npm', ['run', script, '--silent'], { cwd: ROOT, stdio: 'inherit' });

function compiledIsFresh(): boolean {
  const compiled = join(ROOT, 'dist/server.js');
  if (!existsSync(compiled)) return false;
  const builtAt = statSync(compiled).mtimeMs;
  return readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).every(
    (file) => statSync(join(ROOT, 'src', file)).mtimeMs <= builtAt,
  );
}
