/**
 * Unit tests of the pure parts of the integration harness
 * (test/integration/harness): no root, no processes.
 */
import { ETCD_IMAGE, REDIS_IMAGE, ZOOKEEPER_IMAGE } from '../src/presets/_image-facts';
import { hubNetns, podAddress, podNetns, runIndexOfNetns, subnetBase, SUBNET_COUNT } from './integration/harness/addressing';
import { containerExitCode } from './integration/harness/container-process';
import { dnsPublication } from './integration/harness/dns';
import { expandVars } from './integration/harness/expand';
import { hostsFile, podDnsNames, resolvConf } from './integration/harness/hosts';
import { imageArgv, imagePath, imageShimPlan, imageUser, nonRootProblem } from './integration/harness/image';
import { joinCgroupArgv, launcherScript, setprivArgs, shq, sortMounts } from './integration/harness/launcher';
import { clusterDomainHint, companionFacts, configMapsOf, statefulSetFacts } from './integration/harness/manifest';
import { leaderChanges, longestGap } from './integration/harness/ops';
import { resolvePod } from './integration/harness/pod-spec';
import { parseQuantity, resourceFieldValue } from './integration/harness/quantity';

const lookup = (vars: Record<string, string>) => (n: string) => vars[n];

describe('expandVars (Kubernetes $(VAR) rules)', () => {
  test.each([
    ['$(A)', 'x'],
    ['a-$(A)-$(B)', 'a-x-y'],
    ['$(MISSING)', '$(MISSING)'],
    ['$$(A)', '$(A)'],
    ['$$$(A)', '$x'],
    ['$$', '$'],
    ['cost: $5', 'cost: $5'],
    ['tail$', 'tail$'],
    ['$(A', '$(A'],
    ['$()', '$()'],
    ['$(A)$(A)', 'xx'],
  ])('%s -> %s', (input, expected) => {
    expect(expandVars(input, lookup({ A: 'x', B: 'y' }))).toBe(expected);
  });

  test('a value containing $(..) is not expanded again', () => {
    expect(expandVars('$(A)', lookup({ A: '$(B)', B: 'no' }))).toBe('$(B)');
  });
});

describe('quantities for resourceFieldRef', () => {
  test('parses suffixes', () => {
    expect(parseQuantity('500m')).toBeCloseTo(0.5);
    expect(parseQuantity('1Gi')).toBe(2 ** 30);
    expect(parseQuantity('256Mi')).toBe(256 * 2 ** 20);
    expect(parseQuantity('2k')).toBe(2000);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity(3)).toBe(3);
  });
  test('rejects junk', () => {
    expect(() => parseQuantity('lots')).toThrow(/not a Kubernetes quantity/);
  });
  test('divides and rounds up like the kubelet', () => {
    expect(resourceFieldValue(2 ** 30, '1Mi', false)).toBe('1024');
    expect(resourceFieldValue(1.5 * 2 ** 20, '1Mi', false)).toBe('2');
    expect(resourceFieldValue(0.25, undefined, true)).toBe('1');
    expect(resourceFieldValue(0.25, '1m', true)).toBe('250');
  });
});

describe('addressing', () => {
  test('subnets cover 198.18.0.0/15 without the service /24', () => {
    expect(subnetBase(0)).toBe('198.18.0');
    expect(subnetBase(255)).toBe('198.18.255');
    expect(subnetBase(256)).toBe('198.19.0');
    expect(subnetBase(SUBNET_COUNT - 1)).toBe('198.19.254');
    expect(() => subnetBase(SUBNET_COUNT)).toThrow(/outside/);
    expect(podAddress(3, 2)).toBe('198.18.3.12');
  });
  test('netns names are short and parseable', () => {
    expect(hubNetns(510)).toBe('rbit-510-hub');
    expect(podNetns(7, 4)).toBe('rbit-7-p4');
    expect(runIndexOfNetns('rbit-7-p4')).toBe(7);
    expect(runIndexOfNetns('rbit-510-hub')).toBe(510);
    expect(runIndexOfNetns('cni-1234')).toBeUndefined();
    expect(podNetns(510, 200).length).toBeLessThanOrEqual(15);
  });
});

describe('hosts file', () => {
  test('has itself with its short hostname and each published peer under its four names', () => {
    const self = { podName: 'db-1', ip: '198.18.1.11' };
    const text = hostsFile(self, [{ podName: 'db-0', ip: '198.18.1.10' }, self], 'db', 'ns', 'example.org');
    const lines = text.trim().split('\n');
    expect(lines).toContain('127.0.0.1\tlocalhost');
    expect(lines).toContain('198.18.1.10\tdb-0.db.ns.svc.example.org db-0.db.ns.svc db-0.db.ns db-0.db');
    expect(lines).toContain('198.18.1.11\tdb-1.db.ns.svc.example.org db-1.db.ns.svc db-1.db.ns db-1.db db-1');
    expect(lines.filter((l) => l.startsWith('198.18.1.11'))).toHaveLength(1);
    expect(hostsFile(self, [], 'db', 'ns', 'example.org')).not.toContain('db-0');
  });

  test('dns names and resolv.conf', () => {
    expect(podDnsNames('a-0', 'a', 'n', 'cluster.local')[0]).toBe('a-0.a.n.svc.cluster.local');
    expect(resolvConf('n', 'cluster.local')).toContain('search n.svc.cluster.local svc.cluster.local cluster.local\n');
  });
});

describe('DNS publication of the governing Service', () => {
  const objects = (svc: any) => [
    ...(svc ? [{ kind: 'Service', metadata: { name: 'db', namespace: 'n' }, spec: svc }] : []),
    { kind: 'StatefulSet', metadata: { name: 'db', namespace: 'n' }, spec: { serviceName: 'db', template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c' }] } } } },
  ];
  const mode = (svc: any) => dnsPublication(objects(svc), statefulSetFacts(objects(svc), 'db'));
  test('publishNotReadyAddresses publishes all pods', () => {
    expect(mode({ clusterIP: 'None', selector: { app: 'db' }, publishNotReadyAddresses: true }).mode).toBe('all');
  });
  test('without it only ready pods', () => {
    expect(mode({ clusterIP: 'None', selector: { app: 'db' } }).mode).toBe('ready');
  });
  test('no records without a matching headless Service', () => {
    expect(mode(undefined)).toEqual({ mode: 'none', reason: "governing Service 'db' of StatefulSet 'db' is not in the manifests" });
    expect(mode({ selector: { app: 'db' } }).reason).toMatch(/not headless/);
    expect(mode({ clusterIP: 'None', selector: { app: 'other' } }).reason).toMatch(/selects app=other, which the pod template lacks/);
    expect(mode({ clusterIP: 'None' }).reason).toMatch(/has no selector/);
  });
});

describe('launcher script', () => {
  test('quotes, mounts parents first, read-only root, drops privileges', () => {
    const script = launcherScript({
      hostname: 'p-0',
      mounts: [
        { source: '/s/b', target: '/data/sub', readOnly: false, file: false },
        { source: '/s/a', target: '/data', readOnly: false, file: false },
        { source: '/s/c/f.conf', target: '/etc/app/f.conf', readOnly: true, file: true },
      ],
      readOnlyRoot: true,
      user: { uid: 1000, gid: 1001, groups: [1002, 1002] },
      workingDir: '/data',
      argv: ['sh', '-c', "echo 'hi'"],
    });
    const lines = script.split('\n');
    const bindA = lines.indexOf("/usr/bin/mount --bind '/s/a' '/data'");
    const bindB = lines.indexOf("/usr/bin/mount --bind '/s/b' '/data/sub'");
    expect(bindA).toBeGreaterThan(0);
    expect(bindB).toBeGreaterThan(bindA);
    expect(lines).toContain("/usr/bin/mount -o remount,bind,ro '/etc/app/f.conf'");
    expect(lines).toContain("[ -e '/etc/app/f.conf' ] || { /usr/bin/mkdir -p \"$(/usr/bin/dirname '/etc/app/f.conf')\"; : > '/etc/app/f.conf'; }");
    expect(script).toContain('remount,bind,ro "$rbit_m"');
    expect(lines).toContain("/usr/bin/hostname 'p-0'");
    expect(lines[lines.length - 2]).toBe(
      "exec '/usr/bin/setpriv' '--reuid=1000' '--regid=1001' '--groups=1002' '--' 'sh' '-c' 'echo '\\''hi'\\'''",
    );
  });
  test('root keeps root and a writable root fs', () => {
    const script = launcherScript({ hostname: 'x', mounts: [], readOnlyRoot: false, workingDir: '/', argv: ['true'] });
    expect(script).not.toContain('setpriv');
    expect(script).not.toContain('remount');
    expect(setprivArgs({ uid: 5, gid: 6, groups: [] })).toContain('--clear-groups');
    expect(setprivArgs(undefined, { noNewPrivs: true, dropAllCaps: true }))
      .toEqual(['/usr/bin/setpriv', '--no-new-privs', '--inh-caps=-all', '--bounding-set=-all', '--']);
    expect(setprivArgs(undefined, { noNewPrivs: false, dropAllCaps: false })).toEqual([]);
  });
  test('joining a cgroup keeps argv and the pid (sh execs it)', () => {
    expect(joinCgroupArgv(undefined, ['a', 'b'])).toEqual(['a', 'b']);
    expect(joinCgroupArgv('/cg/cgroup.procs', ['a', 'b'])).toEqual(['/bin/sh', '-c', 'echo $$ > "$0" && exec "$@"', '/cg/cgroup.procs', 'a', 'b']);
  });
  test('shq and sortMounts', () => {
    expect(shq("a'b")).toBe("'a'\\''b'");
    expect(sortMounts([{ target: '/a/b/c' }, { target: '/a' }, { target: '/z' }]).map((m) => m.target)).toEqual(['/a', '/z', '/a/b/c']);
  });
});

function sts(overrides: any = {}): any[] {
  const container = {
    name: 'main',
    command: ['server', '--name=$(POD_NAME)', '--ip=$(POD_IP)'],
    args: ['--peer=$(POD_NAME).db.$(NS).svc.example.org', '$$(LITERAL)'],
    env: [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'PW', valueFrom: { secretKeyRef: { name: 'pw', key: 'password' } } },
      { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      { name: 'IDX', valueFrom: { fieldRef: { fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']" } } },
      { name: 'URL', value: 'http://$(POD_NAME):2379' },
    ],
    resources: { limits: { memory: '512Mi' } },
    ports: [{ name: 'client', containerPort: 2379 }],
    readinessProbe: { tcpSocket: { port: 'client' }, periodSeconds: 2 },
    livenessProbe: { exec: { command: ['check'] } },
    volumeMounts: [
      { name: 'data', mountPath: '/var/lib/db' },
      { name: 'conf', mountPath: '/etc/db', readOnly: true },
    ],
    securityContext: { runAsUser: 1001, readOnlyRootFilesystem: true },
    ...overrides.container,
  };
  return [
    { kind: 'ConfigMap', metadata: { name: 'db-conf', namespace: 'prod' }, data: { 'a.conf': 'A', 'b.conf': 'B' } },
    { kind: 'Service', metadata: { name: 'db', namespace: 'prod' }, spec: { clusterIP: 'None', ports: [{ port: 2379 }] } },
    { kind: 'Service', metadata: { name: 'db-client', namespace: 'prod' }, spec: { ports: [{ name: 'client', port: 2379 }] } },
    {
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'prod' },
      spec: {
        serviceName: 'db',
        replicas: 3,
        podManagementPolicy: 'Parallel',
        template: {
          metadata: { labels: { app: 'db' } },
          spec: {
            securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 2000 },
            volumes: [{ name: 'conf', configMap: { name: 'db-conf', items: [{ key: 'b.conf', path: 'sub/b.conf' }], defaultMode: 0o600 } }],
            containers: [container],
            ...overrides.podSpec,
          },
        },
        volumeClaimTemplates: [{ metadata: { name: 'data' } }],
      },
    },
  ];
}

describe('StatefulSet facts', () => {
  test('reads name, service, replicas, policy, claim templates and the cluster domain hint', () => {
    const f = statefulSetFacts(sts(), 'db');
    expect(f.namespace).toBe('prod');
    expect(f.serviceName).toBe('db');
    expect(f.replicas).toBe(3);
    expect(f.podManagementPolicy).toBe('Parallel');
    expect(f.claimTemplates).toEqual(['data']);
    expect(f.clusterDomainHint).toBeUndefined();
    expect(clusterDomainHint([{ x: 'db-0.db.prod.svc.corp.example:2380' }], 'db', 'db', 'prod')).toBe('corp.example');
  });
  test('a companion Deployment runs in the StatefulSet\'s namespace and network, without claims', () => {
    const proxy = { kind: 'Deployment', metadata: { name: 'db-proxy', namespace: 'prod' }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'p', command: ['p'] }] } } } };
    const manifests = [...sts(), proxy];
    const f = companionFacts(manifests, 'db-proxy', statefulSetFacts(manifests, 'db'));
    expect(f).toMatchObject({ name: 'db-proxy', namespace: 'prod', serviceName: 'db', replicas: 2, podManagementPolicy: 'Parallel', claimTemplates: [] });
    expect(f.template).toBe(proxy.spec.template);
    expect(() => companionFacts(manifests, 'nope', statefulSetFacts(manifests, 'db'))).toThrow(/no Deployment named 'nope' in namespace 'prod' \(found: db-proxy\)/);
  });
  test('missing StatefulSet names what exists', () => {
    expect(() => statefulSetFacts(sts(), 'nope')).toThrow(/no StatefulSet named 'nope'.*found: db/);
  });
  test('configMapsOf decodes binaryData', () => {
    const cms = configMapsOf([{ kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, binaryData: { k: Buffer.from('bin').toString('base64') } }], 'n');
    expect(cms.c.k).toBe('bin');
  });
});

describe('resolvePod', () => {
  const resolve = (manifests: any[], ordinal = 1) => resolvePod(
    { manifests, facts: statefulSetFacts(manifests, 'db'), secrets: { pw: { password: 'hunter2' } } },
    { ordinal, podIP: '198.18.5.11' },
  );

  test('env: downward API, secret, resource limits, labels, $(VAR), HOSTNAME, service links', () => {
    const pod = resolve(sts());
    const env = pod.containers[0].env;
    expect(pod.podName).toBe('db-1');
    expect(env.POD_NAME).toBe('db-1');
    expect(env.POD_IP).toBe('198.18.5.11');
    expect(env.NS).toBe('prod');
    expect(env.PW).toBe('hunter2');
    expect(env.MEM).toBe('512');
    expect(pod.containers[0].memoryLimitBytes).toBe(512 * 2 ** 20);
    expect(env.IDX).toBe('1');
    expect(env.URL).toBe('http://db-1:2379');
    expect(env.HOSTNAME).toBe('db-1');
    expect(env.DB_CLIENT_SERVICE_HOST).toBe('198.19.255.1');
    expect(env.DB_CLIENT_PORT_2379_TCP_PORT).toBe('2379');
    expect(env.DB_SERVICE_HOST).toBeUndefined();
    expect(env.KUBERNETES_SERVICE_PORT).toBe('443');
  });

  test('enableServiceLinks false drops the namespace service vars', () => {
    const env = resolve(sts({ podSpec: { enableServiceLinks: false } })).containers[0].env;
    expect(env.DB_CLIENT_SERVICE_HOST).toBeUndefined();
    expect(env.KUBERNETES_SERVICE_HOST).toBe('198.19.255.1');
  });

  test('argv: command + args expanded, $$ escaped', () => {
    expect(resolve(sts()).containers[0].argv).toEqual([
      'server', '--name=db-1', '--ip=198.18.5.11', '--peer=db-1.db.prod.svc.example.org', '$(LITERAL)',
    ]);
  });

  test('volumes: configMap items with defaultMode, claim template per pod', () => {
    const pod = resolve(sts(), 2);
    const conf = pod.volumes.find((v) => v.name === 'conf')!;
    expect(conf.kind).toBe('files');
    expect(conf.files).toEqual([{ path: 'sub/b.conf', content: 'B', mode: 0o600 }]);
    const data = pod.volumes.find((v) => v.name === 'data')!;
    expect(data).toEqual({ name: 'data', kind: 'claim', files: [], claimName: 'data-db-2' });
    expect(pod.containers[0].mounts).toEqual([
      { volume: 'data', mountPath: '/var/lib/db', subPath: undefined, readOnly: false },
      { volume: 'conf', mountPath: '/etc/db', subPath: undefined, readOnly: true },
    ]);
  });

  test('security context: container overrides pod; fsGroup kept', () => {
    const pod = resolve(sts());
    expect(pod.containers[0].runAsUser).toBe(1001);
    expect(pod.containers[0].runAsGroup).toBe(1000);
    expect(pod.containers[0].readOnlyRootFilesystem).toBe(true);
    expect(pod.containers[0].noNewPrivs).toBe(false);
    expect(resolve(sts({ container: { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } } })).containers[0])
      .toMatchObject({ noNewPrivs: true, dropAllCaps: true, runAsUser: 1000 });
    expect(pod.fsGroup).toBe(2000);
    expect(pod.terminationGracePeriodSeconds).toBe(30);
  });

  test('probes: named ports resolved, defaults filled', () => {
    const c = resolve(sts()).containers[0];
    expect(c.readinessProbe).toEqual({
      kind: 'tcpSocket',
      host: undefined,
      port: 2379,
      initialDelaySeconds: 0,
      periodSeconds: 2,
      timeoutSeconds: 1,
      failureThreshold: 3,
      successThreshold: 1,
    });
    expect(c.livenessProbe?.kind).toBe('exec');
    expect(c.livenessProbe?.command).toEqual(['check']);
  });

  test('clear errors: no command, missing secret, unknown volume, unsupported volume', () => {
    expect(() => resolve(sts({ container: { command: undefined } }))).toThrow(/container 'main' has no 'command'/);
    expect(() => resolvePod({ manifests: sts(), facts: statefulSetFacts(sts(), 'db') }, { ordinal: 0, podIP: '1.2.3.4' }))
      .toThrow(/Secret 'pw' not found.*options.secrets/);
    expect(() => resolve(sts({ container: { volumeMounts: [{ name: 'ghost', mountPath: '/g' }] } })))
      .toThrow(/mounts volume 'ghost' which is neither/);
    expect(() => resolve(sts({ podSpec: { volumes: [{ name: 'h', hostPath: { path: '/' } }] } })))
      .toThrow(/unsupported volume type \["hostPath"\]/);
  });
});

describe('image facts applied by the harness', () => {
  const hostHas = (files: string[]) => (f: string) => files.includes(f);

  test('one shim per image binary at its image path, from commands or the host binary of the same name', () => {
    const plan = imageShimPlan(REDIS_IMAGE, {}, hostHas(['/usr/bin/redis-cli', '/usr/bin/sh', '/usr/bin/redis-server']));
    expect(plan.shims).toEqual(expect.arrayContaining([
      { imagePath: '/usr/local/bin/redis-cli', target: '/usr/bin/redis-cli' },
      { imagePath: '/usr/bin/sh', target: '/usr/bin/sh' },
    ]));
    expect(plan.shims.map(s => s.imagePath)).not.toContain('/usr/bin/curl');
    expect(plan.missing).toContain('redis-sentinel');
    const zk = imageShimPlan(ZOOKEEPER_IMAGE, { 'zkServer.sh': '/usr/share/zookeeper/bin/zkServer.sh' }, hostHas([]));
    expect(zk.shims).toEqual([{ imagePath: '/apache-zookeeper-3.8.4-bin/bin/zkServer.sh', target: '/usr/share/zookeeper/bin/zkServer.sh' }]);
  });

  test('commands may name only binaries of the image', () => {
    expect(() => imageShimPlan(ETCD_IMAGE, { sh: '/bin/sh' }, () => true)).toThrow(/commands\['sh'\]: the image gcr.io\/etcd-development\/etcd:v3.5.17 has no such binary/);
  });

  test('PATH holds only the image\'s directories under the shim root', () => {
    expect(imagePath(ETCD_IMAGE, '/r')).toBe('/r/usr/local/sbin:/r/usr/local/bin:/r/usr/sbin:/r/usr/bin:/r/sbin:/r/bin');
  });

  test('absolute commands resolve inside the image; others fail like the runtime', () => {
    expect(imageArgv(REDIS_IMAGE, '/r', ['/bin/sh', '-c', 'true'])).toEqual(['/r/usr/bin/sh', '-c', 'true']);
    expect(imageArgv(REDIS_IMAGE, '/r', ['redis-cli', 'ping'])).toEqual(['redis-cli', 'ping']);
    const missing = imageArgv(ETCD_IMAGE, '/r', ['/bin/sh', '-c', 'true']);
    expect(missing.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(missing[2]).toContain('no such file or directory (not in image gcr.io/etcd-development/etcd:v3.5.17)');
    expect(missing[2]).toContain('exit 127');
  });

  test('the image\'s user when the pod spec sets none; runAsNonRoot refused for a root image', () => {
    expect(imageUser(REDIS_IMAGE)).toEqual({});
    expect(imageUser({ ...REDIS_IMAGE, defaultUser: { uid: 999, gid: 999, name: 'redis' } })).toEqual({ uid: 999, gid: 999 });
    expect(imageUser(REDIS_IMAGE, 1000, undefined)).toEqual({ uid: 1000, gid: undefined });
    expect(nonRootProblem(ETCD_IMAGE, true, undefined)).toMatch(/runAsNonRoot and image .* will run as root/);
    expect(nonRootProblem(ETCD_IMAGE, true, 1000)).toBeUndefined();
    expect(nonRootProblem(ETCD_IMAGE, false, undefined)).toBeUndefined();
  });
});

describe('containerExitCode', () => {
  test('a process\'s own code, or 128 plus the number of the signal that ended it, as a container runtime reports it', () => {
    expect(containerExitCode(0, null)).toBe(0);
    expect(containerExitCode(137, null)).toBe(137);
    expect(containerExitCode(null, 'SIGKILL')).toBe(137);
    expect(containerExitCode(null, 'SIGTERM')).toBe(143);
    expect(containerExitCode(null, null)).toBeNull();
  });
});

describe('operations helpers (pure parts)', () => {
  test('leaderChanges counts changes from one leader to another; a gap without a leader is no change', () => {
    const s = (leaders: (string | undefined)[]) => leaders.map((leader, k) => ({ atMs: k, leader }));
    expect(leaderChanges(s([]))).toBe(0);
    expect(leaderChanges(s(['0']))).toBe(0);
    expect(leaderChanges(s(['0', undefined, '0']))).toBe(0);
    expect(leaderChanges(s(['0', undefined, '1', '2']))).toBe(2);
    expect(leaderChanges(s([undefined, '1', undefined, '0']))).toBe(1);
  });

  test('longestGap is the longest time between consecutive acknowledgements', () => {
    const r = (acknowledged: boolean, endMs: number) => ({ key: 'k', acknowledged, startMs: endMs - 1, endMs });
    expect(longestGap([])).toBe(0);
    expect(longestGap([r(true, 10), r(false, 20), r(false, 900), r(true, 1010), r(true, 1020)])).toBe(1000);
  });
});
