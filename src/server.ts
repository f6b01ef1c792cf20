import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Booted } from './boot.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { DatabaseAuthenticationError, DatabaseUnreachableError } from './db/wait.js';
import { errorBody } from './errors.js';
import { createHttpServer } from './http/node-server.js';
import { createLogger } from './logger.js';

const ONE_LINE_ERRORS = [DatabaseUnreachableError, DatabaseAuthenticationError, DataDirLockedError];

const config = loadConfigOrExit();
const logger = createLogger(config);

// The port opens before the database is up, so orchestrators see a live process (/health 200) that is
// not ready yet (/ready 503) while start-up waits up to DB_WAIT; everything else answers 503 until then.
let handler: RequestListener = (req, res) => {
  const path = req.url?.split('?')[0];
  res.setHeader('cache-control', 'no-store');
  if (path === '/health') return void res.writeHead(200).end();
  res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' });
  res.end(errorBody('UNAVAILABLE', 'Starting up.', { retryAfter: 1 }));
};
const server = createHttpServer((req, res) => handler(req, res));
await listenOrExit();
const { port } = server.address() as AddressInfo;
logger.info(`listening on ${config.host}:${port}; /ready answers 503 until the database is up`);

let booted: Booted | undefined;
let stopping = false;
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
try {
  // Loaded only now: the schema, Prisma and the rest take most of a second, which a bad setting need
  // not wait for (it exits at once, above) and the port need not wait for either.
  const { boot } = await import('./boot.js');
  booted = await boot(config, logger);
} catch (error) {
  // Conditions a person fixes outside the code get their one line; anything else keeps its stack.
  const expected = ONE_LINE_ERRORS.some((kind) => error instanceof kind);
  exitWith(expected && error instanceof Error ? error.message : { err: error });
}
handler = booted.app.yoga;
logger.info(`sessiongraph on http://${config.host}:${port}/graphql (${booted.db.location})`);

async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info(`${signal}: finishing in-flight requests`);
  const force = setTimeout(() => {
    logger.warn('shutdown timeout: closing remaining connections');
    server.closeAllConnections();
  }, config.http.shutdownTimeoutMs);
  force.unref();
  server.closeIdleConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await booted?.close();
  logger.info('stopped');
  logger.flush();
  process.exit(0);
}
async function listenOrExit(): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    exitWith(listenFailure(error as NodeJS.ErrnoException));
  }
}

function listenFailure(error: NodeJS.ErrnoException): string {
  const where = `${config.host}:${config.port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `PORT ${config.port} is in use on ${where}: stop what listens there, or set another PORT`;
    case 'EACCES':
      return `PORT ${config.port} cannot be opened on ${where}: permission denied (ports below 1024 need privileges)`;
    case 'EADDRNOTAVAIL':
      return `HOST ${config.host} is not an address of this machine (PORT ${config.port})`;
    default:
      return `cannot listen on ${where} (HOST, PORT): ${error.code ?? error.message}`;
  }
}

function exitWith(reason: string | { err: unknown }): never {
  if (typeof reason === 'string') logger.fatal(reason);
  else logger.fatal(reason, 'cannot start');
  logger.flush();
  process.exit(1);
}

function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
