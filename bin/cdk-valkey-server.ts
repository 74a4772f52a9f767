#!/usr/bin/env -S node --min-semi-space-size=8
/**
 * The cache server's command line, with redis-server's syntax:
 *   cdk-valkey-server [/path/to/redis.conf] [--port 6379] [--bind 127.0.0.1] [--requirepass x] ...
 * Logs in redis-server's format; SIGTERM/SIGINT shut down as SHUTDOWN does (the AOF flushed and
 * fsynced, a final RDB save when save points are set), flush replies and exit 0.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Config, ConfigError, applyConfigDirectives, parseCommandLine, parseConfigText } from '../lib/server/config';
import { tuneHeapForCacheServer, tuneHeapForMaxmemory } from '../lib/server/heap-tuning';
import { CacheServer } from '../lib/server/index';
import { DataLoadError } from '../lib/server/persistence/load-error';
import { persistenceOf } from '../lib/server/persistence/manager';
import { SERVER_VERSION, formatLogLine } from '../lib/server/server';
import { TlsConfigError } from '../lib/server/tls';
import { AclStartupError } from '../lib/server/acl/startup';

function usage(): void {
  process.stderr.write(
    [
      'Usage: cdk-valkey-server [/path/to/redis.conf] [options]',
      '       cdk-valkey-server - (read config from stdin)',
      '       cdk-valkey-server -v or --version',
      '       cdk-valkey-server -h or --help',
      '',
      'Examples:',
      '       cdk-valkey-server (run the server with default config)',
      '       cdk-valkey-server /etc/redis/6379.conf',
      '       cdk-valkey-server --port 7777',
      '       cdk-valkey-server /etc/myredis.conf --loglevel verbose',
      '',
    ].join('\n'),
  );
}

function fatalConfig(error: ConfigError): never {
  const [reason, line, text] = error.message.split('|');
  process.stderr.write(`\n*** FATAL CONFIG FILE ERROR (Redis ${SERVER_VERSION}) ***\n`);
  if (line !== undefined) {
    process.stderr.write(`Reading the configuration file, at line ${line}\n>>> '${text}'\n`);
  }
  process.stderr.write(`${reason}\n`);
  process.exit(1);
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '-v' || argv[0] === '--version') {
    process.stdout.write(`Redis server v=${SERVER_VERSION} sha=00000000:0 malloc=libc bits=64 build=cdk-valkey\n`);
    return;
  }
  if (argv[0] === '-h' || argv[0] === '--help') {
    usage();
    return;
  }
  const config = new Config();
  let configFile: string | undefined;
  try {
    const parsed = parseCommandLine(argv);
    configFile = parsed.configFile;
    let text = '';
    if (configFile === '-') text = readFileSync(0, 'utf8');
    else if (configFile !== undefined) text = readFileSync(configFile, 'utf8');
    applyConfigDirectives(config, parseConfigText(`${text}\n${parsed.text}`));
  } catch (err) {
    if (err instanceof ConfigError) fatalConfig(err);
    process.stderr.write(`Fatal error, can't open config file '${configFile}': ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  if (configFile && configFile !== '-') config.configFile = path.resolve(configFile);

  const logger = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  logger(formatLogLine('notice', 'oO0OoO0OoO0Oo cdk-valkey server is starting oO0OoO0OoO0Oo'));
  logger(formatLogLine('notice', `Redis version=${SERVER_VERSION}, bits=64, commit=00000000, modified=0, pid=${process.pid}, just started`));
  if (!configFile) {
    logger(formatLogLine('warning', 'Warning: no config file specified, using the default config. In order to specify a config file use cdk-valkey-server /path/to/redis.conf'));
  } else {
    logger(formatLogLine('notice', 'Configuration loaded'));
  }

  let exiting = false;
  tuneHeapForCacheServer();
  tuneHeapForMaxmemory(config.getNumber('maxmemory'));
  config.onChange((name, value) => {
    if (name === 'maxmemory') tuneHeapForMaxmemory(Number(value));
  });
  // A fatal error exits at once: no reply may acknowledge what could not be persisted.
  const server = new CacheServer({ logger }, config, () => process.exit(0), () => process.exit(1));
  try {
    await server.listen();
  } catch (err) {
    if (err instanceof TlsConfigError) {
      for (const line of err.lines) logger(formatLogLine('warning', line));
      process.exit(1);
    }
    if (err instanceof AclStartupError) {
      for (const line of err.lines) logger(formatLogLine('warning', line));
      process.exit(1);
    }
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof DataLoadError) logger(formatLogLine('warning', `Fatal error loading the DB: ${message} Exiting.`));
    else logger(formatLogLine('warning', `Failed listening on port ${config.get('port')} (tcp), aborting. ${message}`));
    process.exit(1);
  }
  logger(formatLogLine('notice', `Running mode=standalone, port=${server.port}.`));
  logger(formatLogLine('notice', 'Server initialized'));
  if (server.core.listening.length > 0) logger(formatLogLine('notice', 'Ready to accept connections tcp'));
  if (server.core.tlsListening.length > 0) logger(formatLogLine('notice', 'Ready to accept connections tls'));

  const stop = (signal: string): void => {
    if (exiting) return;
    logger(formatLogLine('warning', `Received ${signal} scheduling shutdown...`));
    logger(formatLogLine('warning', 'User requested shutdown...'));
    // As redis-server's prepareForShutdown: a save that fails keeps the server running.
    if (!persistenceOf(server.core).saveForShutdown('default')) {
      logger(formatLogLine('warning', `${signal} received but errors trying to shut down the server, check the logs for more information`));
      return;
    }
    exiting = true;
    void server.close().then(() => {
      logger(formatLogLine('warning', 'Redis is now ready to exit, bye bye...'));
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main(process.argv.slice(2));
