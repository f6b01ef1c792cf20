import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { fmt } from './load.js';
import type { Outcome, Scenario, Verdict } from './scenario.js';
import { settings } from './settings.js';

/**
 * BENCHMARKS.md: a header (how the numbers were made, on what machine), a summary of every goal, and
 * one section per scenario between HTML comment markers, so that `npm run bench -- <name>` replaces
 * its own sections and leaves the others (and the header of the last full run) as they were. Each
 * section says when and how it ran; its verdicts ride along in a comment for the summary.
 */

export interface RunInfo {
  /** The command as typed: `npm run bench` or `npm run bench -- idle rss`. */
  command: string;
  date: string;
  node: string;
  durationS: number;
  loadBefore: number;
  loadAfter: number;
  minutes: number;
}

export interface Finished {
  scenario: Scenario;
  outcome: Outcome;
  run: RunInfo;
}

/** How the numbers are made; with a run, the command, machine and load of that run. */
export function headerText(run?: {
  command: string;
  pgVersion: string;
  loadBefore: number;
  loadAfter: number;
  minutes: number;
  date: string;
}): string {
  const about = run
    ? [
        `- Command: \`${run.command}\` (BENCH_DURATION=${settings.durationS} s per load, ${fmt(settings.bigSessions)} sessions for the scale run, ${settings.idleS} s idle window); took ${run.minutes.toFixed(1)} min`,
        `- Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, nproc ${availableParallelism()}, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM, Node ${process.version}, PostgreSQL ${run.pgVersion}, ${run.date}`,
        `- Load average (1 min) when the run started: ${run.loadBefore.toFixed(1)}; when it ended: ${run.loadAfter.toFixed(1)} (other work on the machine skews absolute numbers)`,
      ]
    : ['- Command, machine and load averages: written by the next full run, `npm run bench`.'];
  return [
    'Produced by `npm run bench` (bench/run.ts; one file per scenario in bench/scenarios/, this file by',
    'bench/report.ts). `npm run bench -- <name>…` re-runs some scenarios and replaces only their sections;',
    'each section says when and how it ran (`npm run bench -- --list` names them). Everything runs on loopback',
    'on one machine: the load generator (autocannon), the server (a child process started as `npm start`',
    'starts it, by the same harness as the process tests: the compiled dist/, `NODE_ENV=production`, real',
    "argon2id at OWASP's parameters) and PostgreSQL share the same cores, so absolute numbers are modest and",
    'noisy; the ratios, measured side by side in one run, are the point.',
    '',
    ...about,
    '- Loads: autocannon, 10 connections unless stated, POST /graphql with a JSON body; latencies in ms,',
    "  percentiles computed from every response's own duration (autocannon's histogram rounds to whole ms).",
    '- Comparisons on one server run each side once unrecorded (warm-up), then five times in turn (A-B, B-A,',
    '  A-B, B-A, A-B), and report the median of each measure, so that drift falls on both sides alike. Comparisons',
    '  of two configurations start new servers every round instead (see the scale scenario). Runs of the same',
    '  load vary by ±10 % on this machine; a ratio is trustworthy to about that.',
  ].join('\n');
}

const open = (id: string) => `<!-- bench:${id} -->`;
const close = (id: string) => `<!-- /bench:${id} -->`;
const block = (id: string, body: string) => `${open(id)}\n${body.trim()}\n${close(id)}`;
const VERDICTS = /<!-- verdicts (.*?) -->/;

/** The body between a block's markers in `text`, if it has that block. */
function blockOf(text: string, id: string): string | undefined {
  const start = text.indexOf(open(id));
  const end = text.indexOf(close(id));
  return start >= 0 && end > start ? text.slice(start + open(id).length, end).trim() : undefined;
}

function section(index: number, done: Finished): string {
  const { scenario, outcome, run } = done;
  const load = `load average ${run.loadBefore.toFixed(1)} → ${run.loadAfter.toFixed(1)}`;
  // `--` may not appear inside an HTML comment; JSON may write the hyphen as an escape instead.
  const verdicts = JSON.stringify(outcome.verdicts).replaceAll('-', '\\u002d');
  return [
    `## ${index + 1}. ${scenario.title}`,
    '',
    scenario.goal,
    '',
    `_\`${run.command}\` on ${run.date}, Node ${run.node}, ${run.durationS} s per load, ${load}; took ${run.minutes.toFixed(1)} min._`,
    '',
    outcome.markdown,
    '',
    `<!-- verdicts ${verdicts} -->`,
  ].join('\n');
}

const placeholder = (index: number, scenario: Scenario) =>
  [
    `## ${index + 1}. ${scenario.title}`,
    '',
    scenario.goal,
    '',
    `_Not run yet: \`npm run bench -- ${scenario.name}\`._`,
  ].join('\n');

function summary(scenarios: readonly Scenario[], bodies: readonly string[]): string {
  const rows = scenarios.flatMap((scenario, index) => {
    const json = VERDICTS.exec(bodies[index] ?? '')?.[1];
    const verdicts = json ? (JSON.parse(json) as Verdict[]) : [];
    const name = `${index + 1}. \`${scenario.name}\``;
    if (!verdicts.length) return [`| ${name} | | | not run |`];
    return verdicts.map((v) => {
      const result = v.words
        ? `**${v.pass ? v.words.pass : v.words.fail}**`
        : v.pass
          ? 'met'
          : '**missed**';
      return `| ${name} | ${v.goal} | ${v.measured} | ${result} |`;
    });
  });
  return ['| scenario | goal | measured | result |', '| --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}

export function writeReport(options: {
  path: string;
  scenarios: readonly Scenario[];
  finished: readonly Finished[];
  /** Written when the file has none yet, or when every scenario ran. */
  header: string;
  full: boolean;
}): void {
  const previous = existsSync(options.path) ? readFileSync(options.path, 'utf8') : '';
  const header = (!options.full && blockOf(previous, 'header')) || options.header;
  const bodies = options.scenarios.map((scenario, index) => {
    const done = options.finished.find((f) => f.scenario.name === scenario.name);
    if (done) return section(index, done);
    const kept = blockOf(previous, scenario.name);
    return kept ? kept.replace(/^## \d+\. /, `## ${index + 1}. `) : placeholder(index, scenario);
  });
  const text = [
    '# Benchmarks',
    '',
    block('header', header),
    '',
    '## Goals',
    '',
    block('summary', summary(options.scenarios, bodies)),
    '',
    ...options.scenarios.flatMap((scenario, index) => [
      block(scenario.name, bodies[index] ?? ''),
      '',
    ]),
  ].join('\n');
  writeFileSync(options.path, `${text.trimEnd()}\n`);
}
