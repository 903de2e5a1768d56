/**
 * The etcd preset with TLS on the client and peer ports, from cert-manager style
 * Secrets (`tls.crt`, `tls.key`, `ca.crt`) made at test time by a throw-away CA
 * (Debian's openssl), run with Debian's etcd 3.4: a 3-member cluster forms over
 * mutual peer TLS, readiness works through the plain-HTTP metrics port, a client
 * with a certificate signed by the CA reads and writes, and clients without a
 * certificate (or without TLS) are refused.
 */
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { PodCluster, startPodCluster } from './harness';
import { ordinals } from './quorum-steps';
import { IssuedCertificate, TestCa } from './tls-certs';
import { RainbondComponent } from '../../src/component';
import { DeployType } from '../../src/deploy-type';
import { EtcdPreset } from '../../src/presets/etcd';

const COMMANDS = { etcd: '/usr/bin/etcd', etcdctl: '/usr/bin/etcdctl' };
const READY_MS = 90000;

describe('etcd preset with client and peer TLS, client-cert auth (Debian etcd 3.4)', () => {
  let cluster: PodCluster | undefined;
  let ca: TestCa | undefined;
  let client: IssuedCertificate;
  let member: IssuedCertificate;
  let foreign: TestCa | undefined;
  let foreignClient: IssuedCertificate;
  let component: RainbondComponent;

  /** etcdctl over https against member `target`, run in pod `from`, with the given credentials. */
  function etcdctl(from: number, target: number, auth: 'cert' | 'foreign-cert' | 'no-cert' | 'plain', args: string[]) {
    const c = cluster!;
    const endpoint = auth === 'plain' ? `http://${c.fqdn(target)}:2379` : `https://${c.fqdn(target)}:2379`;
    const tlsArgs = auth === 'cert' ? [`--cacert=${ca!.caFile}`, `--cert=${client.certFile}`, `--key=${client.keyFile}`]
      : auth === 'foreign-cert' ? [`--cacert=${ca!.caFile}`, `--cert=${foreignClient.certFile}`, `--key=${foreignClient.keyFile}`]
        : auth === 'no-cert' ? [`--cacert=${ca!.caFile}`] : [];
    return c.exec(from, ['etcdctl', `--endpoints=${endpoint}`, ...tlsArgs, '--dial-timeout=3s', '--command-timeout=5s', ...args], { timeoutMs: 20000 });
  }

  beforeAll(async () => {
    const chart = Testing.chart();
    component = new RainbondComponent(chart, 'etcd', {
      deployType: DeployType.STATEFUL_MULTIPLE,
      replicas: 3,
      namespace: 'itest',
      preset: new EtcdPreset({
        tls: {
          clientSecret: kplus.Secret.fromSecretName(chart, 'client-tls', 'etcd-client-tls'),
          peerSecret: kplus.Secret.fromSecretName(chart, 'peer-tls', 'etcd-peer-tls'),
          clientCertAuth: true,
        },
      }),
    });
    ca = new TestCa('itest etcd CA');
    // What the preset documents: every member's FQDN and the client Service name; server and client usage.
    member = ca.issue('etcd', {
      dnsNames: [...component.podDnsNames, 'etcd-client.itest.svc.cluster.local'],
      usages: ['serverAuth', 'clientAuth'],
    });
    client = ca.issue('itest-client', { usages: ['clientAuth'] });
    foreign = new TestCa('some other CA');
    foreignClient = foreign.issue('itest-client', { usages: ['clientAuth'] });
    cluster = await startPodCluster({
      manifests: Testing.synth(chart),
      statefulSetName: 'etcd',
      commands: COMMANDS,
      secrets: { 'etcd-client-tls': ca.secretData(member), 'etcd-peer-tls': ca.secretData(member) },
    });
  });

  afterAll(async () => {
    await cluster?.dispose();
    ca?.dispose();
    foreign?.dispose();
  });

  test('forms over peer TLS; every member turns ready through the plain-HTTP /health probe', async () => {
    const c = cluster!;
    await c.startAll();
    await Promise.all(ordinals(3).map(i => c.waitReady(i, READY_MS)));
    const list = await etcdctl(0, 1, 'cert', ['member', 'list']);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const i of ordinals(3)) {
      expect(list.stdout).toContain(`etcd-${i}, https://${c.fqdn(i)}:2380, https://${c.fqdn(i)}:2379`);
    }
  });

  test('a client with a certificate signed by the CA writes on one member and reads on every other', async () => {
    const put = await etcdctl(2, 0, 'cert', ['put', '/tls/key', 'secret-value']);
    expect(put.stdout.trim()).toBe('OK');
    for (const i of ordinals(3)) {
      const get = await etcdctl(0, i, 'cert', ['get', '--print-value-only', '/tls/key']);
      expect(get.code).toBe(0);
      expect(get.stdout.trim()).toBe('secret-value');
    }
    const health = await etcdctl(1, 1, 'cert', ['endpoint', 'health']);
    expect(health.code).toBe(0);
  });

  test('a client without a certificate is refused, and so is a client without TLS', async () => {
    const noCert = await etcdctl(1, 0, 'no-cert', ['put', '/tls/intruder', 'x']);
    expect(noCert.code).not.toBe(0);
    expect(noCert.stdout.trim()).not.toBe('OK');
    expect(noCert.stderr).toMatch(/certificate|tls|deadline exceeded/i);
    const plain = await etcdctl(1, 0, 'plain', ['put', '/tls/intruder', 'x']);
    expect(plain.code).not.toBe(0);
    expect(plain.stdout.trim()).not.toBe('OK');
    const wrongCa = await etcdctl(1, 0, 'foreign-cert', ['put', '/tls/intruder', 'x']);
    expect(wrongCa.code).not.toBe(0);
    expect(wrongCa.stdout.trim()).not.toBe('OK');
    // nothing was written by any of them
    const get = await etcdctl(0, 2, 'cert', ['get', '--print-value-only', '/tls/intruder']);
    expect(get.code).toBe(0);
    expect(get.stdout.trim()).toBe('');
  });

  test('the peer port speaks mutual TLS: the member certificate is accepted, no certificate is refused', async () => {
    const c = cluster!;
    // GET /members on the peer port (etcd's peer handler), from pod 2 to member 0, with Node's https client
    const script = `
      const fs = require('fs');
      const [url, ca, cert, key] = process.argv.slice(1);
      const opts = { ca: fs.readFileSync(ca), timeout: 5000 };
      if (cert) { opts.cert = fs.readFileSync(cert); opts.key = fs.readFileSync(key); }
      require('https').get(url, opts, (res) => { res.resume(); console.log('HTTP ' + res.statusCode); })
        .on('error', (e) => { console.log('ERROR ' + e.message); });`;
    const url = `https://${c.fqdn(0)}:2380/members`;
    const peer = async (withCert: boolean) => (await c.exec(2, [process.execPath, '-e', script, url, ca!.caFile,
      ...withCert ? [member.certFile, member.keyFile] : []], { timeoutMs: 15000 })).stdout.trim();
    expect(await peer(true)).toBe('HTTP 200');
    expect(await peer(false)).toMatch(/^ERROR .*(certificate|alert|socket hang up|ECONNRESET)/i);
  });
});
