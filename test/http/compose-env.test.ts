import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../../scripts/start-command.js';
import { OPTIONS } from '../../src/config/options.js';

/**
 * The Dockerfile and docker-compose.yml cannot run here (no Docker); they are kept in step with the
 * code by reading them: every variable they give the server is one it reads, they run the Node the
 * README names, and the image starts the server as `npm start` (and so every process test) does.
 * docs/deploy.md shows the nginx and PgBouncer configuration the topology test runs.
 */

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface ComposeService {
  build?: unknown;
  image?: string;
  environment?: Record<string, unknown> | string[];
  command?: unknown;
}

const compose = parse(read('docker-compose.yml')) as { services: Record<string, ComposeService> };
const dockerfile = read('Dockerfile');

const namesOf = (environment: ComposeService['environment']) =>
  Array.isArray(environment)
    ? environment.map((entry) => entry.split('=')[0] ?? '')
    : Object.keys(environment ?? {});

/** `NAME=value` pairs of the Dockerfile's ENV lines (continued with `\`). */
const dockerfileEnvNames = () =>
  [...dockerfile.matchAll(/^ENV ((?:.*\\\n)*.*)$/gm)].flatMap(([, body]) =>
    [...(body ?? '').matchAll(/([A-Z_][A-Z0-9_]*)=/g)].map(([, name]) => name ?? ''),
  );

describe('docker-compose.yml and the Dockerfile', () => {
  it('give the server only variables it declares (src/config/options.ts)', () => {
    const app = Object.entries(compose.services).filter(([, service]) => service.build);
    expect(app.map(([name]) => name)).toEqual(['app']);
    const given = [...namesOf(app[0]?.[1].environment), ...dockerfileEnvNames()];
    expect(given).toContain('DATABASE_URL');
    expect(given.filter((name) => !(name in OPTIONS))).toEqual([]);
  });

  it('run the Node of .nvmrc, the one the README names', () => {
    const major = read('.nvmrc').trim();
    expect(read('README.md')).toContain(`(\`.nvmrc\`: ${major}; CI runs ${major})`);
    const images = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map(([, image]) => image);
    expect(images.length).toBeGreaterThan(0);
    // One Node for every stage, named once.
    for (const image of images) expect(image).toMatch(/^node:\$\{NODE_MAJOR\}-bookworm-slim$/);
    expect(dockerfile).toMatch(new RegExp(`^ARG NODE_MAJOR=${major}$`, 'm'));
  });

  it('start the server with the line `npm start` runs, as the process tests do', () => {
    const { scripts } = JSON.parse(read('package.json')) as { scripts: { start: string } };
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(JSON.parse(cmd ?? 'null')).toEqual(['sh', '-c', scripts.start]);
    expect(compose.services.app?.command).toBeUndefined();
  });
});

describe('docs/deploy.md', () => {
  it.each(['nginx.conf', 'pgbouncer.ini'])(
    'quotes examples/deploy/%s, the file the topology test runs, verbatim',
    (file) => {
      expect(read('docs/deploy.md')).toContain(read(`examples/deploy/${file}`).trimEnd());
    },
  );
});
