/**
 * TLS on tls-port, against redis-server 7.0 built with TLS (Debian's is) as the oracle: the same
 * certificates (made here with openssl), the same clients (redis-cli --tls, ioredis, a raw Node TLS
 * socket), the same outcomes — commands work over TLS, a plain-TCP client on the TLS port gets
 * nothing and is closed, tls-auth-clients yes/optional/no admit exactly whom Redis admits, CONFIG
 * SET of the files reloads the context (or refuses with Redis's reply), and bad files stop
 * start-up with Redis's log lines.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tls from 'node:tls';
import Redis from 'ioredis';
import { CertDir, type CertPair } from '../support/certs';
import { decodeReply, encodeCommand, type CommandArg } from '../support/resp';
import { freePort, LOOPBACK, OUR_CLI, RawClient, startOurServer, startRedisServer, type ServerHandle, type ServerKind } from '../support';

const certs = new CertDir();
let ca: CertPair;
let server: CertPair;
let client: CertPair;
let otherCa: CertPair;
let stranger: CertPair;
let server2: CertPair;
let encrypted: CertPair;

beforeAll(() => {
  ca = certs.ca('ca');
  server = certs.signed('server', ca);
  client = certs.signed('client', ca);
  otherCa = certs.ca('other-ca');
  stranger = certs.signed('stranger', otherCa);
  server2 = certs.signed('server2', otherCa);
  encrypted = certs.signed('encrypted', ca, { passphrase: 'open sesame' });
});

afterAll(() => certs.remove());

const KINDS: ServerKind[] = ['ours', 'redis'];

interface TlsServer {
  readonly handle: ServerHandle;
  readonly tlsPort: number;
}

function tlsConfig(extra: Record<string, string> = {}): Record<string, string> {
  return { 'tls-cert-file': server.cert, 'tls-key-file': server.key, 'tls-ca-cert-file': ca.cert, ...extra };
}

/**
 * Starts a server with a plain port (for readiness and admin) and a TLS port. The TLS port was free
 * when picked but can be taken before the server binds it: then it is picked again.
 */
async function startTls(kind: ServerKind, config: Record<string, string> = tlsConfig()): Promise<TlsServer> {
  for (let attempt = 1; ; attempt++) {
    const tlsPort = await freePort();
    const all = { 'tls-port': String(tlsPort), ...config };
    try {
      const handle =
        kind === 'redis'
          ? await startRedisServer({ config: all })
          : await startOurServer({ args: Object.entries(all).flatMap(([k, v]) => [`--${k}`, v]) });
      return { handle, tlsPort };
    } catch (err) {
      if (attempt === 3 || !/address already in use|EADDRINUSE/i.test(String(err))) throw err;
    }
  }
}

interface Exchange {
  /** Replies received, as text. */
  readonly replies: string[];
  /** The server closed the connection (or the handshake failed). */
  readonly closed: boolean;
}

/** Connects with TLS, sends the commands, and collects replies until all came or the server closed. */
function tlsExchange(port: number, options: tls.ConnectionOptions, commands: CommandArg[][]): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: LOOPBACK, port, servername: 'localhost', ...options });
    let buffer = Buffer.alloc(0);
    const replies: string[] = [];
    let done = false;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ replies, closed });
    };
    // A safety net so a silent server fails the test instead of hanging it; never reached when things work.
    const timer = setTimeout(() => finish(false), 30000);
    socket.on('secureConnect', () => socket.write(Buffer.concat(commands.map((c) => encodeCommand(c)))));
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (let decoded = decodeReply(buffer, 0); decoded !== null; decoded = decodeReply(buffer, 0)) {
        replies.push(buffer.subarray(0, decoded.end).toString('latin1'));
        buffer = buffer.subarray(decoded.end);
      }
      if (replies.length === commands.length) finish(false);
    });
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
  });
}

function withCert(pair: CertPair | undefined, trust: CertPair = ca): tls.ConnectionOptions {
  const options: tls.ConnectionOptions = { ca: fs.readFileSync(trust.cert) };
  if (pair !== undefined) {
    options.cert = fs.readFileSync(pair.cert);
    options.key = fs.readFileSync(pair.key);
  }
  return options;
}

function redisCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('redis-cli', args, { timeout: 20000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs a server command line to its exit (start-up failures); returns its exit code and output. */
function runToExit(kind: ServerKind, args: string[]): Promise<{ code: number | null; output: string }> {
  const [command, argv] = kind === 'redis' ? ['redis-server', args] : [process.execPath, [OUR_CLI, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd: certs.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    // A server that does not exit is the failure this guards against: kill it and report.
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The warning lines of a log, without the pid/time prefix. */
function warnings(output: string): string[] {
  return output
    .split('\n')
    .map((line) => /^\d+:[A-Z] .{24} # (.*)$/.exec(line)?.[1])
    .filter((m): m is string => m !== undefined);
}

describe.each(KINDS)('TLS clients against %s', (kind) => {
  let s: TlsServer;

  beforeAll(async () => {
    s = await startTls(kind);
  });

  afterAll(async () => {
    await s?.handle.stop();
  });

  test('redis-cli --tls with a client certificate runs PING, SET, GET', async () => {
    const base = ['-h', LOOPBACK, '-p', String(s.tlsPort), '--tls', '--cacert', ca.cert, '--cert', client.cert, '--key', client.key];
    expect((await redisCli([...base, 'PING'])).stdout).toBe('PONG\n');
    expect((await redisCli([...base, 'SET', 'cli-key', 'over tls'])).stdout).toBe('OK\n');
    expect((await redisCli([...base, 'GET', 'cli-key'])).stdout).toBe('over tls\n');
  });

  test('ioredis with tls options runs PING, SET, GET', async () => {
    const redis = new Redis({
      host: LOOPBACK,
      port: s.tlsPort,
      tls: { ...withCert(client), servername: 'localhost' },
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      await redis.connect();
      expect(await redis.ping()).toBe('PONG');
      expect(await redis.set('io-key', 'secret value')).toBe('OK');
      expect(await redis.get('io-key')).toBe('secret value');
    } finally {
      redis.disconnect();
    }
  });

  test('a plain-TCP client on the TLS port gets no reply and is closed', async () => {
    const raw = await RawClient.connect(s.tlsPort);
    try {
      await raw.send('PING');
      const result = await raw.readUntilClosed(10000);
      expect(result.closed).toBe(true);
      expect(result.bytes.toString('latin1')).not.toContain('PONG');
    } finally {
      await raw.close();
    }
  });

  test('tls-auth-clients yes (the default) refuses a client without a certificate, and one from another CA', async () => {
    expect(await tlsExchange(s.tlsPort, withCert(undefined), [['PING']])).toEqual({ replies: [], closed: true });
    expect(await tlsExchange(s.tlsPort, withCert(stranger), [['PING']])).toEqual({ replies: [], closed: true });
    expect(await tlsExchange(s.tlsPort, withCert(client), [['PING']])).toEqual({ replies: ['+PONG\r\n'], closed: false });
  });

  test('the plain port keeps working beside the TLS one', async () => {
    const raw = await RawClient.connect(s.handle.port);
    try {
      expect(await raw.callText('GET', 'cli-key')).toBe('$8\r\nover tls\r\n');
      expect(await raw.callText('CONFIG', 'GET', 'tls-port')).toBe(`*2\r\n$8\r\ntls-port\r\n$${String(s.tlsPort).length}\r\n${s.tlsPort}\r\n`);
    } finally {
      await raw.close();
    }
  });
});

describe.each(KINDS)('TLS settings against %s', (kind) => {
  const servers: TlsServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.handle.stop()));
  });
  async function start(config: Record<string, string>): Promise<TlsServer> {
    const s = await startTls(kind, config);
    servers.push(s);
    return s;
  }
  async function admin(s: TlsServer, ...args: string[]): Promise<string> {
    const raw = await RawClient.connect(s.handle.port);
    try {
      return await raw.callText(...args);
    } finally {
      await raw.close();
    }
  }

  test('tls-auth-clients optional admits a client without a certificate but not one with a bad certificate', async () => {
    const s = await start(tlsConfig({ 'tls-auth-clients': 'optional' }));
    expect(await tlsExchange(s.tlsPort, withCert(undefined), [['PING']])).toEqual({ replies: ['+PONG\r\n'], closed: false });
    expect(await tlsExchange(s.tlsPort, withCert(client), [['PING']])).toEqual({ replies: ['+PONG\r\n'], closed: false });
    expect(await tlsExchange(s.tlsPort, withCert(stranger), [['PING']])).toEqual({ replies: [], closed: true });
  });

  test('tls-auth-clients no needs no CA and admits anyone; CONFIG SET yes then applies to new connections', async () => {
    const s = await start({ 'tls-cert-file': server.cert, 'tls-key-file': server.key, 'tls-auth-clients': 'no' });
    expect(await tlsExchange(s.tlsPort, withCert(undefined), [['PING']])).toEqual({ replies: ['+PONG\r\n'], closed: false });
    // Without a CA nothing can be verified: even a good client certificate is refused.
    expect(await admin(s, 'CONFIG', 'SET', 'tls-auth-clients', 'yes')).toBe('+OK\r\n');
    expect(await tlsExchange(s.tlsPort, withCert(undefined), [['PING']])).toEqual({ replies: [], closed: true });
    expect(await tlsExchange(s.tlsPort, withCert(client), [['PING']])).toEqual({ replies: [], closed: true });
    expect(await admin(s, 'CONFIG', 'SET', 'tls-ca-cert-file', ca.cert)).toBe('+OK\r\n');
    expect(await tlsExchange(s.tlsPort, withCert(undefined), [['PING']])).toEqual({ replies: [], closed: true });
    expect(await tlsExchange(s.tlsPort, withCert(client), [['PING']])).toEqual({ replies: ['+PONG\r\n'], closed: false });
  });

  test('CONFIG SET tls-cert-file/tls-key-file reloads the certificate for new connections; a bad file is refused and changes nothing', async () => {
    const s = await start(tlsConfig());
    expect(await admin(s, 'CONFIG', 'SET', 'tls-cert-file', path.join(certs.dir, 'missing.crt'))).toBe(
      "-ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to update TLS configuration. Check server logs.\r\n",
    );
    expect(await admin(s, 'CONFIG', 'GET', 'tls-cert-file')).toBe(`*2\r\n$13\r\ntls-cert-file\r\n$${server.cert.length}\r\n${server.cert}\r\n`);
    expect(await tlsExchange(s.tlsPort, withCert(client), [['PING']])).toEqual({ replies: ['+PONG\r\n'], closed: false });
    // server2's certificate comes from the other CA: after the reload only clients trusting it connect.
    expect(await admin(s, 'CONFIG', 'SET', 'tls-cert-file', server2.cert, 'tls-key-file', server2.key)).toBe('+OK\r\n');
    expect(await tlsExchange(s.tlsPort, withCert(client, otherCa), [['PING']])).toEqual({ replies: ['+PONG\r\n'], closed: false });
    expect(await tlsExchange(s.tlsPort, withCert(client, ca), [['PING']])).toEqual({ replies: [], closed: true });
  });

  test('tls-protocols limits the versions a client may use', async () => {
    const s = await start(tlsConfig({ 'tls-protocols': 'TLSv1.3' }));
    expect(await tlsExchange(s.tlsPort, { ...withCert(client), maxVersion: 'TLSv1.2' }, [['PING']])).toEqual({ replies: [], closed: true });
    expect(await tlsExchange(s.tlsPort, { ...withCert(client), minVersion: 'TLSv1.3' }, [['PING']])).toEqual({ replies: ['+PONG\r\n'], closed: false });
    expect(await admin(s, 'CONFIG', 'SET', 'tls-protocols', 'TLSv1.2')).toBe('+OK\r\n');
    expect(await tlsExchange(s.tlsPort, { ...withCert(client), minVersion: 'TLSv1.3' }, [['PING']])).toEqual({ replies: [], closed: true });
    expect(await tlsExchange(s.tlsPort, { ...withCert(client), maxVersion: 'TLSv1.2' }, [['PING']])).toEqual({ replies: ['+PONG\r\n'], closed: false });
  });

  test('tls-ciphers and tls-ciphersuites choose what is negotiated', async () => {
    const s = await start(tlsConfig({ 'tls-ciphers': 'ECDHE-ECDSA-AES256-GCM-SHA384', 'tls-ciphersuites': 'TLS_CHACHA20_POLY1305_SHA256', 'tls-prefer-server-ciphers': 'yes' }));
    const twelve = await tlsExchange(s.tlsPort, { ...withCert(client), maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' }, [['PING']]);
    expect(twelve).toEqual({ replies: [], closed: true });
    const thirteen = await tlsExchange(s.tlsPort, { ...withCert(client), minVersion: 'TLSv1.3', ciphers: 'TLS_AES_128_GCM_SHA256' }, [['PING']]);
    expect(thirteen).toEqual({ replies: [], closed: true });
    expect(await tlsExchange(s.tlsPort, { ...withCert(client), maxVersion: 'TLSv1.2' }, [['PING']])).toEqual({ replies: ['+PONG\r\n'], closed: false });
    expect(await tlsExchange(s.tlsPort, { ...withCert(client), minVersion: 'TLSv1.3' }, [['PING']])).toEqual({ replies: ['+PONG\r\n'], closed: false });
  });

  test('an encrypted key opens with tls-key-file-pass; CA certificates can come from tls-ca-cert-dir', async () => {
    const caDir = path.join(certs.dir, `ca-dir-${kind}`);
    fs.mkdirSync(caDir, { recursive: true });
    fs.copyFileSync(ca.cert, path.join(caDir, `${certs.subjectHash(ca.cert)}.0`));
    const s = await start({ 'tls-cert-file': encrypted.cert, 'tls-key-file': encrypted.key, 'tls-key-file-pass': 'open sesame', 'tls-ca-cert-dir': caDir });
    expect(await tlsExchange(s.tlsPort, withCert(client), [['SET', 'k', 'v'], ['GET', 'k']])).toEqual({ replies: ['+OK\r\n', '$1\r\nv\r\n'], closed: false });
    expect(await tlsExchange(s.tlsPort, withCert(stranger), [['PING']])).toEqual({ replies: [], closed: true });
  });
});

describe.each(KINDS)('TLS start-up against %s', (kind) => {
  test('port 0 with a tls-port listens on TLS only', async () => {
    let tlsPort = 0;
    let child: ChildProcess | undefined;
    let output = '';
    try {
      // The TLS port was free when picked; if something took it before the server bound it, pick again.
      for (let attempt = 1; child === undefined; attempt++) {
        tlsPort = await freePort();
        const args = ['--port', '0', '--bind', LOOPBACK, '--save', '', '--tls-port', String(tlsPort)];
        args.push('--tls-cert-file', server.cert, '--tls-key-file', server.key, '--tls-ca-cert-file', ca.cert);
        const [command, argv] = kind === 'redis' ? ['redis-server', args] : [process.execPath, [OUR_CLI, ...args]];
        const started = spawn(command, argv, { cwd: certs.dir, stdio: ['ignore', 'pipe', 'pipe'] });
        output = '';
        const listening = await new Promise<boolean>((resolve) => {
          const onData = (c: Buffer): void => {
            output += c.toString();
            // redis-server 7.0 says "Ready to accept connections"; ours adds the kind, as 7.2 does.
            if (output.includes('Ready to accept connections')) resolve(true);
          };
          started.stdout.on('data', onData);
          started.stderr.on('data', onData);
          // 'close', not 'exit': by then all of its output has been read.
          started.on('close', () => resolve(false));
        });
        if (listening) child = started;
        else if (attempt === 3 || !/address already in use/i.test(output)) throw new Error(`exited before listening:\n${output}`);
      }
      expect(output).not.toContain('Ready to accept connections tcp');
      expect(await tlsExchange(tlsPort, withCert(client), [['PING'], ['CONFIG', 'GET', 'port']])).toEqual({
        replies: ['+PONG\r\n', '*2\r\n$4\r\nport\r\n$1\r\n0\r\n'],
        closed: false,
      });
    } finally {
      if (child !== undefined && child.exitCode === null && child.signalCode === null) {
        const running = child;
        const exited = new Promise((resolve) => running.once('exit', resolve));
        running.kill('SIGTERM');
        await exited;
      }
    }
  });

  const missing = '/nonexistent/cdk-valkey.pem';
  test.each([
    ['a missing certificate', () => ['--tls-cert-file', missing, '--tls-key-file', server.key, '--tls-ca-cert-file', ca.cert], () => `Failed to load certificate: ${missing}: `],
    ['a missing key', () => ['--tls-cert-file', server.cert, '--tls-key-file', missing, '--tls-ca-cert-file', ca.cert], () => `Failed to load private key: ${missing}: `],
    ['a key that is not the certificate’s', () => ['--tls-cert-file', server.cert, '--tls-key-file', client.key, '--tls-ca-cert-file', ca.cert], () => `Failed to load private key: ${client.key}: `],
    ['a wrong key passphrase', () => ['--tls-cert-file', encrypted.cert, '--tls-key-file', encrypted.key, '--tls-key-file-pass', 'nope', '--tls-ca-cert-file', ca.cert], () => `Failed to load private key: ${encrypted.key}: `],
    ['a missing CA file', () => ['--tls-cert-file', server.cert, '--tls-key-file', server.key, '--tls-ca-cert-file', missing], () => 'Failed to configure CA certificate(s) file/directory: '],
    ['no CA while tls-auth-clients is yes', () => ['--tls-cert-file', server.cert, '--tls-key-file', server.key], () => 'Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!'],
    ['an unknown protocol', () => ['--tls-cert-file', server.cert, '--tls-key-file', server.key, '--tls-ca-cert-file', ca.cert, '--tls-protocols', 'TLSv9'], () => "Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'."],
    ['unknown ciphers', () => ['--tls-cert-file', server.cert, '--tls-key-file', server.key, '--tls-ca-cert-file', ca.cert, '--tls-ciphers', 'NOPE'], () => 'Failed to configure ciphers: NOPE'],
    ['unknown ciphersuites', () => ['--tls-cert-file', server.cert, '--tls-key-file', server.key, '--tls-ca-cert-file', ca.cert, '--tls-ciphersuites', 'NOPE'], () => 'Failed to configure ciphersuites: NOPE'],
  ])('%s stops start-up with a clear message', async (_name, tlsArgs, reasonOf) => {
    const reason = reasonOf();
    const port = await freePort();
    const tlsPort = await freePort();
    const { code, output } = await runToExit(kind, ['--port', String(port), '--bind', LOOPBACK, '--save', '', '--tls-port', String(tlsPort), ...tlsArgs()]);
    expect(code).toBe(1);
    const lines = warnings(output);
    expect(lines.slice(-2)).toEqual([expect.stringContaining(reason), 'Failed to configure TLS. Check logs for more info.']);
    expect(lines[lines.length - 2].startsWith(reason)).toBe(true);
  });
});
