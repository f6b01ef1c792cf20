import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OPTIONS, type Option } from '../src/config/options.js';

/**
 * The README's configuration table is printed from the declarations in src/config/options.ts, between
 * two markers, so it only changes when an option does. With `--check` nothing is written: a README
 * that differs fails (CI runs this, as it runs `codegen:check` for schema.graphql).
 */

export const README = resolve(import.meta.dirname, '..', 'README.md');
const BEGIN = '<!-- config:begin (written by `npm run config:docs` from src/config/options.ts) -->';
const END = '<!-- config:end -->';

export function renderTable(options: Record<string, Option> = OPTIONS): string {
  const rows = Object.entries(options)
    .filter(([, option]) => option.internal === undefined)
    .map(
      ([name, option]) =>
        `| \`${name}\` | ${cell(name, option.default)} | ${cell(name, option.doc)} |`,
    );
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

function cell(name: string, text: string): string {
  if (text.includes('|') || text.includes('\n'))
    throw new Error(`${name}: a table cell cannot hold "|" or a line break`);
  return text;
}

/** The README with its table between the markers replaced by `table`. */
export function withTable(readme: string, table: string): string {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin === -1 || end < begin) throw new Error(`README.md lacks the markers ${BEGIN} … ${END}`);
  return `${readme.slice(0, begin + BEGIN.length)}\n${table}\n${readme.slice(end)}`;
}

/** Whether README.md already holds the table the declarations print. */
export function readmeIsCurrent(): boolean {
  const readme = readFileSync(README, 'utf8');
  return withTable(readme, renderTable()) === readme;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (!process.argv.includes('--check')) {
    writeFileSync(README, withTable(readFileSync(README, 'utf8'), renderTable()));
    console.log('wrote the configuration table in README.md');
  } else if (!readmeIsCurrent()) {
    console.error(
      "README.md's configuration table differs from src/config/options.ts (run `npm run config:docs` and commit)",
    );
    process.exit(1);
  } else {
    console.log("README.md's configuration table is up to date");
  }
}
