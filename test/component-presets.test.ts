import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ClusterPreset, DeployType, RainbondComponent } from '../src';
import { workloadPolicyViolations } from './util/policy';
import { findOne, synthValid } from './util/synth';

const presets = {
  etcd: ClusterPreset.etcd,
  zookeeper: ClusterPreset.zookeeper,
  redisSentinel: ClusterPreset.redisSentinel,
  mysqlReplication: ClusterPreset.mysqlReplication,
};

describe.each(Object.entries(presets))('preset %s through RainbondComponent', (_name, factory) => {
  test('defaults to three members with quorum 2 and fault tolerance 1', () => {
    const chart = Testing.chart();
    const c = new RainbondComponent(chart, 'cluster', { deployType: DeployType.STATEFUL_MULTIPLE, preset: factory() });
    expect([c.replicas, c.quorum, c.faultTolerance]).toEqual([3, 2, 1]);
    const objects = synthValid(chart);
    const sts = findOne(objects, 'StatefulSet', 'cluster');
    expect(sts.spec.replicas).toBe(3);
    expect(sts.metadata.annotations['rainbond.io/cluster-preset']).toBe(c.presetSystem);
    expect(sts.spec.volumeClaimTemplates.map((t: any) => t.metadata.name)).toContain('data');
    expect(findOne(objects, 'PodDisruptionBudget', 'cluster').spec.maxUnavailable).toBe(1);
    expect(workloadPolicyViolations(sts)).toEqual([]);
    expect(findOne(objects, 'Service', 'cluster').spec.publishNotReadyAddresses).toBe(true);
  });

  test.each([[5, 3, 2], [7, 4, 3]])('%i members: quorum %i, the budget never breaks it (maxUnavailable %i)', (members, quorum, tolerance) => {
    const chart = Testing.chart();
    const c = new RainbondComponent(chart, 'cluster', { deployType: DeployType.STATEFUL_MULTIPLE, replicas: members, preset: factory() });
    expect([c.quorum, c.faultTolerance]).toEqual([quorum, tolerance]);
    expect(findOne(synthValid(chart), 'PodDisruptionBudget', 'cluster').spec.maxUnavailable).toBe(tolerance);
  });

  test('STATEFUL_SINGLE is a one-member cluster without a disruption budget', () => {
    const chart = Testing.chart();
    const c = new RainbondComponent(chart, 'solo', { deployType: DeployType.STATEFUL_SINGLE, preset: factory() });
    expect([c.replicas, c.quorum, c.faultTolerance]).toEqual([1, 1, 0]);
    const objects = synthValid(chart);
    expect(objects.filter(o => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'solo')).toEqual([]);
  });

  test.each([2, 4, 6])('refuses %i members and offers the odd neighbours', (members) => {
    expect(() => new RainbondComponent(Testing.chart(), 'even', { deployType: DeployType.STATEFUL_MULTIPLE, replicas: members, preset: factory() }))
      .toThrow(new RegExp(`RainbondComponent 'even' .*\\n  - \\[replicas\\] .*odd member count, got ${members}: ${members} members tolerate ${Math.floor((members - 1) / 2)} failure\\(s\\), the same as ${members - 1}.*split-brain.*Use ${members - 1} or ${members + 1} members`));
  });

  test('refuses a stateless deploy type', () => {
    for (const deployType of [DeployType.STATELESS_SINGLE, DeployType.STATELESS_MULTIPLE]) {
      expect(() => new RainbondComponent(Testing.chart(), 'x', { deployType, preset: factory() }))
        .toThrow(/\[preset\] a cluster preset keeps its own state .* Fix: use DeployType.STATEFUL_MULTIPLE/);
    }
  });

  test('refuses a pod management policy that would keep the cluster from forming', () => {
    const chart = Testing.chart();
    const c = new RainbondComponent(chart, 'probe', { deployType: DeployType.STATEFUL_MULTIPLE, preset: factory() });
    const required = findOne(Testing.synth(chart), 'StatefulSet').spec.podManagementPolicy;
    const other = required === 'Parallel' ? kplus.PodManagementPolicy.ORDERED_READY : kplus.PodManagementPolicy.PARALLEL;
    expect(() => new RainbondComponent(Testing.chart(), 'x', { deployType: DeployType.STATEFUL_MULTIPLE, preset: factory(), podManagementPolicy: other }))
      .toThrow(new RegExp(`\\[podManagementPolicy\\] ${c.presetSystem} needs ${required} to form its cluster, got ${other}`));
  });

  test('refuses more members than the system supports', () => {
    expect(() => new RainbondComponent(Testing.chart(), 'big', { deployType: DeployType.STATEFUL_MULTIPLE, replicas: 11, preset: factory() }))
      .toThrow(/\[replicas\] .* supports at most \d+ members, got 11/);
  });
});

test('etcd starts members in parallel and Redis Sentinel in order', () => {
  const policy = (preset: any) => {
    const chart = Testing.chart();
    new RainbondComponent(chart, 'c', { deployType: DeployType.STATEFUL_MULTIPLE, preset });
    return findOne(Testing.synth(chart), 'StatefulSet').spec.podManagementPolicy;
  };
  expect(policy(ClusterPreset.etcd())).toBe('Parallel');
  expect(policy(ClusterPreset.redisSentinel())).toBe('OrderedReady');
});

test('MySQL Group Replication accepts 9 members, etcd at most 7', () => {
  expect(new RainbondComponent(Testing.chart(), 'mysql', { deployType: DeployType.STATEFUL_MULTIPLE, replicas: 9, preset: ClusterPreset.mysqlReplication() }).replicas).toBe(9);
  expect(() => new RainbondComponent(Testing.chart(), 'etcd', { deployType: DeployType.STATEFUL_MULTIPLE, replicas: 9, preset: ClusterPreset.etcd() }))
    .toThrow(/etcd supports at most 7 members, got 9/);
});

describe('client Service publishes client ports only; peer ports stay on the headless Service', () => {
  test.each([
    ['etcd', ClusterPreset.etcd, [2379], [2379, 2380]],
    ['zookeeper', ClusterPreset.zookeeper, [2181], [2181, 2888, 3888]],
    ['mysqlReplication', ClusterPreset.mysqlReplication, [3306, 33060], [3306, 33060]],
    ['redisSentinel', ClusterPreset.redisSentinel, [6379, 26379], [6379, 26379]],
  ])('%s', (_name, factory, clientPorts, allPorts) => {
    const chart = Testing.chart();
    new RainbondComponent(chart, 'c', { deployType: DeployType.STATEFUL_MULTIPLE, preset: factory() });
    const objects = synthValid(chart);
    const ports = (svc: any) => svc.spec.ports.map((p: any) => p.port).sort((a: number, b: number) => a - b);
    expect(ports(findOne(objects, 'Service', 'c-client'))).toEqual(clientPorts);
    expect(ports(findOne(objects, 'Service', 'c'))).toEqual(allPorts);
  });

  test('a custom preset naming a client port its container lacks is refused', () => {
    const base = ClusterPreset.etcd();
    const broken = {
      bind: (scope: any, context: any) => ({ ...base.bind(scope, context), clientPorts: [2379, 9999] }),
    };
    expect(() => new RainbondComponent(Testing.chart(), 'x', { deployType: DeployType.STATEFUL_MULTIPLE, preset: broken }))
      .toThrow(/\[preset\] etcd: client port 9999 is not a port of the server container \(2379, 2380\)\. Fix: /);
  });
});

test('a disruption budget asked for on a 1-member cluster is refused: it would allow no disruption and block node drains', () => {
  const single = (podDisruptionBudget?: boolean) => {
    const chart = Testing.chart();
    new RainbondComponent(chart, 'kv', { deployType: DeployType.STATEFUL_SINGLE, preset: ClusterPreset.etcd(), podDisruptionBudget });
    return Testing.synth(chart);
  };
  expect(() => single(true)).toThrow('[podDisruptionBudget] a 1-member etcd cluster has no member to spare for its quorum, so a budget would allow no voluntary disruption and block every node drain. '
    + 'Fix: leave podDisruptionBudget out (no budget), or run 3 or more members.');
  for (const given of [undefined, false]) expect(single(given).filter(o => o.kind === 'PodDisruptionBudget')).toEqual([]);
});
