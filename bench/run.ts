import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { withClient } from '../test/support/private-postgres.js';
import { type Finished, headerText, writeReport } from './report.js';
import { SCENARIOS } from './scenarios/index.js';
import { ROOT } from './servers.js';
import { log, settings } from './settings.js';

/**
 * `npm run bench` runs every scenario and rewrites BENCHMARKS.md; `npm run bench -- <name>…` runs
 * those and replaces only their sections. `--list` names the scenarios; `--no-build` skips
 * `npm run build` (the bench runs the compiled dist/, as `npm start` does). Environment: see settings.ts.
 */

const USAGE = `usage: npm run bench [-- [--no-build] [<scenario>…]]   (--list names the scenarios)`;

const args = process.argv.slice(2);
if (args.includes('--list') || args.includes('--help')) {
  console.log(USAGE);
  for (const s of SCENARIOS) console.log(`  ${s.name.padEnd(12)} ${s.title}`);
  process.exit(0);
}
const build = !args.includes('--no-build');
const names = args.filter((arg) => !arg.startsWith('--'));
const unknown = names.filter((name) => !SCENARIOS.some((s) => s.name === name));
if (unknown.length) {
  console.error(`unknown scenario: ${unknown.join(', ')}\n${USAGE}`);
  for (const s of SCENARIOS) console.error(`  ${s.name}`);
  process.exit(2);
}
const chosen = names.length ? SCENARIOS.filter((s) => names.includes(s.name)) : SCENARIOS;
const full = chosen.length === SCENARIOS.length;
// A configuration given to the servers is part of how the numbers were made.
const serverEnv = Object.entries(settings.serverEnv).map(([name, value]) => `${name}=${value}`);
const command = `${serverEnv.length ? `BENCH_SERVER_ENV='${serverEnv.join(' ')}' ` : ''}npm run bench${names.length ? ` -- ${names.join(' ')}` : ''}`;
const today = () => new Date().toISOString().slice(0, 10);

const started = Date.now();
const loadBefore = loadavg()[0] ?? 0;
if (build) {
  // What `npm run build` (or the first `npm start`) does once per install: not part of any measurement.
  const built = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
}
const pgVersion = await withClient(
  settings.adminUrl,
  async (client) => (await client.query('SHOW server_version')).rows[0].server_version as string,
);

const finished: Finished[] = [];
const failed: string[] = [];
/** This run's command, machine and load: the header of a full run, or of a file that has none yet. */
const currentHeader = () =>
  headerText({
    command,
    pgVersion,
    loadBefore,
    loadAfter: loadavg()[0] ?? 0,
    minutes: (Date.now() - started) / 60_000,
    date: today(),
  });
const report = (complete: boolean) =>
  writeReport({
    path: join(ROOT, 'BENCHMARKS.md'),
    scenarios: SCENARIOS,
    finished,
    header: currentHeader(),
    full: complete,
  });
for (const scenario of chosen) {
  const begun = Date.now();
  const before = loadavg()[0] ?? 0;
  log(`${scenario.name}: start`);
  try {
    const outcome = await scenario.run();
    const minutes = (Date.now() - begun) / 60_000;
    finished.push({
      scenario,
      outcome,
      run: {
        command,
        date: today(),
        node: process.version,
        durationS: settings.durationS,
        loadBefore: before,
        loadAfter: loadavg()[0] ?? 0,
        minutes,
      },
    });
    // Written as each scenario finishes, so a long run cut short keeps what it measured.
    report(false);
    const missed = outcome.verdicts.filter((v) => !v.pass && !v.words).map((v) => v.goal);
    log(
      `${scenario.name}: done in ${minutes.toFixed(1)} min${missed.length ? `; missed: ${missed.join('; ')}` : ''}`,
    );
  } catch (error) {
    // The previous section stays in BENCHMARKS.md; the run goes on and exits non-zero.
    failed.push(scenario.name);
    console.error(`[bench] ${scenario.name} failed:`, error);
  }
}

const minutes = (Date.now() - started) / 60_000;

if (finished.length) {
  report(full && failed.length === 0);
  log(
    `BENCHMARKS.md: ${finished.map((f) => f.scenario.name).join(', ')} in ${minutes.toFixed(1)} min`,
  );
}
if (failed.length) log(`failed: ${failed.join(', ')}`);
process.exit(failed.length ? 1 : 0);
