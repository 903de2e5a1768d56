/**
 * Every preset's synthesized pod spec, at 1 and 3 members, held against the
 * recorded facts of the image it pins (src/presets/_image-facts.ts): no command,
 * script, probe or hook calls an executable or shell the image lacks, the
 * container's user can write what it writes, and every directory the server or
 * the scripts write is a writable volume under the read-only root filesystem.
 * Each rule also has a negative test that breaks one pod spec on purpose.
 */
import { Testing } from 'cdk8s';
import { ClusterPreset, DeployType, IClusterPreset, RainbondComponent } from '../../src';
import {
  ETCD_IMAGE, HAPROXY_IMAGE, ImageFacts, MYSQL_IMAGE, PRESET_IMAGES, REDIS_IMAGE, ZOOKEEPER_IMAGE, pinnedReference, resolveImageCommand,
} from '../../src/presets/_image-facts';
import { EtcdPreset } from '../../src/presets/etcd';
import { MysqlReplicationPreset } from '../../src/presets/mysql-replication';
import { RedisSentinelPreset } from '../../src/presets/redis-sentinel';
import { ZookeeperPreset } from '../../src/presets/zookeeper';
import { docPage } from '../util/docs';
import { calledPrograms, checkImageContract } from '../util/image-contract';
import { shellCommands } from '../util/shell-commands';
import { findOne, synthValid } from '../util/synth';

const PRESETS: Array<[string, () => IClusterPreset, ImageFacts]> = [
  ['etcd', () => ClusterPreset.etcd(), ETCD_IMAGE],
  ['zookeeper', () => ClusterPreset.zookeeper(), ZOOKEEPER_IMAGE],
  ['redis-sentinel', () => ClusterPreset.redisSentinel(), REDIS_IMAGE],
  ['mysql-replication', () => ClusterPreset.mysqlReplication(), MYSQL_IMAGE],
];

function synth(preset: IClusterPreset, replicas: number): { manifests: any[]; sts: any } {
  const chart = Testing.chart();
  new RainbondComponent(chart, 'db', {
    deployType: replicas === 1 ? DeployType.STATEFUL_SINGLE : DeployType.STATEFUL_MULTIPLE,
    replicas: replicas === 1 ? undefined : replicas,
    namespace: 'shop',
    preset,
  });
  const manifests = synthValid(chart);
  return { manifests, sts: findOne(manifests, 'StatefulSet', 'db') };
}

/** The Redis Sentinel preset's primary proxy Deployment `db-primary`, with the manifests. */
function synthProxy(members: number): { manifests: any[]; proxy: any } {
  const { manifests } = synth(ClusterPreset.redisSentinel(), members);
  return { manifests, proxy: findOne(manifests, 'Deployment', 'db-primary') };
}

/** The manifests with the data of ConfigMap `name` changed by `edit`. */
function withConfigMap(manifests: any[], name: string, edit: (data: Record<string, string>) => Record<string, string>): any[] {
  return manifests.map(o => o.kind === 'ConfigMap' && o.metadata.name === name ? { ...o, data: edit({ ...o.data }) } : o);
}

/** A deep copy of the workload, its pod spec changed by `edit`. */
function broken(sts: any, edit: (spec: any) => void): any {
  const copy = JSON.parse(JSON.stringify(sts));
  edit(copy.spec.template.spec);
  return copy;
}

describe.each(PRESETS)('%s preset against its pinned image', (system, preset, facts) => {
  test('the preset pins the recorded image (by digest when the digest is verified)', () => {
    const { sts } = synth(preset(), 3);
    expect(PRESET_IMAGES[system]).toBe(facts);
    expect(sts.spec.template.spec.containers[0].image).toBe(pinnedReference(facts));
    if (facts.digest) expect(sts.spec.template.spec.containers[0].image).toMatch(/^[^@]+:[^@]+@sha256:[0-9a-f]{64}$/);
  });

  test.each([1, 3])('%i member(s): every command, script, probe and hook runs in the image, as a user that can write what it writes', (members) => {
    const { manifests, sts } = synth(preset(), members);
    expect(checkImageContract(manifests, sts, facts)).toEqual([]);
  });
});

describe('redis-sentinel primary proxy (Deployment <name>-primary) against its pinned image', () => {
  test('the proxy pins the recorded haproxy image by its verified digest', () => {
    const { proxy } = synthProxy(3);
    expect(RedisSentinelPreset.PROXY_IMAGE).toBe(pinnedReference(HAPROXY_IMAGE));
    expect(proxy.spec.template.spec.containers[0].image).toBe(pinnedReference(HAPROXY_IMAGE));
    expect(proxy.spec.template.spec.containers[0].image).toMatch(/^haproxy:2\.8\.26@sha256:[0-9a-f]{64}$/);
  });

  test.each([1, 3])('%i member(s): start script, probes and config run in the image, as its user, writing nothing under the read-only root', (members) => {
    const { manifests, proxy } = synthProxy(members);
    expect(checkImageContract(manifests, proxy, HAPROXY_IMAGE)).toEqual([]);
    // what that covers: the image's user 99 from the pod spec, a read-only root and only the read-only ConfigMap mounted
    const pod = proxy.spec.template.spec;
    const user = HAPROXY_IMAGE.defaultUser;
    expect(pod.securityContext).toMatchObject({ runAsUser: user.uid, runAsGroup: user.gid, runAsNonRoot: true });
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'config', mountPath: '/etc/redis-primary-proxy', readOnly: true }]);
    expect(calledPrograms(manifests, proxy)).toEqual(['haproxy', 'sed', 'sh']);
  });

  test('binary: a curl in the start script (the haproxy image has none)', () => {
    const { manifests, proxy } = synthProxy(3);
    const changed = withConfigMap(manifests, 'db-primary', d => ({ ...d, 'start.sh': d['start.sh'].replace('exec haproxy', 'curl -fs http://db-0.db:6379/ >/dev/null || true\nexec haproxy') }));
    expect(checkImageContract(changed, proxy, HAPROXY_IMAGE)).toEqual([
      expect.objectContaining({ rule: 'binary', container: 'haproxy', message: expect.stringContaining('calls \'curl\', which haproxy:2.8.26 does not have') }),
    ]);
  });

  test('user: a config the proxy\'s user cannot read (mode 0600 without fsGroup)', () => {
    const { manifests, proxy } = synthProxy(3);
    const bad = broken(proxy, spec => { spec.volumes[0].configMap.defaultMode = 0o600; });
    expect(checkImageContract(manifests, bad, HAPROXY_IMAGE)).toEqual([
      expect.objectContaining({ rule: 'user', message: 'uid 99 cannot read /etc/redis-primary-proxy/haproxy.cfg: mode 0600, owned by root (no fsGroup)' }),
      expect.objectContaining({ rule: 'user', message: 'uid 99 cannot read /etc/redis-primary-proxy/start.sh: mode 0600, owned by root (no fsGroup)' }),
    ]);
    // group-readable with the user's group as fsGroup: readable
    const grouped = broken(proxy, spec => { spec.volumes[0].configMap.defaultMode = 0o640; spec.securityContext.fsGroup = 99; });
    expect(checkImageContract(manifests, grouped, HAPROXY_IMAGE)).toEqual([]);
  });

  test('writable: a pidfile or stats socket in haproxy.cfg on the read-only root', () => {
    const { manifests, proxy } = synthProxy(3);
    const changed = withConfigMap(manifests, 'db-primary', d => ({
      ...d, 'haproxy.cfg': d['haproxy.cfg'].replace('  maxconn 1024\n', '  maxconn 1024\n  pidfile /var/run/haproxy.pid\n  stats socket /var/lib/haproxy/admin.sock mode 600 level admin\n'),
    }));
    expect(checkImageContract(changed, proxy, HAPROXY_IMAGE)).toEqual([
      expect.objectContaining({ rule: 'writable', message: expect.stringMatching(/^\/var\/run \(haproxy writes its pidfile \/var\/run\/haproxy\.pid\) is on the read-only root filesystem/) }),
      expect.objectContaining({ rule: 'writable', message: expect.stringMatching(/^\/var\/lib\/haproxy \(haproxy writes its stats socket \/var\/lib\/haproxy\/admin\.sock\) is on the read-only root/) }),
    ]);
  });
});

describe('the contract check finds each broken rule', () => {
  test('binary: a probe that calls curl in an image without curl', () => {
    const { manifests, sts } = synth(ClusterPreset.redisSentinel(), 3);
    const bad = broken(sts, spec => {
      spec.containers[0].livenessProbe = { exec: { command: ['sh', '-c', 'curl -fs http://127.0.0.1:6379/ || exit 1'] } };
    });
    expect(checkImageContract(manifests, bad, REDIS_IMAGE)).toEqual([
      expect.objectContaining({ rule: 'binary', container: 'redis', message: expect.stringContaining('\'curl\', which redis:7.2.7 does not have') }),
    ]);
  });

  test('binary: a shell probe on the distroless etcd image', () => {
    const { manifests, sts } = synth(ClusterPreset.etcd(), 3);
    const bad = broken(sts, spec => {
      spec.containers[0].readinessProbe = { exec: { command: ['sh', '-c', 'etcdctl endpoint health'] } };
    });
    expect(checkImageContract(manifests, bad, ETCD_IMAGE)).toEqual([
      expect.objectContaining({ rule: 'binary', message: expect.stringContaining('runs \'sh\', which gcr.io/etcd-development/etcd:v3.5.17 does not have (the image has no shell)') }),
    ]);
  });

  test('binary: a command inside a rendered script (after a pipe, in $(…)) that the image lacks', () => {
    const { manifests, sts } = synth(ClusterPreset.mysqlReplication(), 3);
    const cm = manifests.find(o => o.kind === 'ConfigMap' && o.data?.['group.sh']);
    const changed = manifests.map(o => o !== cm ? o : { ...o, data: { ...o.data, 'group.sh': o.data['group.sh'].replace('touch "$MARKER"', 'x="$(mysql -e "SELECT 1" | jq .)"; touch "$MARKER"') } });
    expect(checkImageContract(changed, sts, MYSQL_IMAGE)).toEqual([
      expect.objectContaining({ rule: 'binary', message: expect.stringContaining('calls \'jq\', which mysql:8.4.3 does not have') }),
    ]);
  });

  test('binary: the image\'s entrypoint is checked when the pod spec gives no command', () => {
    const { manifests, sts } = synth(ClusterPreset.zookeeper(), 1);
    const bad = broken(sts, spec => { delete spec.containers[0].command; });
    expect(checkImageContract(manifests, bad, ZOOKEEPER_IMAGE)).toEqual([]);
    const otherEntrypoint: ImageFacts = { ...ZOOKEEPER_IMAGE, entrypoint: ['tini', '--'] };
    expect(checkImageContract(manifests, bad, otherEntrypoint)).toEqual([
      expect.objectContaining({ rule: 'binary', message: expect.stringContaining('image entrypoint runs \'tini\'') }),
    ]);
  });

  test('user: a non-root user without fsGroup cannot write its claim', () => {
    const { manifests, sts } = synth(ClusterPreset.zookeeper(), 3);
    const bad = broken(sts, spec => { delete spec.securityContext.fsGroup; });
    expect(checkImageContract(manifests, bad, ZOOKEEPER_IMAGE)).toEqual([
      expect.objectContaining({ rule: 'user', message: expect.stringContaining('uid 1000 cannot write the claim \'data\' at /data') }),
    ]);
  });

  test('user: runAsNonRoot without a user on an image that runs as root', () => {
    const { manifests, sts } = synth(ClusterPreset.etcd(), 3);
    const bad = broken(sts, spec => { delete spec.securityContext.runAsUser; delete spec.securityContext.runAsGroup; });
    expect(checkImageContract(manifests, bad, ETCD_IMAGE)).toEqual([
      expect.objectContaining({ rule: 'user', message: expect.stringContaining('the kubelet refuses to start the container') }),
    ]);
  });

  test('writable: Sentinel\'s config directory left on the read-only root filesystem', () => {
    const { manifests, sts } = synth(ClusterPreset.redisSentinel(), 3);
    const bad = broken(sts, spec => {
      spec.containers[0].volumeMounts = spec.containers[0].volumeMounts.filter((m: any) => m.mountPath !== '/run/redis');
    });
    const found = checkImageContract(manifests, bad, REDIS_IMAGE);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every(v => v.rule === 'writable')).toBe(true);
    expect(found.map(v => v.message)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\/run\/redis \(redis-sentinel rewrites its config file \/run\/redis\/sentinel\.conf\) is on the read-only root filesystem/),
    ]));
  });

  test('writable: ZooKeeper\'s /tmp and MySQL\'s socket directory without their emptyDirs', () => {
    const zk = synth(ClusterPreset.zookeeper(), 3);
    const zkBad = broken(zk.sts, spec => { spec.containers[0].volumeMounts = spec.containers[0].volumeMounts.filter((m: any) => m.mountPath !== '/tmp'); });
    const zkFound = checkImageContract(zk.manifests, zkBad, ZOOKEEPER_IMAGE);
    expect(zkFound.every(v => v.rule === 'writable' && v.message.startsWith('/tmp ('))).toBe(true);
    expect(zkFound).toEqual(expect.arrayContaining([
      expect.objectContaining({ rule: 'writable', message: expect.stringContaining('/tmp (the server writes the JVM\'s hsperfdata_<user> directory) is on the read-only root filesystem') }),
      expect.objectContaining({ rule: 'writable', message: expect.stringContaining('/tmp (command /config/start.sh: writes /tmp/zookeeper-waiting) is on the read-only root filesystem') }),
    ]));
    const my = synth(ClusterPreset.mysqlReplication(), 3);
    const myBad = broken(my.sts, spec => { spec.containers[0].volumeMounts = spec.containers[0].volumeMounts.filter((m: any) => m.mountPath !== '/var/run/mysqld'); });
    const messages = checkImageContract(my.manifests, myBad, MYSQL_IMAGE).map(v => `${v.rule}: ${v.message}`);
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/^writable: \/var\/run\/mysqld \(mysqld writes its socket \/var\/run\/mysqld\/mysqld\.sock\) is on the read-only root/),
    ]));
  });

  test('writable: a script writing into its read-only ConfigMap mount', () => {
    const { manifests, sts } = synth(ClusterPreset.zookeeper(), 1);
    const cm = manifests.find(o => o.kind === 'ConfigMap' && o.data?.['start.sh']);
    const changed = manifests.map(o => o !== cm ? o : { ...o, data: { ...o.data, 'start.sh': o.data['start.sh'].replace('exec zkServer.sh', 'echo 1 > /config/started\nexec zkServer.sh') } });
    expect(checkImageContract(changed, sts, ZOOKEEPER_IMAGE)).toEqual([
      expect.objectContaining({ rule: 'writable', message: expect.stringContaining('writes /config/started) is on the read-only configMap volume') }),
    ]);
  });
});

describe('image facts', () => {
  test('resolve commands by name and by absolute path through merged /usr', () => {
    expect(resolveImageCommand(REDIS_IMAGE, 'redis-cli')).toBe('/usr/local/bin/redis-cli');
    expect(resolveImageCommand(REDIS_IMAGE, '/bin/sh')).toBe('/bin/sh');
    expect(resolveImageCommand(REDIS_IMAGE, 'curl')).toBeUndefined();
    expect(resolveImageCommand(ETCD_IMAGE, 'sh')).toBeUndefined();
    expect(resolveImageCommand(ETCD_IMAGE, '/bin/sh')).toBeUndefined();
    expect(resolveImageCommand(ETCD_IMAGE, 'etcd')).toBe('/usr/local/bin/etcd');
    expect(resolveImageCommand(MYSQL_IMAGE, 'mysqld')).toBe('/usr/sbin/mysqld');
    expect(resolveImageCommand(ZOOKEEPER_IMAGE, 'zkServer.sh')).toBe('/apache-zookeeper-3.8.4-bin/bin/zkServer.sh');
  });

  test.each([...Object.values(PRESET_IMAGES), HAPROXY_IMAGE])('$image: every binary lies on the image PATH and every fact has a source', (facts) => {
    for (const [name, file] of Object.entries(facts.binaries)) {
      const dir = file.slice(0, file.lastIndexOf('/'));
      expect({ name, onPath: facts.path.includes(dir) }).toEqual({ name, onPath: true });
    }
    expect(facts.sources.length).toBeGreaterThan(0);
    expect(facts.digestSource.length).toBeGreaterThan(0);
    if (facts.digest) expect(facts.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(facts.shell === undefined || resolveImageCommand(facts, facts.shell) !== undefined).toBe(true);
  });

  test('each preset class pins the facts\' reference', () => {
    expect(EtcdPreset.DEFAULT_IMAGE).toBe(pinnedReference(ETCD_IMAGE));
    expect(ZookeeperPreset.DEFAULT_IMAGE).toBe(pinnedReference(ZOOKEEPER_IMAGE));
    expect(RedisSentinelPreset.DEFAULT_IMAGE).toBe(pinnedReference(REDIS_IMAGE));
    expect(MysqlReplicationPreset.DEFAULT_IMAGE).toBe(pinnedReference(MYSQL_IMAGE));
  });
});

describe('shell reader', () => {
  test('finds commands at line starts, after pipes and operators, in substitutions, wrappers and traps; skips heredocs, cases and functions', () => {
    const script = [
      'set -eu',
      'f() { head -n 1; }',
      'X="${A:-$(hostname)}"',
      'case "$X" in',
      '  a|b) grep -q x /etc/y ;;',
      '  *) exit 1 ;;',
      'esac',
      'printf %s "$X" | sed s/a/b/ | f && timeout 3 redis-cli ping || echo no >&2',
      'if ! getent hosts "$X" >/dev/null 2>&1; then sleep 1; fi',
      'for i in 1 2; do n=$(( $(cat /x/n) + 1 )); done',
      'trap \'kill -TERM "$p"; rm -f /run/x\' TERM',
      'mysql <<SQL',
      'SELECT jq FROM t;',
      'SQL',
      'exec zkServer.sh start-foreground',
    ].join('\n');
    const names = shellCommands(script).map(c => c.name);
    expect(new Set(names)).toEqual(new Set(['set', 'head', 'hostname', 'grep', 'exit', 'printf', 'sed', 'timeout', 'redis-cli', 'echo',
      'getent', 'sleep', 'cat', 'trap', 'kill', 'rm', 'mysql', 'exec', 'zkServer.sh']));
    expect(shellCommands('echo hi > /var/run/x/file; cat <&3; exec 3<>/dev/tcp/h/1').flatMap(c => c.writes)).toEqual(['/var/run/x/file', '/dev/tcp/h/1']);
  });
});

describe('an image override', () => {
  const build = (preset: IClusterPreset) => () => {
    const chart = Testing.chart();
    new RainbondComponent(chart, 'db', { deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3, namespace: 'shop', preset });
    return Testing.synth(chart);
  };

  test.each([
    ['mysql:5.7.44', () => ClusterPreset.mysqlReplication({ image: 'mysql:5.7.44' }), 'is mysql 5.7.44, older than 8.0.27'],
    ['registry.example/mysql:8.0.26@sha256:…', () => ClusterPreset.mysqlReplication({ image: `registry.example/mysql:8.0.26@sha256:${'a'.repeat(64)}` }), 'is mysql 8.0.26, older than 8.0.27'],
    ['redis:6.0', () => ClusterPreset.redisSentinel({ image: 'redis:6.0' }), 'is redis 6.0.0, older than 6.2.0, which the preset\'s configuration needs (Sentinel\'s resolve-hostnames'],
    ['zookeeper:3.4.14', () => ClusterPreset.zookeeper({ image: 'zookeeper:3.4.14' }), 'is zookeeper 3.4.14, older than 3.5.3'],
    ['quay.io/coreos/etcd:v3.3.27', () => ClusterPreset.etcd({ image: 'quay.io/coreos/etcd:v3.3.27' }), 'is etcd 3.3.27, older than 3.4.0'],
  ])('%s that is recognizably too old is refused with the reason', (_name, preset, message) => {
    expect(build(preset())).toThrow(message);
  });

  test.each([
    ['mysql:8.0.40', () => ClusterPreset.mysqlReplication({ image: 'mysql:8.0.40' })],
    ['my-registry/db-image:5.7 (another repository: judged by the documented contract only)', () => ClusterPreset.mysqlReplication({ image: 'my-registry/db-image:5.7' })],
    ['redis:latest', () => ClusterPreset.redisSentinel({ image: 'redis:latest' })],
  ])('%s is accepted', (_name, preset) => {
    expect(build(preset())).not.toThrow();
  });
});

describe('README "Images the presets pin"', () => {
  const readme = docPage('docs/presets.md');
  // the section's own table: other tables of the page may have rows starting with a system name too
  const section = readme.split('\n## Images the presets pin\n')[1]?.split('\n#')[0] ?? '';
  const row = (system: string) => {
    const line = section.split('\n').find(l => l.startsWith(`| ${system} |`));
    if (!line) throw new Error(`README has no row for ${system}`);
    return line.split(' | ');
  };

  test.each(PRESETS)('%s: the row names the pinned image and exactly the programs the pod spec calls', (system, preset, facts) => {
    const { manifests, sts } = synth(preset(), 3);
    const cells = row(system);
    const image = /`([^`]+)`/.exec(cells[1])![1].replace(/…$/, '');
    expect(pinnedReference(facts).startsWith(image)).toBe(true);
    expect(facts.digest === undefined || image.includes('@sha256:')).toBe(true);
    const documented = [...cells[4].matchAll(/`([^`]+)`/g)].map(m => m[1]).sort();
    expect(documented).toEqual(calledPrograms(manifests, sts));
    const uid = String(sts.spec.template.spec.securityContext.runAsUser);
    expect(cells[2].startsWith(`${uid}:`)).toBe(true);
  });

  test('redis-sentinel proxy: the row names the pinned haproxy image, its user and exactly the programs the proxy calls', () => {
    const { manifests, proxy } = synthProxy(3);
    const cells = row('redis-sentinel proxy');
    const image = /`([^`]+)`/.exec(cells[1])![1].replace(/…$/, '');
    expect(image).toContain('@sha256:');
    expect(pinnedReference(HAPROXY_IMAGE).startsWith(image)).toBe(true);
    const documented = [...cells[4].matchAll(/`([^`]+)`/g)].map(m => m[1]).sort();
    expect(documented).toEqual(calledPrograms(manifests, proxy));
    expect(cells[2].startsWith(`${proxy.spec.template.spec.securityContext.runAsUser}:`)).toBe(true);
    // "writes nothing": no volume besides the read-only ConfigMap
    expect(cells[5]).toMatch(/^nothing/);
    expect(proxy.spec.template.spec.volumes.every((v: any) => v.configMap)).toBe(true);
  });
});
