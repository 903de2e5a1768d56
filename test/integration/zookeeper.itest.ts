/**
 * The ZooKeeper preset's synthesized StatefulSet and ConfigMap, run with
 * Debian's zookeeper 3.8 package: the rendered start script writes `myid` and
 * execs `zkServer.sh start-foreground` with the rendered zoo.cfg, one network
 * namespace per pod, peers by pod FQDN. For 3 and 5 members it proves that the
 * ensemble forms, keeps acknowledged writes while faultTolerance members are
 * down, refuses writes without a quorum, and recovers with all acknowledged
 * data when the stopped members restart on their own data. Grown from one
 * member, the new empty members wait for the member holding the data instead of
 * electing each other, so its data survives.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { PodCluster, startPodCluster } from './harness';
import { ordinals as allOrdinals, stopLeaderFirst, waitFor } from './quorum-steps';
import { zookeeperMode } from './zookeeper-leader';
import { RainbondComponent } from '../../src/component';
import { DeployType } from '../../src/deploy-type';
import { ZOOKEEPER_IMAGE } from '../../src/presets/_image-facts';
import { ZookeeperPreset } from '../../src/presets/zookeeper';

const COMMANDS = {
  'zkServer.sh': '/usr/share/zookeeper/bin/zkServer.sh',
  'zkCli.sh': '/usr/share/zookeeper/bin/zkCli.sh',
};
const READY_MS = 90000;

/** zkCli against the member's own client port, one command per JVM. */
function zkCli(cluster: PodCluster, ordinal: number, args: string[]) {
  return cluster.exec(ordinal, ['zkCli.sh', '-server', '127.0.0.1:2181', ...args], { timeoutMs: 30000 });
}

async function create(cluster: PodCluster, ordinal: number, key: string, value: string): Promise<void> {
  const r = await zkCli(cluster, ordinal, ['create', key, value]);
  // zkCli prints 'Created <path>' on stderr.
  if (r.code !== 0 || !(r.stdout + r.stderr).includes(`Created ${key}`)) {
    throw new Error(`create ${key} on pod ${ordinal} failed (exit ${r.code}): ${r.stdout}${r.stderr}`);
  }
}

async function get(cluster: PodCluster, ordinal: number, key: string): Promise<string[]> {
  const r = await zkCli(cluster, ordinal, ['get', key]);
  if (r.code !== 0) throw new Error(`get ${key} on pod ${ordinal} failed (exit ${r.code}): ${r.stdout}${r.stderr}`);
  return r.stdout.split('\n').map(l => l.trim());
}

/**
 * Waits for every listed member to be ready and for the ensemble to settle (a member stays Ready
 * through an election, as on a kubelet: readiness turns false only after failureThreshold
 * periods), then checks exactly one of them leads and the rest follow.
 */
async function oneLeader(cluster: PodCluster, ordinals: number[]): Promise<number> {
  await Promise.all(ordinals.map(i => cluster.waitReady(i, READY_MS)));
  const settled = Date.now() + 30000;
  let modes = await Promise.all(ordinals.map(i => zookeeperMode(cluster, i)));
  while (Date.now() < settled && !(modes.filter(m => m === 'leader').length === 1 && modes.filter(m => m === 'follower').length === ordinals.length - 1)) {
    await new Promise(r => setTimeout(r, 250));
    modes = await Promise.all(ordinals.map(i => zookeeperMode(cluster, i)));
  }
  expect(modes.filter(m => m === 'leader')).toHaveLength(1);
  expect(modes.filter(m => m === 'follower')).toHaveLength(ordinals.length - 1);
  return ordinals[modes.indexOf('leader')];
}

describe.each([3, 5])('ZooKeeper preset with %i members (Debian zookeeper 3.8)', (members) => {
  let cluster: PodCluster | undefined;
  let component: RainbondComponent;
  const acknowledged = new Map<string, string>();
  let stopped: number[] = [];
  let survivors: number[] = [];

  beforeAll(async () => {
    const chart = Testing.chart();
    component = new RainbondComponent(chart, 'zk', {
      deployType: DeployType.STATEFUL_MULTIPLE, replicas: members, namespace: 'itest', preset: new ZookeeperPreset(),
    });
    cluster = await startPodCluster({ image: ZOOKEEPER_IMAGE, manifests: Testing.synth(chart), statefulSetName: 'zk', commands: COMMANDS });
  });

  afterAll(async () => {
    await cluster?.dispose();
  });

  test('forms: every member ready, one leader, myid = ordinal + 1 on the claim', async () => {
    const c = cluster!;
    await c.startAll();
    const all = allOrdinals(members);
    await oneLeader(c, all);
    for (const i of all) {
      expect(component.podDnsNames[i]).toBe(c.fqdn(i));
      expect(readFileSync(path.join(c.claimPath(i, 'data'), 'myid'), 'utf8').trim()).toBe(String(i + 1));
    }
    for (const i of all) {
      await create(c, i, `/formed-${i}`, `v${i}`);
      acknowledged.set(`/formed-${i}`, `v${i}`);
    }
  });

  test('keeps acknowledged writes and serves while faultTolerance members (the leader first) are down', async () => {
    const c = cluster!;
    const leader = await oneLeader(c, allOrdinals(members));
    ({ stopped, survivors } = await stopLeaderFirst(c, members, leader, component.faultTolerance));
    expect(stopped).toHaveLength(Math.floor((members - 1) / 2));
    await oneLeader(c, survivors);
    for (const [key, value] of acknowledged) expect(await get(c, survivors[0], key)).toContain(value);
    await create(c, survivors[survivors.length - 1], '/during-failure', 'still-accepted');
    acknowledged.set('/during-failure', 'still-accepted');
    expect(await get(c, survivors[0], '/during-failure')).toContain('still-accepted');
  });

  test('refuses writes after losing one more member (no quorum)', async () => {
    const c = cluster!;
    const extra = survivors[0];
    await c.stopPod(extra);
    stopped.push(extra);
    survivors = survivors.filter(i => i !== extra);
    expect(survivors).toHaveLength(component.quorum - 1);
    const target = survivors[0];
    // The remaining members notice the lost quorum within a few ticks and stop serving.
    await waitFor(async () => (await zookeeperMode(c, target)) === undefined, 30000, `pod ${target} stops serving without a quorum`);
    const r = await zkCli(c, target, ['create', '/without-quorum', 'must-not-be-acknowledged']);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).not.toContain('Created /without-quorum');
    expect(r.stdout + r.stderr).toMatch(/ConnectionLoss|not currently serving|SessionExpired/);
    const ready = await c.exec(target, ['bash', '/config/probe.sh', 'srvr', '^Mode: (leader|follower|standalone)'], { timeoutMs: 10000 });
    expect(ready.code).not.toBe(0);
    const alive = await c.exec(target, ['bash', '/config/probe.sh', 'ruok', '^imok'], { timeoutMs: 10000 });
    expect(alive.code).toBe(0); // liveness stays green: no restart because of the lost quorum
  });

  test('restarting the stopped members on their data restores the ensemble with every acknowledged write', async () => {
    const c = cluster!;
    for (const i of stopped) await c.startPod(i);
    const all = allOrdinals(members);
    await oneLeader(c, all);
    for (const i of all) {
      expect(readFileSync(path.join(c.claimPath(i, 'data'), 'myid'), 'utf8').trim()).toBe(String(i + 1));
      for (const [key, value] of acknowledged) {
        expect(await get(c, i, key)).toContain(value);
      }
    }
    await create(c, stopped[0], '/after-recovery', 'ok');
    expect(await get(c, survivors[0] ?? 0, '/after-recovery')).toContain('ok');
    for (const i of all) expect(c.restartCount(i)).toBe(0);
  });
});

describe('ZooKeeper preset with 1 member on STATEFUL_SINGLE (Debian zookeeper 3.8)', () => {
  let cluster: PodCluster | undefined;

  afterAll(async () => {
    await cluster?.dispose();
  });

  test('runs standalone and keeps its data across a restart', async () => {
    const chart = Testing.chart();
    new RainbondComponent(chart, 'zk', { deployType: DeployType.STATEFUL_SINGLE, namespace: 'itest', preset: new ZookeeperPreset() });
    cluster = await startPodCluster({ image: ZOOKEEPER_IMAGE, manifests: Testing.synth(chart), statefulSetName: 'zk', commands: COMMANDS });
    await cluster.startAll();
    await cluster.waitReady(0, READY_MS);
    expect(await zookeeperMode(cluster, 0)).toBe('standalone');
    await create(cluster, 0, '/single', 'kept');
    await cluster.stopPod(0);
    await cluster.startPod(0);
    await cluster.waitReady(0, READY_MS);
    expect(await get(cluster, 0, '/single')).toContain('kept');
  });
});

describe('ZooKeeper preset grown from 1 to 3 members (Debian zookeeper 3.8)', () => {
  const synth = (deployType: DeployType, replicas: number) => {
    const chart = Testing.chart();
    new RainbondComponent(chart, 'zk', { deployType, replicas, namespace: 'itest', preset: new ZookeeperPreset() });
    return Testing.synth(chart);
  };
  let cluster: PodCluster | undefined;
  const saved = mkdtempSync(path.join(os.tmpdir(), 'zk-growth-'));

  afterAll(async () => {
    await cluster?.dispose();
    rmSync(saved, { recursive: true, force: true });
  });

  test('the new, empty members wait for the member that holds the data; it leads and its data survives', async () => {
    // 1. one member, standalone, with data; its claim is kept (cp -a keeps the zookeeper user's ownership)
    cluster = await startPodCluster({ manifests: synth(DeployType.STATEFUL_SINGLE, 1), statefulSetName: 'zk', commands: COMMANDS });
    await cluster.startAll();
    await cluster.waitReady(0, READY_MS);
    expect(await zookeeperMode(cluster, 0)).toBe('standalone');
    await create(cluster, 0, '/before-growth', 'kept');
    await cluster.stopPod(0);
    execFileSync('cp', ['-a', `${cluster.claimPath(0, 'data')}/.`, saved]);
    await cluster.dispose();

    // 2. three members on the same claim for member 0. The new members start first, as under the rolling update,
    //    which restarts member 0 with the new server list last: they must not elect each other (2 of 3).
    cluster = await startPodCluster({ manifests: synth(DeployType.STATEFUL_MULTIPLE, 3), statefulSetName: 'zk', commands: COMMANDS });
    const c = cluster;
    // the claim of member 0 exists before its pod starts (the harness applies fsGroup when it starts)
    execFileSync('mkdir', ['-p', c.claimPath(0, 'data')]);
    execFileSync('cp', ['-a', `${saved}/.`, c.claimPath(0, 'data')]);
    await c.startPod(1);
    await c.startPod(2);
    await Promise.all([1, 2].map(i => c.waitReady(i, READY_MS))); // probes pass while waiting, so the update goes on
    await new Promise(r => setTimeout(r, 8000));
    for (const i of [1, 2]) {
      expect(c.logs(i)).toContain('has no data: waiting until another member runs in the ensemble');
      expect(await zookeeperMode(c, i)).toBeUndefined();
    }

    // 3. member 0 restarts with the new server list: the new members join its election and follow it
    await c.startPod(0);
    await waitFor(async () => oneLeader(c, [0, 1, 2]).then(() => true, () => false), READY_MS, 'one leader among the three members');
    expect(await zookeeperMode(c, 0)).toBe('leader');
    for (const i of [0, 1, 2]) expect(await get(c, i, '/before-growth')).toContain('kept');
  }, 300000);
});
