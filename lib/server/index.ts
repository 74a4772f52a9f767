/**
 * The cache server's public entry point: `startServer({ port: 0 })` in tests and tools,
 * `bin/cdk-valkey-server.ts` on the command line.
 */
import { Config } from './config';
import { ServerCore } from './server';

export interface ServerOptions {
  /** TCP port; 0 picks a free one. @default 6379 */
  port?: number;
  /** Addresses to listen on, space-separated as redis.conf's `bind`. @default '* -::*' (all interfaces) */
  bind?: string;
  /** Password clients must send with AUTH or HELLO. @default - no password */
  requirepass?: string;
  /** Number of databases. @default 16 */
  databases?: number;
  /** Memory limit in bytes or as '100mb'. @default 0 - no limit */
  maxmemory?: number | string;
  /** @default 'notice' */
  loglevel?: 'debug' | 'verbose' | 'notice' | 'warning';
  /** Any other config parameter by its redis.conf name, e.g. { 'maxmemory-policy': 'allkeys-lru' }. */
  config?: Record<string, string>;
  /** Receives log lines in redis-server's format. @default - no logging */
  logger?: (line: string) => void;
}

/** Builds the Config for a set of options; throws on an unknown parameter or invalid value. */
export function configFromOptions(options: ServerOptions, base = new Config()): Config {
  const set = (name: string, value: string | number | undefined): void => {
    if (value === undefined) return;
    try {
      base.setInitial(name, String(value));
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(`Invalid server option '${name}' = '${value}': ${reason}`);
    }
  };
  for (const [name, value] of Object.entries(options.config ?? {})) set(name, value);
  set('port', options.port);
  set('bind', options.bind);
  set('requirepass', options.requirepass);
  set('databases', options.databases);
  set('maxmemory', options.maxmemory);
  set('loglevel', options.loglevel);
  return base;
}

export class CacheServer {
  /** The running core; exposed for the command line and tests that need its internals. */
  public readonly core: ServerCore;
  private boundPort = 0;

  constructor(options: ServerOptions = {}, config?: Config, onShutdown?: () => void, onFatal?: () => void) {
    const conf = configFromOptions(options, config);
    this.core = new ServerCore({ conf, logger: options.logger, onShutdown, onFatal });
  }

  /** The TLS port (after listen()), or 0 without TLS. */
  public get tlsPort(): number {
    return this.core.tlsListening[0]?.port ?? 0;
  }

  /** The port the server listens on (after listen(); with port 0, the one chosen). */
  public get port(): number {
    return this.boundPort;
  }

  public async listen(): Promise<{ port: number; host: string }> {
    const bound = await this.core.listen();
    // With `port 0` and a tls-port there is no plain listener: report the TLS one.
    const first = bound[0] ?? this.core.tlsListening[0];
    this.boundPort = first.port;
    return { port: first.port, host: first.host };
  }

  public close(): Promise<void> {
    return this.core.close();
  }
}

/** Creates a server and waits until it listens. */
export async function startServer(options: ServerOptions = {}): Promise<CacheServer> {
  const server = new CacheServer(options);
  await server.listen();
  return server;
}
