import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_DOC, apiDocIsCurrent } from '../../scripts/api-docs.js';
import { renderTable } from '../../scripts/config-docs.js';

/** docs/API.md shows the schema and the configuration the code has, not the ones it once had. */

const schema = readFileSync(resolve(import.meta.dirname, '../../schema.graphql'), 'utf8');

describe('docs/API.md', () => {
  it('holds the schema and configuration table the code prints (`npm run docs` rewrites them)', () => {
    expect(apiDocIsCurrent()).toBe(true);
  });

  it('shows schema.graphql whole, as one graphql block, and the whole configuration table', () => {
    const doc = readFileSync(API_DOC, 'utf8');
    expect(doc).toContain(`\`\`\`graphql\n${schema.trimEnd()}\n\`\`\``);
    expect(doc).toContain(renderTable());
  });

  it('names every root field of the schema in its prose, outside the generated block', () => {
    const doc = readFileSync(API_DOC, 'utf8');
    const prose = doc.slice(0, doc.indexOf('<!-- schema:begin'));
    const roots = [...schema.matchAll(/^type (Query|Mutation|Subscription) \{\n([\s\S]*?)\n\}/gm)];
    const fields = roots.flatMap(([, , body]) =>
      [...(body ?? '').matchAll(/^ {2}(\w+)[(:]/gm)].map((match) => match[1] as string),
    );
    expect(fields.length).toBeGreaterThan(10);
    expect(fields.filter((field) => !prose.includes(`\`${field}`))).toEqual([]);
  });
});
