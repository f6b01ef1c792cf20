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
  if (!builtIsFresh('dist/server.js', ['src'])) npm('build:server');
  // The account page the browser tests load: rebuilt when its sources changed since the last build.
  if (!builtIsFresh('web/dist/index.html', ['web/src', 'web/index.html'])) npm('build:web');
  npm('build:template');
}

const npm = (script: string) =>
  execFileSync('npm', ['run', script, '--silent'], { cwd: ROOT, stdio: 'inherit' });

/** Whether `output` exists and is newer than every file under `sources` (files or folders, from ROOT). */
function builtIsFresh(output: string, sources: string[]): boolean {
  const built = join(ROOT, output);
  if (!existsSync(built)) return false;
  const builtAt = statSync(built).mtimeMs;
  return sources.every((source) => {
    const path = join(ROOT, source);
    if (!statSync(path).isDirectory()) return statSync(path).mtimeMs <= builtAt;
    return readdirSync(path, { recursive: true, encoding: 'utf8' }).every(
      (file) => statSync(join(path, file)).mtimeMs <= builtAt,
    );
  });
}
