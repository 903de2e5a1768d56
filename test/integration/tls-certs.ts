/**
 * A throw-away certificate authority for the TLS integration tests, made with
 * Debian's openssl at test time (nothing is checked in): a CA, and certificates
 * signed by it with the given DNS names and extended key usages.
 */
import { execFileSync } from 'child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

/** PEM files of one certificate: paths on the host and contents. */
export interface IssuedCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
}

/** A CA in a temporary directory; `dispose()` removes it. */
export class TestCa {
  public readonly dir: string;
  public readonly caFile: string;
  public readonly caCert: string;
  private serial = 1;

  constructor(name: string) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'rbit-ca-'));
    chmodSync(this.dir, 0o755); // read by the containers' non-root user in exec
    this.caFile = path.join(this.dir, 'ca.crt');
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', path.join(this.dir, 'ca.key'), '-out', this.caFile, '-days', '2', '-subj', `/CN=${name}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    this.caCert = readFileSync(this.caFile, 'utf8');
  }

  /** A certificate for `commonName` with DNS (and IP) subject alternative names and the given usages. */
  public issue(commonName: string, opts: { dnsNames?: string[]; ipAddresses?: string[]; usages: Array<'serverAuth' | 'clientAuth'> }): IssuedCertificate {
    const base = path.join(this.dir, `${this.serial++}-${commonName.replace(/[^A-Za-z0-9.-]/g, '_')}`);
    const sans = [...(opts.dnsNames ?? []).map(n => `DNS:${n}`), ...(opts.ipAddresses ?? []).map(ip => `IP:${ip}`)];
    const ext = [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      `extendedKeyUsage=${opts.usages.join(',')}`,
      ...sans.length > 0 ? [`subjectAltName=${sans.join(',')}`] : [],
    ];
    writeFileSync(`${base}.ext`, ext.join('\n') + '\n');
    openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${commonName}`]);
    openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', this.caFile, '-CAkey', path.join(this.dir, 'ca.key'),
      '-CAcreateserial', '-days', '2', '-extfile', `${base}.ext`, '-out', `${base}.crt`]);
    chmodSync(`${base}.key`, 0o644); // test-only key, read by the containers' non-root user
    return { certFile: `${base}.crt`, keyFile: `${base}.key`, cert: readFileSync(`${base}.crt`, 'utf8'), key: readFileSync(`${base}.key`, 'utf8') };
  }

  /** The keys of a cert-manager style `kubernetes.io/tls` Secret for `issued`. */
  public secretData(issued: IssuedCertificate): Record<string, string> {
    return { 'tls.crt': issued.cert, 'tls.key': issued.key, 'ca.crt': this.caCert };
  }

  public dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function openssl(args: string[]): void {
  execFileSync('/usr/bin/openssl', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30000 });
}
