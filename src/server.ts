import { createServer } from 'node:http';
import { boot } from './boot.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { DatabaseUnreachableError } from './db/wait.js';
import { createLogger } from './logger.js';

const config = loadConfigOrExit();
const logger = createLogger(config);
const booted = await boot(config, logger).catch((error: unknown) => {
  logger.fatal(error instanceof DatabaseUnreachableError ? error.message : { err: error }, 'cannot start');
  logger.flush();
  process.exit(1);
});

const server = createServer(booted.app.yoga);
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(`sessiongraph on http://${config.host}:${port}/graphql (${booted.db.location})`);
});

let stopping = false;
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
  await booted.close();
  logger.info('stopped');
  logger.flush();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
