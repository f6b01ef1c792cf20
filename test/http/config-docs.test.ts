import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README, readmeIsCurrent, renderTable } from '../../scripts/config-docs.js';
import { OPTIONS } from '../../src/config/options.js';
import { ConfigError, loadConfig } from '../../src/config.js';

/**
 * Each option is declared once (src/config/options.ts); the README's table is printed from there, and
 * a bad value of any kind stops the start with one line naming its variable.
 */

const SECRET = 'config-docs-test-secret-0123456789abcdef';

describe('the README configuration table', () => {
  it('is the one the declarations print (`npm run config:docs` rewrites it)', () => {
    expect(readmeIsCurrent()).toBe(true);
  });

  it('lists every user-facing option and none of the internal ones', () => {
    const readme = readFileSync(README, 'utf8');
    const table = renderTable();
    for (const [name, option] of Object.entries(OPTIONS)) {
      const row = `| \`${name}\` |`;
      expect({ name, listed: table.includes(row) }).toEqual({
        name,
        listed: !('internal' in option),
      });
    }
    expect(readme).toContain(table);
  });
});

describe('a value of the wrong type', () => {
  it.each([
    ['COOKIE_SECURE', 'maybe'],
    ['PORT', 'eighty'],
    ['MAIL_POLL_INTERVAL', 'soon'],
    ['SESSION_CACHE_SIZE', '-1'],
    ['LOG_LEVEL', 'loud'],
    ['ALLOWED_ORIGINS', 'app.example.com'],
  ])('%s=%s stops the start with one line naming the variable', (name, value) => {
    const attempt = () => loadConfig({ SESSION_SECRET: SECRET, [name]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`^Invalid ${name}\\b[^\\n]*$`));
  });
});
