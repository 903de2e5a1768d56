/**
 * Self-test of the integration harness with a hand-made StatefulSet of two
 * `sh` + `nc` pods: names, env, volumes, users, probes, stop/start, dispose.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync, unlinkSync, writeFileSync } from 'fs';
import * as path from 'path';
import { PodCluster, startPodCluster } from './harness';
import { rollingUpdate } from './harness/ops';
import { createdPaths } from './harness/state';
import { ETCD_IMAGE, REDIS_IMAGE } from '../../src/presets/_image-facts';

const SCRIPT = [
  'echo "args: $1|$2"',
  'test -f /data/init-ran || { echo "init container did not run first"; exit 3; }',
  'n=$(cat /data/count 2>/dev/null || echo 0); echo $((n + 1)) > /data/count',
  'touch /tmp/ready',
  // One line per connection: serve our hostname on 7000.
  'while true; do echo "hi from $(hostname)" | nc -l -N 7000 >/dev/null; done',
].join('\n');

function manifests(): any[] {
  const labels = { 'app.kubernetes.io/name': 'hs' };
  const env = [
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    { name: 'POD_NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'GREETING', value: 'hello-$(POD_NAME)-in-$(POD_NS)' },
    { name: 'ESCAPED', value: '$$(POD_NAME)' },
    { name: 'SECRET_PW', valueFrom: { secretKeyRef: { name: 'hs-secret', key: 'password' } } },
    { name: 'CM_MODE', valueFrom: { configMapKeyRef: { name: 'hs-config', key: 'mode' } } },
  ];
  const mounts = [
    { name: 'data', mountPath: '/data' },
    { name: 'scratch', mountPath: '/tmp' },
    { name: 'config', mountPath: '/config' },
    { name: 'config', mountPath: '/srv/rbit-selftest/etc/app.conf', subPath: 'app.conf' },
  ];
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hs-config', namespace: 'itest' }, data: { conf: 'answer = 42\n', mode: 'fast' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hs-env', namespace: 'itest' }, data: { COLOR: 'blue' } },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'hs', namespace: 'itest' },
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: labels, ports: [{ name: 'talk', port: 7000 }] },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'hs-client', namespace: 'itest' }, spec: { ports: [{ name: 'talk', port: 7000 }] } },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'hs', namespace: 'itest' },
      spec: {
        serviceName: 'hs',
        replicas: 2,
        podManagementPolicy: 'OrderedReady',
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
            terminationGracePeriodSeconds: 5,
            volumes: [
              { name: 'scratch', emptyDir: {} },
              { name: 'config', configMap: { name: 'hs-config', items: [{ key: 'conf', path: 'app.conf', mode: 0o640 }] } },
              { name: 'creds', secret: { secretName: 'hs-secret', defaultMode: 0o400 } },
              {
                name: 'podinfo',
                projected: {
                  sources: [
                    { downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }, { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
                    { configMap: { name: 'hs-env', items: [{ key: 'COLOR', path: 'cfg/color' }] } },
                  ],
                },
              },
            ],
            initContainers: [{
              name: 'init',
              command: ['sh', '-c', 'echo "$POD_NAME" > /data/init-ran'],
              env,
              volumeMounts: mounts,
              securityContext: { readOnlyRootFilesystem: true },
            }],
            containers: [{
              name: 'main',
              command: ['sh', '-c', SCRIPT, 'sh'],
              args: ['$(GREETING)', '$(NOT_DEFINED)'],
              env,
              envFrom: [{ configMapRef: { name: 'hs-env' }, prefix: 'CFG_' }],
              ports: [{ name: 'talk', containerPort: 7000 }],
              volumeMounts: [...mounts, { name: 'creds', mountPath: '/creds' }, { name: 'podinfo', mountPath: '/podinfo' }],
              readinessProbe: { exec: { command: ['sh', '-c', 'test -f /tmp/ready'] }, periodSeconds: 1 },
              startupProbe: { exec: { command: ['sh', '-c', 'test -f /tmp/ready'] }, periodSeconds: 1, failureThreshold: 30 },
              // Fails once per /tmp/sick file.
              livenessProbe: { exec: { command: ['sh', '-c', 'test ! -f /tmp/sick || { rm /tmp/sick; exit 1; }'] }, periodSeconds: 1, failureThreshold: 1 },
              securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            }],
          },
        },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    },
  ];
}

async function sh(cluster: PodCluster, ordinal: number, script: string) {
  return cluster.exec(ordinal, ['sh', '-c', script]);
}

describe('integration harness (two sh/nc pods)', () => {
  let cluster: PodCluster;

  beforeAll(async () => {
    cluster = await startPodCluster({
      manifests: manifests(),
      statefulSetName: 'hs',
      secrets: { 'hs-secret': { password: 's3cret' } },
      commands: { 'say': '/usr/bin/echo', '/opt/rbit-selftest/bin/shout': '/usr/bin/echo' },
    });
    await cluster.startAll();
  });

  afterAll(async () => {
    await cluster?.dispose();
  });

  test('pods have distinct addresses in 198.18.0.0/15 and cluster.local FQDNs', () => {
    expect(cluster.podNames).toEqual(['hs-0', 'hs-1']);
    expect(cluster.fqdn(1)).toBe('hs-1.hs.itest.svc.cluster.local');
    expect(cluster.address(0)).toMatch(/^198\.1[89]\.\d+\.10$/);
    expect(cluster.address(1)).toMatch(/^198\.1[89]\.\d+\.11$/);
    expect(cluster.isRunning(0)).toBe(true);
    expect(cluster.isRunning(1)).toBe(true);
  });

  test('peer FQDNs resolve and connect across namespaces; hostname is the pod name', async () => {
    const names = await sh(cluster, 0, 'getent hosts hs-1.hs.itest.svc.cluster.local hs-1.hs; hostname');
    expect(names.code).toBe(0);
    const lines = names.stdout.trim().split('\n');
    expect(lines[0].split(/\s+/)[0]).toBe(cluster.address(1));
    expect(lines[1].split(/\s+/)[0]).toBe(cluster.address(1));
    expect(lines[2]).toBe('hs-0');
    const own = await sh(cluster, 1, 'getent hosts hs-1 | cut -d" " -f1');
    expect(own.stdout.trim()).toBe(cluster.address(1));
    const other = await sh(cluster, 1, 'getent hosts hs-0 || echo none');
    expect(other.stdout.trim()).toBe('none');
    const talk = await sh(cluster, 0, 'nc -w 3 hs-1.hs.itest.svc.cluster.local 7000 </dev/null');
    expect(talk.stdout.trim()).toBe('hi from hs-1');
  });

  test('env: fieldRef, $(VAR) expansion, $$ escape, secretKeyRef, configMapKeyRef, envFrom prefix, HOSTNAME, service links', async () => {
    const r = await cluster.exec(1, ['env']);
    const env = Object.fromEntries(r.stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(env.POD_NAME).toBe('hs-1');
    expect(env.POD_IP).toBe(cluster.address(1));
    expect(env.GREETING).toBe('hello-hs-1-in-itest');
    expect(env.ESCAPED).toBe('$(POD_NAME)');
    expect(env.SECRET_PW).toBe('s3cret');
    expect(env.CM_MODE).toBe('fast');
    expect(env.CFG_COLOR).toBe('blue');
    expect(env.HOSTNAME).toBe('hs-1');
    expect(env.HS_CLIENT_SERVICE_PORT_TALK).toBe('7000');
    expect(env.HS_SERVICE_HOST).toBeUndefined();
    expect(cluster.logs(1)).toContain('args: hello-hs-1-in-itest|$(NOT_DEFINED)');
  });

  test('configMap volume (items, mode, subPath file) is read-only; root fs is read-only; emptyDir and claim are writable by the pod user', async () => {
    const r = await sh(cluster, 0, [
      'cat /config/app.conf',
      'stat -c %a /config/app.conf',
      'cat /srv/rbit-selftest/etc/app.conf',
      'id -u; id -g; id -G',
      'touch /config/x 2>/dev/null && echo config-writable || echo config-ro',
      'touch /var/tmp/rbit-selftest-x 2>/dev/null && echo root-writable || echo root-ro',
      'touch /tmp/x && echo tmp-ok',
      'touch /data/x && echo data-ok',
      'cat /data/init-ran',
    ].join('; '));
    expect(r.stdout.split('\n')).toEqual([
      'answer = 42', '640', 'answer = 42', '1000', '1000', '1000',
      'config-ro', 'root-ro', 'tmp-ok', 'data-ok', 'hs-0', '',
    ]);
    expect(existsSync('/var/tmp/rbit-selftest-x')).toBe(false);
  });

  test('secret volume (fsGroup makes 0400 group-readable) and projected downwardAPI + configMap', async () => {
    const r = await sh(cluster, 1, 'stat -c "%a %g" /creds/password; cat /creds/password; echo; cat /podinfo/name; echo; cat /podinfo/cfg/color; echo; cat /podinfo/labels');
    expect(r.stdout.split('\n')).toEqual([
      '440 1000', 's3cret', 'hs-1', 'blue',
      'app.kubernetes.io/name="hs"', 'apps.kubernetes.io/pod-index="1"', 'statefulset.kubernetes.io/pod-name="hs-1"',
    ]);
  });

  test('securityContext privileges and command shims (bare on PATH, absolute bind-mounted)', async () => {
    const r = await sh(cluster, 0, "grep -E '^(NoNewPrivs|CapBnd|CapEff)' /proc/self/status; say a; /opt/rbit-selftest/bin/shout b");
    expect(r.stdout.split('\n')).toEqual(['CapEff:\t0000000000000000', 'CapBnd:\t0000000000000000', 'NoNewPrivs:\t1', 'a', 'b', '']);
    const direct = await cluster.exec(1, ['/opt/rbit-selftest/bin/shout', 'c']);
    expect(direct.stdout).toBe('c\n');
    // Not visible outside the containers' mount namespaces.
    expect(existsSync('/opt/rbit-selftest/bin/shout') && statSync('/opt/rbit-selftest/bin/shout').size).toBe(0);
  });

  test('claim data survives stop/start, emptyDir is fresh, stop kills the whole tree', async () => {
    expect((await sh(cluster, 1, 'cat /data/count')).stdout.trim()).toBe('1');
    await sh(cluster, 1, 'echo left > /tmp/left-over; (sleep 300 >/dev/null 2>&1 &) ; sleep 300 >/dev/null 2>&1 &');
    await cluster.stopPod(1, 3000);
    expect(cluster.isRunning(1)).toBe(false);
    await expect(cluster.exec(1, ['true'])).rejects.toThrow(/not running/);
    expect(readdirSync('/proc').filter((p) => /^\d+$/.test(p)).some((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/ns/net`) === netnsInode(cluster.netns(1));
      } catch {
        return false;
      }
    })).toBe(false);
    expect(readFileSafe(path.join(cluster.claimPath(1, 'data'), 'count'))).toBe('1\n');

    await cluster.startPod(1);
    await cluster.waitReady(1, 30000);
    const r = await sh(cluster, 1, 'cat /data/count; ls /tmp');
    expect(r.stdout.split('\n')).toEqual(['2', 'ready', '']);
  });

  test('a crashed container is restarted (restartPolicy Always) and keeps its emptyDir', async () => {
    await sh(cluster, 0, 'echo kept > /tmp/keep');
    cluster.killContainer(0, 'main');
    await waitUntil(() => cluster.restartCount(0) === 1, 15000);
    await cluster.waitReady(0, 30000);
    expect((await sh(cluster, 0, 'cat /data/count /tmp/keep')).stdout).toBe('2\nkept\n');
  });

  test('a failing liveness probe kills the container, which is restarted', async () => {
    await sh(cluster, 0, 'touch /tmp/sick');
    await waitUntil(() => cluster.restartCount(0) === 2, 15000);
    await cluster.waitReady(0, 30000);
    expect((await sh(cluster, 0, 'cat /data/count')).stdout.trim()).toBe('3');
    expect(cluster.logs(0)).toMatch(/liveness probe failed 1 times/);
  });

  test('dispose removes netns, /etc/netns, state dirs, created mount points; idempotent', async () => {
    const netns = [cluster.netns(0), cluster.netns(1)];
    const hub = netns[0].replace(/-p0$/, '-hub');
    const runDir = path.dirname(path.dirname(cluster.claimPath(0, 'data')));
    expect(existsSync(`/run/netns/${hub}`)).toBe(true);
    expect(existsSync(`/etc/netns/${netns[0]}/hosts`)).toBe(true);
    expect(statSync(runDir).isDirectory()).toBe(true);
    await cluster.dispose();
    await cluster.dispose();
    for (const n of [...netns, hub]) {
      expect(existsSync(`/run/netns/${n}`)).toBe(false);
      expect(existsSync(`/etc/netns/${n}`)).toBe(false);
    }
    expect(existsSync(runDir)).toBe(false);
    // Mount points the harness created on the host go at once, unless another
    // (concurrent) run is live: then they stay recorded for later removal.
    // Read the record first: cleanup removes a path before its record.
    const record = await createdPaths();
    for (const created of ['/srv/rbit-selftest', '/opt/rbit-selftest']) {
      if (!record.includes(created)) {
        expect(existsSync(created)).toBe(false);
      }
    }
    expect(cluster.isRunning(0)).toBe(false);
  });
});

function netnsInode(name: string): string {
  return `net:[${statSync(`/run/netns/${name}`).ino}]`;
}

function readFileSafe(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

async function waitUntilAsync(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('integration harness (Parallel, two containers, HTTP and TCP probes, runAsRoot, custom domain)', () => {
  let cluster: PodCluster;
  const web = 'while true; do printf "HTTP/1.0 200 OK\\r\\n\\r\\n$(hostname)" | nc -l -N 8080 >/dev/null; done';
  const side = 'while true; do echo side | nc -l -N 9000 >/dev/null; done';
  const container = (name: string, script: string, port: number, probe: any) => ({
    name,
    command: ['sh', '-c', script],
    ports: [{ name: `p${port}`, containerPort: port }],
    readinessProbe: { ...probe, periodSeconds: 1 },
    volumeMounts: [{ name: 'data', mountPath: '/data' }],
    securityContext: { runAsUser: 1000 },
  });
  const objects = [{
    kind: 'Service',
    metadata: { name: 'par-headless', namespace: 'other' },
    // Without publishNotReadyAddresses: DNS has ready pods only.
    spec: { clusterIP: 'None', selector: { app: 'par' }, ports: [{ port: 8080 }] },
  }, {
    kind: 'StatefulSet',
    metadata: { name: 'par', namespace: 'other' },
    spec: {
      serviceName: 'par-headless',
      replicas: 3,
      podManagementPolicy: 'Parallel',
      template: {
        metadata: { labels: { app: 'par' } },
        spec: {
          initContainers: [{ name: 'init', command: ['sh', '-c', 'test ! -f /data/fail'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
          containers: [
            container('web', web, 8080, { httpGet: { port: 'p8080', path: '/' } }),
            {
              name: 'hog',
              // Holds ~300 MB (one endless line in tail) once /data/hog exists: more than its 32Mi limit.
              command: ['sh', '-c', 'while [ ! -f /data/hog ]; do sleep 0.2; done; rm /data/hog; head -c 300000000 /dev/zero | tail -n 1 >/dev/null || exit 137; sleep 1000'],
              resources: { limits: { memory: '32Mi' } },
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
            },
            {
              ...container('side', side, 9000, { tcpSocket: { port: 9000 } }),
              lifecycle: {
                postStart: { exec: { command: ['sh', '-c', 'echo "$(hostname)" > /data/post-start'] } },
                preStop: { exec: { command: ['sh', '-c', 'echo "$(hostname)" > /data/pre-stop'] } },
              },
            },
          ],
        },
      },
      volumeClaimTemplates: [{ metadata: { name: 'data' } }],
    },
  }];

  beforeAll(async () => {
    cluster = await startPodCluster({ manifests: objects, statefulSetName: 'par', runAsRoot: true, clusterDomain: 'example.test' });
    await cluster.startAll();
    await Promise.all([0, 1, 2].map((i) => cluster.waitReady(i, 30000)));
    // DNS publishes ready pods a moment after they become ready.
    await waitUntilAsync(async () => (await cluster.exec(0, ['getent', 'hosts', 'par-2.par-headless'])).code === 0, 10000);
  });

  afterAll(async () => {
    await cluster?.dispose();
  });

  test('all pods run; both containers are probed; names use the custom domain and governing service', async () => {
    expect([0, 1, 2].map((i) => cluster.isRunning(i))).toEqual([true, true, true]);
    expect(cluster.fqdn(2)).toBe('par-2.par-headless.other.svc.example.test');
    // the servers are nc loops that take one connection at a time, and the readiness probes (every
    // second) take connections too: a refused attempt is tried again
    const ask = () => cluster.exec(0, ['sh', '-c', 'id -u; nc -w 3 par-2.par-headless.other.svc.example.test 8080 </dev/null | tail -n 1; echo; nc -w 3 par-1.par-headless 9000 </dev/null'], { container: 'side' });
    const expected = ['0', 'par-2', 'side', ''];
    let r = await ask();
    for (let attempt = 1; attempt < 5 && JSON.stringify(r.stdout.split('\n')) !== JSON.stringify(expected); attempt++) r = await ask();
    expect(r.stdout.split('\n')).toEqual(expected);
    expect(cluster.logs(0, 'side')).toContain("container 'side' started");
  });

  test('DNS without publishNotReadyAddresses: a stopped pod disappears from its peers, comes back when ready', async () => {
    expect(cluster.dnsMode).toBe('ready');
    const lookup = async () => (await cluster.exec(0, ['sh', '-c', 'getent hosts par-2.par-headless >/dev/null && echo yes || echo no'])).stdout.trim();
    await waitUntilAsync(async () => await lookup() === 'yes', 10000);
    await cluster.stopPod(2, 2000);
    await waitUntilAsync(async () => await lookup() === 'no', 10000);
    await cluster.startPod(2);
    await cluster.waitReady(2, 30000);
    await waitUntilAsync(async () => await lookup() === 'yes', 10000);
  });

  test('lifecycle hooks: postStart after start, preStop before SIGTERM', async () => {
    expect(readFileSafe(path.join(cluster.claimPath(1, 'data'), 'post-start'))).toBe('par-1\n');
    expect(existsSync(path.join(cluster.claimPath(1, 'data'), 'pre-stop'))).toBe(false);
    await cluster.stopPod(1, 5000);
    expect(readFileSafe(path.join(cluster.claimPath(1, 'data'), 'pre-stop'))).toBe('par-1\n');
    await cluster.startPod(1);
    await cluster.waitReady(1, 30000);
  });

  test('exceeding limits.memory OOM-kills the container, which is restarted', async () => {
    writeFileSync(path.join(cluster.claimPath(0, 'data'), 'hog'), '');
    await waitUntil(() => cluster.restartCount(0, 'hog') === 1, 20000);
    // 137 either way: the shell's `exit 137` when the kernel kills `tail`, 128 + SIGKILL when it kills the shell
    expect(cluster.logs(0, 'hog')).toMatch(/container 'hog' exited \(code 137(, signal SIGKILL)?, OOMKilled: memory limit exceeded\)/);
  });

  test('a failing init container makes startPod throw with its log and leaves the pod stopped', async () => {
    await cluster.stopPod(2, 2000);
    writeFileSync(path.join(cluster.claimPath(2, 'data'), 'fail'), '');
    await expect(cluster.startPod(2)).rejects.toThrow(/init container 'init' exited with 1/);
    expect(cluster.isRunning(2)).toBe(false);
    unlinkSync(path.join(cluster.claimPath(2, 'data'), 'fail'));
    await cluster.startPod(2);
    await cluster.waitReady(2, 30000);
    expect(cluster.isRunning(2)).toBe(true);
  });

  test('bad options fail clearly', async () => {
    await expect(startPodCluster({ manifests: objects, statefulSetName: 'nope' })).rejects.toThrow(/no StatefulSet named 'nope'/);
    await expect(startPodCluster({ manifests: objects, statefulSetName: 'par', commands: { tool: '/nonexistent/tool' } }))
      .rejects.toThrow(/commands\['tool'\] = '\/nonexistent\/tool' does not exist/);
    // The failed start cleaned up after itself: this process owns only the live cluster's run.
    const ownRuns = readdirSync('/var/lib/rbit-harness').filter((n) => /^rbit-\d+$/.test(n))
      .filter((n) => readFileSafe(`/var/lib/rbit-harness/${n}/owner`).trim() === String(process.pid));
    expect(ownRuns).toEqual([path.basename(path.dirname(path.dirname(cluster.claimPath(0, 'data'))))]);
    await expect(cluster.startPod(0)).rejects.toThrow(/pod 'par-0' is running; stop it/);
    expect(() => cluster.address(3)).toThrow(/ordinal 3 is outside 0..2/);
    expect(() => cluster.claimPath(0, 'logs')).toThrow(/no volumeClaimTemplate 'logs'/);
  });
});

/** One pod of `image` running `command`, with /tmp as its only writable volume. */
interface PodExtras { securityContext?: any; readinessProbe?: any; startupProbe?: any; minReadySeconds?: number }

function imagePod(name: string, image: string, command: string[], extra: PodExtras = {}): any[] {
  const labels = { 'app.kubernetes.io/name': name };
  return [
    { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'itest' }, spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: labels } },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name, namespace: 'itest' },
      spec: {
        serviceName: name,
        replicas: 1,
        minReadySeconds: extra.minReadySeconds,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            terminationGracePeriodSeconds: 2,
            securityContext: extra.securityContext,
            volumes: [{ name: 'tmp', emptyDir: {} }],
            containers: [{
              name: 'main',
              image,
              command,
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              readinessProbe: extra.readinessProbe ?? { exec: { command: ['sh', '-c', 'test -f /tmp/ready'] }, periodSeconds: 1 },
              startupProbe: extra.startupProbe,
              securityContext: { readOnlyRootFilesystem: true },
            }],
          },
        },
      },
    },
  ];
}

/** A one-pod run of {@link imagePod} on the pinned Redis image's facts, its container not restarted. */
function redisImagePod(name: string, command: string[], extra: PodExtras = {}): Promise<PodCluster> {
  const objects = imagePod(name, REDIS_IMAGE.image, command, extra);
  return startPodCluster({ image: REDIS_IMAGE, manifests: objects, statefulSetName: name, restartContainers: false });
}

describe('integration harness with an image\'s facts applied', () => {
  let cluster: PodCluster | undefined;

  afterEach(async () => {
    await cluster?.dispose();
    cluster = undefined;
  });

  test('only the image\'s binaries on PATH, at its paths; its user (root) when the pod spec sets none; read-only root', async () => {
    cluster = await redisImagePod('img', ['sh', '-c', 'touch /tmp/ready; exec sleep 600']);
    await cluster.startAll();
    await cluster.waitReady(0, 20000);
    const where = await cluster.exec(0, ['sh', '-c', 'command -v redis-cli; command -v sh; id -u']);
    expect(where.code).toBe(0);
    const [cli, shell, uid] = where.stdout.trim().split('\n');
    expect(cli).toMatch(/\/image\/usr\/local\/bin\/redis-cli$/);
    expect(shell).toMatch(/\/image\/usr\/bin\/sh$/);
    expect(uid).toBe('0');
    // curl and nc are on the host, not in the image
    expect((await cluster.exec(0, ['sh', '-c', 'command -v curl || command -v nc || echo none'])).stdout.trim()).toBe('none');
    const abs = await cluster.exec(0, ['/usr/bin/curl', '--version']);
    expect(abs.code).toBe(127);
    expect(abs.stderr).toContain('not in image redis:7.2.7');
    expect((await cluster.exec(0, ['/bin/sh', '-c', 'echo ok'])).stdout.trim()).toBe('ok');
    // only the mounted directories are writable
    expect((await cluster.exec(0, ['sh', '-c', 'touch /tmp/x && echo tmp-ok; touch /rbit-img-probe 2>/dev/null || echo root-ro'])).stdout.trim().split('\n'))
      .toEqual(['tmp-ok', 'root-ro']);
  });

  test('readiness on the kubelet\'s schedule: the first probe on the period\'s tick after initialDelaySeconds', async () => {
    cluster = await redisImagePod('tick', ['sh', '-c', 'touch /tmp/ready; exec sleep 600'], {
      readinessProbe: { exec: { command: ['sh', '-c', 'test -f /tmp/ready'] }, initialDelaySeconds: 2, periodSeconds: 5 },
    });
    const t0 = Date.now();
    await cluster.startPod(0);
    await cluster.waitReady(0, 20000);
    // ready from the start, but no probe before the tick at 5 s (a poller would say ready at 2 s)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(4500);
    expect(Date.now() - t0).toBeLessThan(9000);
  });

  test('readiness: probed at once when the startup probe passes, unready after failureThreshold failures', async () => {
    cluster = await redisImagePod('trigger', ['sh', '-c', 'sleep 2; touch /tmp/ready; exec sleep 600'], {
      readinessProbe: { exec: { command: ['sh', '-c', 'test -f /tmp/ready'] }, periodSeconds: 30, failureThreshold: 2 },
      startupProbe: { exec: { command: ['sh', '-c', 'test -f /tmp/ready'] }, periodSeconds: 1, failureThreshold: 30 },
    });
    const t0 = Date.now();
    await cluster.startPod(0);
    await cluster.waitReady(0, 20000);
    // the startup probe passes at about 2-3 s; readiness follows at once, not on its 30 s ticker
    expect(Date.now() - t0).toBeLessThan(8000);
    await cluster.exec(0, ['rm', '/tmp/ready']);
    // two failures on the 30 s ticker: still ready after 5 s
    await new Promise((r) => setTimeout(r, 5000));
    await cluster.waitReady(0, 100);
  });

  test('minReadySeconds: a rolling update waits until the restarted pod has been Ready that long', async () => {
    cluster = await redisImagePod('minready', ['sh', '-c', 'touch /tmp/ready; exec sleep 600'], { minReadySeconds: 3 });
    expect(cluster.minReadySeconds).toBe(3);
    await cluster.startAll();
    await cluster.waitReady(0, 20000);
    const [step] = await rollingUpdate(cluster, [0], 20000);
    expect(cluster.isAvailable(0)).toBe(true);
    // Ready within about a second of the start, available 3 s later
    expect(step.readyMs).toBeGreaterThanOrEqual(3000);
  });

  test('a probe calling a binary the image lacks keeps the pod unready', async () => {
    cluster = await redisImagePod('curlprobe', ['sh', '-c', 'exec sleep 600'], {
      readinessProbe: { exec: { command: ['sh', '-c', 'curl -fs http://127.0.0.1:6379/'] }, periodSeconds: 1, timeoutSeconds: 2 },
    });
    await cluster.startPod(0);
    await expect(cluster.waitReady(0, 5000)).rejects.toThrow(/curl: not found/);
  });

  test('a shell command on the distroless etcd image does not start', async () => {
    cluster = await startPodCluster({
      image: ETCD_IMAGE,
      manifests: imagePod('noshell', ETCD_IMAGE.image, ['sh', '-c', 'touch /tmp/ready; exec sleep 600'], { securityContext: { runAsUser: 1000 } }),
      statefulSetName: 'noshell',
      restartContainers: false,
    });
    await cluster.startPod(0);
    await waitUntil(() => !cluster!.isRunning(0), 10000);
    expect(cluster.logs(0)).toMatch(/sh.*(No such file|not found)/);
  });

  test('runAsNonRoot without a user on an image that runs as root is refused like the kubelet does', async () => {
    cluster = await startPodCluster({
      image: REDIS_IMAGE,
      manifests: imagePod('nonroot', 'redis:7.2.7', ['sh', '-c', 'exec sleep 600'], { securityContext: { runAsNonRoot: true } }),
      statefulSetName: 'nonroot',
    });
    await expect(cluster.startPod(0)).rejects.toThrow(/runAsNonRoot and image redis:7.2.7 will run as root/);
  });

  test('commands may name only the image\'s binaries, and the container image must be the facts\' image', async () => {
    await expect(startPodCluster({ image: ETCD_IMAGE, manifests: imagePod('x', ETCD_IMAGE.image, ['etcd']), statefulSetName: 'x', commands: { sh: '/bin/sh' } }))
      .rejects.toThrow(/commands\['sh'\]: the image gcr.io\/etcd-development\/etcd:v3.5.17 has no such binary/);
    cluster = await startPodCluster({ image: ETCD_IMAGE, manifests: imagePod('y', 'redis:7.2.7', ['etcd']), statefulSetName: 'y' });
    await expect(cluster.startPod(0)).rejects.toThrow(/runs image 'redis:7.2.7', not gcr.io\/etcd-development\/etcd:v3.5.17/);
  });
});
