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
      'Apply the new manifests (3 members',
      '"partition":0',
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
