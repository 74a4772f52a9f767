/**
 * TLS for the server's `tls-port`: turns the tls-* parameters into a Node SecureContext the way
 * redis-server's tls.c turns them into an SSL_CTX, with the same log messages when a file or
 * setting is bad, and decides whether a handshaken client may stay (`tls-auth-clients`).
 *
 * The connection itself is not handled here: once the handshake is done, the TLS socket goes
 * through the same client, parser and dispatch code as a plain TCP one (server.ts).
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as tls from 'node:tls';

/**
 * The tls-* parameters that shape the context; a CONFIG SET of any of them rebuilds it.
 * tls-auth-clients is not one: as in Redis it is read for each new connection (clientAllowed).
 */
export const TLS_CONTEXT_PARAMS: ReadonlySet<string> = new Set([
  'tls-cert-file',
  'tls-key-file',
  'tls-key-file-pass',
  'tls-ca-cert-file',
  'tls-ca-cert-dir',
  'tls-protocols',
  'tls-ciphers',
  'tls-ciphersuites',
  'tls-prefer-server-ciphers',
]);

/** A TLS setting that cannot be used; `lines` are what redis-server logs, in order. */
export class TlsConfigError extends Error {
  constructor(public readonly lines: readonly string[]) {
    super(lines.join(' '));
  }
}

const PROTOCOLS: readonly tls.SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** Node's own TLSv1.2 list (its default without the TLSv1.3 suites), used when tls-ciphers is empty. */
const DEFAULT_TLS12_CIPHERS = tls.DEFAULT_CIPHERS.split(':')
  .filter((c) => !c.startsWith('TLS_'))
  .join(':');
const DEFAULT_TLS13_SUITES = tls.DEFAULT_CIPHERS.split(':')
  .filter((c) => c.startsWith('TLS_'))
  .join(':');

/** What the context needs, read from the config (a view, so CONFIG SET can try values before keeping them). */
export type TlsSettings = (name: string) => string;

export interface TlsSetup {
  readonly options: tls.SecureContextOptions;
}

/** `yes`: a verified client certificate is required; `optional`: checked only when one is sent. */
export type AuthClients = 'yes' | 'no' | 'optional';

function fail(reason: string): never {
  throw new TlsConfigError([reason, 'Failed to configure TLS. Check logs for more info.']);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `tls-protocols "TLSv1.2 TLSv1.3"` → Node's version range (Node accepts a range, not a set: gaps are filled). */
function protocolRange(text: string): { minVersion: tls.SecureVersion; maxVersion: tls.SecureVersion } {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0) return { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' };
  const indexes = words.map((w) => PROTOCOLS.findIndex((p) => p.toLowerCase() === w.toLowerCase()));
  if (indexes.some((i) => i < 0)) {
    fail("Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.");
  }
  return { minVersion: PROTOCOLS[Math.min(...indexes)], maxVersion: PROTOCOLS[Math.max(...indexes)] };
}

/** tls-ca-cert-dir: every certificate file in the folder (OpenSSL's CApath, read eagerly). */
function readCaDir(dir: string): Buffer[] {
  const out: Buffer[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    if (statSync(file).isFile()) out.push(readFileSync(file));
  }
  return out;
}

/**
 * Builds the context options from the tls-* settings, checking each piece as tls.c does so the
 * error names the file or setting at fault. Throws TlsConfigError.
 */
export function buildTlsSetup(get: TlsSettings): TlsSetup {
  const certFile = get('tls-cert-file');
  const keyFile = get('tls-key-file');
  const passphrase = get('tls-key-file-pass');
  const caFile = get('tls-ca-cert-file');
  const caDir = get('tls-ca-cert-dir');
  const authClients = get('tls-auth-clients') as AuthClients;
  if (authClients !== 'no' && caFile === '' && caDir === '') {
    fail('Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!');
  }
  if (certFile === '') fail('No tls-cert-file configured!');
  if (keyFile === '') fail('No tls-key-file configured!');
  const { minVersion, maxVersion } = protocolRange(get('tls-protocols'));

  let cert: Buffer;
  try {
    cert = readFileSync(certFile);
    new X509Certificate(cert);
  } catch (err) {
    fail(`Failed to load certificate: ${certFile}: ${message(err)}`);
  }
  let key: Buffer;
  try {
    key = readFileSync(keyFile);
    createPrivateKey({ key, passphrase: passphrase === '' ? undefined : passphrase });
  } catch (err) {
    fail(`Failed to load private key: ${keyFile}: ${message(err)}`);
  }
  try {
    tls.createSecureContext({ cert, key, passphrase: passphrase === '' ? undefined : passphrase });
  } catch (err) {
    // The only thing left to fail is the pair: a key that does not belong to the certificate.
    fail(`Failed to load private key: ${keyFile}: ${message(err)}`);
  }

  let ca: Buffer[] | undefined;
  if (caFile !== '' || caDir !== '') {
    try {
      ca = [...(caFile !== '' ? [readFileSync(caFile)] : []), ...(caDir !== '' ? readCaDir(caDir) : [])];
      tls.createSecureContext({ ca });
    } catch (err) {
      fail(`Failed to configure CA certificate(s) file/directory: ${message(err)}`);
    }
  }

  const suites = get('tls-ciphersuites');
  if (suites !== '') {
    // Node takes TLSv1.3 suites in the same list as ciphers, telling them apart by their TLS_ prefix.
    const bad = suites.split(':').some((s) => !s.startsWith('TLS_'));
    try {
      if (bad) throw new Error('not a TLSv1.3 suite');
      tls.createSecureContext({ ciphers: suites });
    } catch {
      fail(`Failed to configure ciphersuites: ${suites}`);
    }
  }
  const ciphers12 = get('tls-ciphers');
  if (ciphers12 !== '') {
    try {
      tls.createSecureContext({ ciphers: ciphers12, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
    } catch {
      fail(`Failed to configure ciphers: ${ciphers12}`);
    }
  }
  const ciphers = `${suites !== '' ? suites : DEFAULT_TLS13_SUITES}:${ciphers12 !== '' ? ciphers12 : DEFAULT_TLS12_CIPHERS}`;

  return {
    options: {
      cert,
      key,
      passphrase: passphrase === '' ? undefined : passphrase,
      ca,
      ciphers,
      minVersion,
      maxVersion,
      honorCipherOrder: get('tls-prefer-server-ciphers') === 'yes',
    },
  };
}

/**
 * Server options for a setup. A certificate is always requested and always judged after the
 * handshake (clientAllowed): Node reads requestCert and rejectUnauthorized from the server, not
 * from the context, so a CONFIG SET of tls-auth-clients could not change them for new connections.
 */
export function serverOptions(setup: TlsSetup): tls.TlsOptions {
  return { ...setup.options, requestCert: true, rejectUnauthorized: false };
}

/**
 * Whether a handshaken client may stay. `yes`: only with a certificate the CA vouches for;
 * `optional`: a client that sent none is fine, one that sent a bad one is not (OpenSSL's
 * SSL_VERIFY_PEER without FAIL_IF_NO_PEER_CERT); `no`: everyone.
 */
export function clientAllowed(authClients: AuthClients, socket: tls.TLSSocket): boolean {
  if (authClients === 'no' || socket.authorized) return true;
  if (authClients === 'yes') return false;
  const peer = socket.getPeerCertificate();
  return peer === null || Object.keys(peer).length === 0;
}

/** Listens on one address with TLS; resolves once bound. Handshake failures go to onClientError. */
export function listenTls(
  options: tls.TlsOptions & { host: string; port: number; ipv6Only: boolean; backlog: number },
  onSecureConnection: (socket: tls.TLSSocket) => void,
  onClientError: (err: Error) => void,
): Promise<tls.Server> {
  const { host, port, ipv6Only, backlog, ...contextOptions } = options;
  return new Promise((resolve, reject) => {
    const server = tls.createServer(contextOptions, onSecureConnection);
    // A plain-TCP client or a refused certificate ends here; the socket is already destroyed.
    server.on('tlsClientError', (err) => onClientError(err));
    server.once('error', reject);
    server.listen({ host, port, ipv6Only, backlog }, () => {
      server.off('error', reject);
      server.on('error', (err) => onClientError(err));
      resolve(server);
    });
  });
}
