/**
 * Test certificates made with the openssl command line into a scratch folder: a CA, a server
 * certificate for 127.0.0.1/localhost and a client certificate it signed, plus whatever else a
 * test asks for (another CA, an encrypted key). EC keys keep generation fast on busy machines.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface CertPair {
  readonly cert: string;
  readonly key: string;
}

export class CertDir {
  public readonly dir: string;

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-valkey-tls-'));
  }

  public file(name: string): string {
    return path.join(this.dir, name);
  }

  /** A self-signed CA. */
  public ca(name: string): CertPair {
    const pair = { cert: this.file(`${name}.crt`), key: this.file(`${name}.key`) };
    this.key(pair.key);
    openssl(['req', '-x509', '-new', '-key', pair.key, '-out', pair.cert, '-days', '2', '-subj', `/CN=${name}`]);
    return pair;
  }

  /** A certificate signed by `ca`; `passphrase` encrypts its key file. */
  public signed(name: string, ca: CertPair, options: { passphrase?: string } = {}): CertPair {
    const pair = { cert: this.file(`${name}.crt`), key: this.file(`${name}.key`) };
    const plainKey = this.file(`${name}.plain.key`);
    this.key(plainKey);
    const csr = this.file(`${name}.csr`);
    const ext = this.file(`${name}.ext`);
    fs.writeFileSync(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    openssl(['req', '-new', '-key', plainKey, '-out', csr, '-subj', `/CN=${name}`]);
    openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', pair.cert, '-days', '2', '-extfile', ext]);
    if (options.passphrase !== undefined) {
      openssl(['pkcs8', '-topk8', '-in', plainKey, '-out', pair.key, '-v2', 'aes-256-cbc', '-passout', `pass:${options.passphrase}`]);
    } else {
      fs.copyFileSync(plainKey, pair.key);
    }
    return pair;
  }

  /** OpenSSL's subject hash of a certificate, the file name a CA directory (CApath) needs. */
  public subjectHash(cert: string): string {
    return openssl(['x509', '-hash', '-noout', '-in', cert]).trim();
  }

  public remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private key(file: string): void {
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
  }
}

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
