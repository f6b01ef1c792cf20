import { DATABASES, type Db } from './settings.js';

/** One goal of a scenario and whether this run met it. */
export interface Verdict {
  goal: string;
  measured: string;
  pass: boolean;
  /** How pass and fail read in the summary, when not as a met or missed goal (the machinery: keep, remove). */
  words?: { pass: string; fail: string };
}

/** What a scenario hands the report: its section's body (below the title) and its verdicts. */
export interface Outcome {
  markdown: string;
  verdicts: Verdict[];
}

export interface Scenario {
  /** The CLI name: `npm run bench -- <name>`. */
  name: string;
  title: string;
  /** The goal as the issue states it, shown under the title. */
  goal: string;
  run(): Promise<Outcome>;
}

/** A markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => ' --- ').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

/** One table per database, each under its name in bold; databases without rows are left out. */
export function perDatabase(
  header: readonly string[],
  rows: Partial<Record<Db, readonly (readonly string[])[]>>,
): string {
  return DATABASES.filter((db) => rows[db]?.length)
    .map((db) => `**${db}**\n\n${table(header, rows[db] ?? [])}`)
    .join('\n\n');
}

export const verdict = (
  goal: string,
  measured: string,
  pass: boolean,
  words?: Verdict['words'],
): Verdict => ({ goal, measured, pass, ...(words ? { words } : {}) });
