import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SCHEMA_FILE } from '../codegen.js';
import { renderTable } from './config-docs.js';

/**
 * docs/API.md's two generated parts, each between its markers: the printed schema (schema.graphql, as
 * `npm run codegen` writes it from the Pothos schema) and the configuration table (src/config/options.ts,
 * the README's table). The prose around them is written by hand. With `--check` nothing is written: a
 * file that differs fails (CI runs this beside `config:check` and `codegen:check`).
 */

const root = resolve(import.meta.dirname, '..');
export const API_DOC = resolve(root, 'docs', 'API.md');

interface Block {
  name: string;
  begin: string;
  end: string;
  render: () => string;
}

export const BLOCKS: readonly Block[] = [
  {
    name: 'schema',
    begin: '<!-- schema:begin (written by `npm run docs` from schema.graphql) -->',
    end: '<!-- schema:end -->',
    render: () =>
      ['```graphql', readFileSync(resolve(root, SCHEMA_FILE), 'utf8').trimEnd(), '```'].join('\n'),
  },
  {
    name: 'configuration',
    begin: '<!-- config:begin (written by `npm run docs` from src/config/options.ts) -->',
    end: '<!-- config:end -->',
    render: () => renderTable(),
  },
];

/** `doc` with each block's text between its markers replaced by what the sources print now. */
export function withBlocks(doc: string, blocks: readonly Block[] = BLOCKS): string {
  let out = doc;
  for (const { name, begin, end, render } of blocks) {
    const from = out.indexOf(begin);
    const to = out.indexOf(end, from);
    if (from === -1 || to === -1) throw new Error(`docs/API.md lacks the ${name} markers ${begin}`);
    out = `${out.slice(0, from + begin.length)}\n${render()}\n${out.slice(to)}`;
  }
  return out;
}

/** Whether docs/API.md already holds what the schema and the option declarations print. */
export function apiDocIsCurrent(): boolean {
  const doc = readFileSync(API_DOC, 'utf8');
  return withBlocks(doc) === doc;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (!process.argv.includes('--check')) {
    writeFileSync(API_DOC, withBlocks(readFileSync(API_DOC, 'utf8')));
    console.log('wrote the schema and the configuration table in docs/API.md');
  } else if (!apiDocIsCurrent()) {
    console.error(
      'docs/API.md differs from schema.graphql or src/config/options.ts (run `npm run docs` and commit)',
    );
    process.exit(1);
  } else {
    console.log('docs/API.md is up to date');
  }
}
