import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

/**
 * SQL run below the ORM, for the hot paths where a benchmark showed Prisma's general machinery costing
 * more than the statement itself (bench: cache-miss). A statement has a name so that PostgreSQL parses
 * and plans it once per connection (unless a transaction-mode pooler sits in between: pooler.ts drops
 * the name); PGlite runs in-process, where the parse is cheap.
 */
export interface Statement {
  /** Unique per statement text: PostgreSQL keys a connection's prepared statements by it. */
  name: string;
  text: string;
}

export type RunStatement = <Row>(statement: Statement, values: unknown[]) => Promise<Row[]>;

export function postgresStatements(pool: pg.Pool, onQuery?: (sql: string) => void): RunStatement {
  return async <Row>({ name, text }: Statement, values: unknown[]) => {
    onQuery?.(text);
    const result = await pool.query({ name, text, values });
    return result.rows as Row[];
  };
}

/** PGlite's query waits for any open transaction of Prisma's to end, as a second connection would. */
export function pgliteStatements(pglite: PGlite, onQuery?: (sql: string) => void): RunStatement {
  return async <Row>({ text }: Statement, values: unknown[]) => {
    onQuery?.(text);
    const result = await pglite.query<Row>(text, values);
    return result.rows;
  };
}
