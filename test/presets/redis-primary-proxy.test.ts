import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as yaml from 'yaml';
import { ClusterPreset, DeployType, ManifestGuard, RainbondComponent } from '../../src';
import { renderHaproxyCfg, renderProxyStartScript } from '../../src/presets/_redis-primary-proxy';
import { RedisSentinelPreset, RedisSentinelPresetOptions } from '../../src/presets/redis-sentinel';
import { workloadPolicyViolations } from '../util/policy';
import { findAll, findOne, synthValid } from '../util/synth';

function synth(options: RedisSentinelPresetOptions = {}, replicas = 3) {
  const chart = Testing.chart();
  new RainbondComponent(chart, 'cache', {
    deployType: replicas === 1 ? DeployType.STATEFUL_SINGLE : DeployType.STATEFUL_MULTIPLE,
    replicas,
    namespace: 'db',
    preset: ClusterPreset.redisSentinel(options),
  });
  return synthValid(chart);
}

const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('primary-only Service for plain clients', () => {
  test('rendered by default: <name>-primary Service in front of a two-pod proxy Deployment', () => {
    const objects = synth();
    const service = findOne(objects, 'Service', 'cache-primary');
    const deployment = findOne(objects, 'Deployment', 'cache-primary');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.ports).toEqual([{ name: 'redis', port: 6379, targetPort: 6379, protocol: 'TCP' }]);
    expect(deployment.spec.replicas).toBe(2);
    const podLabels = deployment.spec.template.metadata.labels;
    expect(matches(service.spec.selector, podLabels)).toBe(true);
    expect(deployment.spec.selector.matchLabels).toEqual(service.spec.selector);
    expect(findOne(objects, 'PodDisruptionBudget', 'cache-primary').spec).toEqual({ maxUnavailable: 1, selector: deployment.spec.selector });
    // the members' Services and budget never select the proxy pods, and the proxy Service never selects a member
    const sts = findOne(objects, 'StatefulSet', 'cache');
    for (const name of ['cache', 'cache-client']) expect(matches(findOne(objects, 'Service', name).spec.selector, podLabels)).toBe(false);
    expect(matches(findOne(objects, 'PodDisruptionBudget', 'cache').spec.selector.matchLabels, podLabels)).toBe(false);
    expect(matches(service.spec.selector, sts.spec.template.metadata.labels)).toBe(false);
  });

  // the image contract (binaries, user, read-only root, nothing written) is checked against the recorded
  // haproxy facts in test/presets/image-contract.test.ts; here: what the contract does not cover
  test('pod: pinned image, pod-level security, the password from the members\' Secret, readiness after the first round of checks', () => {
    const objects = synth();
    const deployment = findOne(objects, 'Deployment', 'cache-primary');
    const pod = deployment.spec.template.spec;
    const proxy = pod.containers[0];
    expect(proxy.image).toBe(RedisSentinelPreset.PROXY_IMAGE);
    expect(proxy.command).toEqual(['sh', '/etc/redis-primary-proxy/start.sh']);
    expect(workloadPolicyViolations(deployment)).toEqual([]);
    expect(pod.enableServiceLinks).toBe(false);
    const config = findOne(objects, 'ConfigMap', 'cache-primary').data;
    expect(Object.keys(config).sort()).toEqual(['haproxy.cfg', 'start.sh']);
    expect(config['start.sh']).toMatch(/\nexec haproxy -db -f "\/etc\/redis-primary-proxy\/haproxy\.cfg"\n$/);
    // the password comes from the members' Secret, never from the manifest
    expect(proxy.env).toEqual([{ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'cache-credentials', key: 'password' } } }]);
    expect(proxy.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 8404 });
    // every server counts as up until its first check: no readiness before the first round (1 s + 3 s connect timeout)
    expect(proxy.readinessProbe.initialDelaySeconds).toBeGreaterThan(4);
  });

  test('haproxy.cfg: every member a server by FQDN, only a primary with a connected replica passes the check', () => {
    const fqdns = [0, 1, 2, 3, 4].map(i => `cache-${i}.cache.db.svc.cluster.local`);
    const cfg = renderHaproxyCfg(fqdns).split('\n').map(l => l.trim());
    expect(cfg.filter(l => l.startsWith('server '))).toEqual(fqdns.map((f, i) => `server member-${i} ${f}:6379`));
    const checks = cfg.filter(l => l.startsWith('tcp-check'));
    expect(checks).toEqual([
      'tcp-check connect',
      'tcp-check send "${REDIS_AUTH_COMMAND}\\r\\n"',
      'tcp-check expect string +OK',
      'tcp-check send "INFO replication\\r\\nQUIT\\r\\n"',
      // an old primary back from a partition says role:master with no replica until Sentinel demotes it
      'tcp-check expect rstring role:master[[:space:]]+connected_slaves:[1-9]',
    ]);
    // the pattern against what INFO replication answers (Redis 7: role, then connected_slaves)
    const pattern = /role:master[\s]+connected_slaves:[1-9]/;
    expect(pattern.test('# Replication\r\nrole:master\r\nconnected_slaves:2\r\nslave0:ip=10.0.0.2')).toBe(true);
    expect(pattern.test('# Replication\r\nrole:master\r\nconnected_slaves:0\r\nmaster_failover_state:no-failover')).toBe(false);
    expect(pattern.test('# Replication\r\nrole:slave\r\nmaster_host:cache-1')).toBe(false);
    // a single member has no replica to wait for
    expect(renderHaproxyCfg([fqdns[0]]).split('\n').map(l => l.trim())).toContain('tcp-check expect string role:master');
    expect(cfg).toContain('balance first');
    expect(cfg.find(l => l.startsWith('default-server'))).toMatch(/on-marked-down shutdown-sessions resolvers cluster init-addr last,libc,none/);
    expect(cfg).toContain('monitor fail if { nbsrv(primary) lt 1 }');
  });

  describe('start script', () => {
    function runStart(password: string | undefined) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proxy-start-'));
      try {
        fs.writeFileSync(path.join(dir, 'start.sh'), renderProxyStartScript());
        fs.writeFileSync(path.join(dir, 'haproxy'), '#!/bin/sh\nprintf "%s\\n" "$REDIS_AUTH_COMMAND" "$*"\n', { mode: 0o755 });
        const env: Record<string, string> = { PATH: `${dir}:/usr/bin:/bin` };
        if (password !== undefined) env.REDIS_PASSWORD = password;
        return spawnSync('sh', [path.join(dir, 'start.sh')], { encoding: 'utf8', env, timeout: 10000 });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }

    test.each([
      ['plain', 'AUTH "plain"'],
      ['with space and "quote" and back\\slash', 'AUTH "with space and \\"quote\\" and back\\\\slash"'],
      ['$dollar `tick`', 'AUTH "$dollar `tick`"'],
    ])('password %j becomes the inline command %s and HAProxy runs in the foreground', (password, expected) => {
      const r = runStart(password);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout.split('\n').slice(0, 2)).toEqual([expected, '-db -f /etc/redis-primary-proxy/haproxy.cfg']);
    });

    test('refuses a missing password and a password with a line break', () => {
      expect(runStart(undefined)).toMatchObject({ status: 2 });
      const r = runStart('two\nlines');
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/must not contain a line break/);
    });
  });

  test('one member gets the same address, so a later growth does not move clients', () => {
    const deployment = findOne(synth({}, 1), 'Deployment', 'cache-primary');
    const cfg = findOne(synth({}, 1), 'ConfigMap', 'cache-primary').data['haproxy.cfg'];
    expect(deployment.spec.replicas).toBe(2);
    expect(cfg).toContain('server member-0 cache-0.cache.db.svc.cluster.local:6379');
  });

  test('primaryService: false renders no proxy', () => {
    const objects = synth({ primaryService: false });
    expect(findAll(objects, 'Deployment')).toEqual([]);
    expect(objects.filter(o => o.metadata.name === 'cache-primary')).toEqual([]);
  });

  test('a custom proxy image and password Secret key are used', () => {
    const proxy = findOne(synth({ proxyImage: 'registry.example.com/haproxy:2.8', passwordSecretKey: 'redis-password' }), 'Deployment', 'cache-primary')
      .spec.template.spec.containers[0];
    expect(proxy.image).toBe('registry.example.com/haproxy:2.8');
    expect(proxy.env[0].valueFrom.secretKeyRef).toEqual({ name: 'cache-credentials', key: 'redis-password' });
  });

  test('with a NetworkPolicy the proxy is admitted to the members and admits the listed clients only', () => {
    const objects = synth({ networkPolicy: { clients: [{ podLabels: { app: 'web' } }] } });
    const proxyPolicy = findOne(objects, 'NetworkPolicy', 'cache-primary');
    const podLabels = findOne(objects, 'Deployment', 'cache-primary').spec.template.metadata.labels;
    expect(proxyPolicy.spec.podSelector.matchLabels).toEqual(podLabels);
    expect(proxyPolicy.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 6379, protocol: 'TCP' }] }]);
    const members = findOne(objects, 'NetworkPolicy', 'cache');
    expect(members.spec.ingress[1].from).toContainEqual({ podSelector: { matchLabels: podLabels } });
  });

  test('the guard lets the proxy be added to a running cluster: nothing blocks', () => {
    const docs = (objects: any[]) => objects.map(o => yaml.stringify(o)).join('---\n');
    const added = ManifestGuard.compare(docs(synth({ primaryService: false })), docs(synth()));
    expect(added.blocked).toBe(false);
    expect(added.blockingCount).toBe(0);
    const same = ManifestGuard.compare(docs(synth()), docs(synth()));
    expect(same.components.flatMap(c => c.findings)).toEqual([]);
  });
});
