import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The documentation links inside the repository only: every relative link reaches a file of this
 * repository (and a heading, when it names one), and the README sends no one to a web page.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const SKIP = new Set(['node_modules', '.git', 'dist', '.data', 'generated']);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

/** Markdown links and images outside code spans and fenced blocks. */
function links(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1] as string);
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
function anchors(markdown: string): Set<string> {
  const headings = markdown.replace(/```[\s\S]*?```/g, '').matchAll(/^#{1,6}\s+(.+)$/gm);
  return new Set(
    [...headings].map(([, text]) =>
      (text ?? '')
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .trim()
        .replace(/\s/g, '-'),
    ),
  );
}

const files = markdownFiles(ROOT);

describe('documentation links', () => {
  it('finds the README and the docs folder', () => {
    const names = files.map((file) => relative(ROOT, file));
    expect(names).toContain('README.md');
    expect(names).toContain('docs/API.md');
    expect(names).toContain('docs/extending.md');
  });

  it.each(files.map((file) => [relative(ROOT, file), file]))(
    '%s: every relative link reaches a file (and heading) inside the repository',
    (_name, file) => {
      const broken: string[] = [];
      for (const link of links(readFileSync(file, 'utf8'))) {
        if (/^[a-z]+:/i.test(link)) continue;
        const [path = '', fragment] = link.split('#');
        const target = path === '' ? file : resolve(dirname(file), decodeURI(path));
        const inside = !relative(ROOT, target).startsWith('..');
        const found = inside && existsSync(target);
        const headingFound =
          !found || !fragment || !target.endsWith('.md')
            ? true
            : anchors(readFileSync(target, 'utf8')).has(fragment);
        if (!found || !headingFound) broken.push(link);
      }
      expect(broken).toEqual([]);
    },
  );

  it('the README links to no web page: its documentation is in the repository', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(links(readme).filter((link) => /^https?:/i.test(link))).toEqual([]);
  });
});
