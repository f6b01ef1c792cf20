const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a client-given id can name a row of a uuid column: one that cannot is answered as not found
 * before any query, which would only fail on PostgreSQL's cast.
 */
export const isUuid = (value: string): boolean => UUID.test(value);
