import { findingsOf, toYaml } from './synth';
import { GuardRule, GuardSeverity, ManifestGuard } from '../../src/guard';
import { membershipSteps, MembershipTarget } from '../../src/guard/membership';

const target = (system: string, extra: Partial<MembershipTarget> = {}): MembershipTarget => ({
  system, statefulSet: 'm', namespace: 'x', clusterDomain: 'cluster.local', ...extra,
});

describe('membershipSteps', () => {
  test('etcd growth: each member is added, started and healthy before the next one is added', () => {
    const text = membershipSteps(target('etcd', { container: 'etcd' }), 1, 3).join('\n');
    const order = [
      'member add m-1 --peer-urls=http://m-1.m.x.svc.cluster.local:2380',
      '"partition":1',
      'ETCD_INITIAL_CLUSTER=m-0=http://m-0.m.x.svc.cluster.local:2380,m-1=http://m-1.m.x.svc.cluster.local:2380;',
      'kubectl scale statefulset m -n x --replicas=2',
      'reports all 2 members healthy before the next member',
      'member add m-2 ',
      '"partition":2',
      'm-2=http://m-2.m.x.svc.cluster.local:2380;',
      'kubectl scale statefulset m -n x --replicas=3',
      'reports all 3 members healthy before the next member',
      '"partition":0',
      'kubectl rollout status statefulset m -n x',
      'apply the new manifests (3 members',
    ];
    const positions = order.map(part => text.indexOf(part));
    expect(positions).not.toContain(-1);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // never two members admitted before the first of them runs
    expect(text.indexOf('member add m-2')).toBeGreaterThan(text.indexOf('reports all 2 members healthy'));
    expect(text).toContain('kubectl set env statefulset/m -n x -c etcd ETCD_INITIAL_CLUSTER_STATE=existing');
  });

  test('etcd shrink: each member is removed, stopped and the rest healthy before the next one', () => {
    const text = membershipSteps(target('etcd'), 5, 3).join('\n');
    const order = ['member remove', '--replicas=4', 'reports the remaining 4 members healthy', 'find the ID of m-3', '--replicas=3', 'reports the remaining 3 members healthy'];
    const positions = order.map(part => text.indexOf(part));
    expect(positions).not.toContain(-1);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  test('etcd with TLS peer URLs uses https in the member list', () => {
    expect(membershipSteps(target('etcd', { peerScheme: 'https' }), 3, 5)[1]).toContain('--peer-urls=https://m-3.m.x.svc.cluster.local:2380');
  });

  test('other systems: one step per member added, then the apply once all run', () => {
    const steps = membershipSteps(target('redis-sentinel'), 1, 3);
    expect(steps).toHaveLength(3);
    expect(steps[0]).toMatch(/^1 -> 2 members: kubectl scale statefulset m -n x --replicas=2/);
    expect(steps[2]).toContain('Apply the new manifests once the cluster runs 3 healthy members');
  });

  test('members leave highest ordinal first', () => {
    const steps = membershipSteps(target('etcd'), 5, 3);
    expect(steps.slice(0, 2).map(s => s.split(':')[0])).toEqual(['5 -> 4 members', '4 -> 3 members']);
    expect(steps[0]).toContain('--replicas=4');
    expect(steps[1]).toContain('--replicas=3');
  });

  test.each([
    ['zookeeper', { dynamicReconfig: true }, 3, 'zkCli.sh reconfig -add "server.4=m-3.m.x.svc.cluster.local:2888:3888;2181"'],
    ['zookeeper', { dynamicReconfig: true }, -1, 'zkCli.sh reconfig -remove 3'],
    ['zookeeper', {}, 3, 'static membership (reconfigEnabled=false): start m-3 with a server list of 4 servers'],
    ['zookeeper', {}, -1, 'restart the remaining servers one at a time with a server list without server.3'],
    ['mysql-replication', {}, 3, 'm-3 joins with START GROUP_REPLICATION'],
    ['mysql-replication', {}, -1, 'on m-2: STOP GROUP_REPLICATION; then kubectl scale statefulset m -n x --replicas=2'],
    ['redis-sentinel', {}, 3, 'SENTINEL SENTINELS <master>'],
    ['redis-sentinel', {}, -1, 'send SENTINEL RESET <master> to every remaining Sentinel, one at a time'],
    ['consul', {}, 3, "add m-3 with consul's own membership command, then kubectl scale statefulset m -n x --replicas=4"],
    ['consul', {}, -1, "remove m-2 with consul's own membership command"],
  ])('%s %j (%d) uses its own membership command', (system, extra, direction, expected) => {
    const steps = direction > 0 ? membershipSteps(target(system, extra), 3, 4) : membershipSteps(target(system, extra), 3, 2);
    expect(steps.join('\n')).toContain(expected);
  });

  test('static ZooKeeper membership offers the full stop as the safe alternative first', () => {
    const steps = membershipSteps(target('zookeeper'), 3, 5);
    expect(steps[0]).toContain('kubectl scale statefulset m -n x --replicas=0');
    expect(membershipSteps(target('zookeeper', { dynamicReconfig: true }), 3, 5)[0]).toMatch(/^3 -> 4 members/);
  });
});

describe('ZooKeeper growth from a standalone server', () => {
  const zk = (replicas: number) => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'zk', namespace: 'coord', annotations: { 'rainbond.io/component': 'zk', 'rainbond.io/cluster-preset': 'zookeeper', 'rainbond.io/deploy-type': 'state_multiple' } },
    spec: {
      replicas,
      serviceName: 'zk',
      selector: { matchLabels: { app: 'zk' } },
      template: { metadata: { labels: { app: 'zk' } }, spec: { containers: [{ name: 'zookeeper', image: 'zookeeper:3.8' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  });
  const config = (text: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'zk-config', namespace: 'coord', annotations: { 'rainbond.io/component': 'zk' } }, data: { 'zoo.cfg': text } });
  const standalone = 'dataDir=/data\nstandaloneEnabled=true\nreconfigEnabled=false\n';
  const ensemble = 'dataDir=/data\nstandaloneEnabled=true\nreconfigEnabled=false\nserver.1=zk-0.zk.coord.svc.cluster.local:2888:3888\n';

  test('1 -> 3 says the data is lost and seeds the new members before the apply', () => {
    const report = ManifestGuard.compare(toYaml([zk(1), config(standalone)]), toYaml([zk(3), config(ensemble)]));
    const [finding] = findingsOf(report, GuardRule.QUORUM_MEMBER_CHANGE);
    expect(finding.severity).toBe(GuardSeverity.BLOCKING);
    expect(finding.message).toBe('zookeeper cluster zk grows from 1 to 3 members while its only server runs standalone: a standalone server does not join an ensemble, '
      + 'so the new, empty members form a quorum of their own (2 of 3) and the old server, restarted as a follower, is truncated to their empty state: '
      + 'the data in data-zk-0 is lost');
    expect(finding.objects).toEqual(['StatefulSet coord/zk', 'PersistentVolumeClaim coord/data-zk-0', 'PersistentVolumeClaim coord/data-zk-1', 'PersistentVolumeClaim coord/data-zk-2']);
    const steps = finding.steps.join('\n');
    const order = ['Back up the only copy', 'kubectl scale statefulset zk -n coord --replicas=0', 'pre-create data-zk-1, data-zk-2', 'Apply the new manifests (3 members'];
    const positions = order.map(part => steps.indexOf(part));
    expect(positions).not.toContain(-1);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(steps).not.toContain('reconfig -add "server');
  });

  test('a single server that runs replicated (standaloneEnabled=false) grows with the ordinary reconfig steps', () => {
    const replicated = 'standaloneEnabled=false\nreconfigEnabled=true\n';
    const report = ManifestGuard.compare(toYaml([zk(1), config(replicated)]), toYaml([zk(3), config(replicated)]));
    const [finding] = findingsOf(report, GuardRule.QUORUM_MEMBER_CHANGE);
    expect(finding.message).not.toContain('standalone');
    expect(finding.steps.join('\n')).toContain('zkCli.sh reconfig -add "server.2=zk-1.zk.coord.svc.cluster.local:2888:3888;2181"');
  });
});
