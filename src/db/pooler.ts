import pg from 'pg';

/**
 * A connection for `DATABASE_URL` when it goes through a transaction-mode pooler (PgBouncer before
 * 1.21 has no prepared-statement support): every statement is sent unnamed. A named statement is
 * prepared on one server connection and kept there, but the pooler hands each transaction whichever
 * server connection is free, so the name is unknown on the next one, or already taken there by another
 * client ("prepared statement … already exists"). Rate-limiter-flexible and our own hot-path statements
 * (statements.ts) name theirs; Prisma's adapter names none unless told to. Dropping the name here
 * covers every user of the pool at once; an unnamed statement is parsed and planned each time instead.
 */
export class UnnamedStatementsClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const send = this.query.bind(this) as (...args: unknown[]) => unknown;
    this.query = ((query: unknown, ...rest: unknown[]) =>
      send(withoutName(query), ...rest)) as pg.Client['query'];
  }
}

/** A query config without its `name`; text and submittable queries (cursors, streams) as they are. */
function withoutName(query: unknown): unknown {
  if (typeof query !== 'object' || query === null || 'submit' in query || !('name' in query))
    return query;
  const { name: _name, ...unnamed } = query as Record<string, unknown>;
  return unnamed;
}
