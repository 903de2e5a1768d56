/**
 * The etcd preset's synthesized StatefulSet, run with Debian's etcd 3.4
 * binaries: one network namespace per pod, peers by pod FQDN, data on the
 * claim directories. For 3 and 5 members it proves that the cluster forms,
 * keeps acknowledged writes while faultTolerance members are down, refuses
 * writes without a quorum, and recovers with all acknowledged data when the
 * stopped members restart on their own data.
 */
import { existsSync } from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { PodCluster, startPodCluster } from './harness';
import { ordinals as allOrdinals, stopLeaderFirst, waitFor } from './quorum-steps';
import { RainbondComponent } from '../../src/component';
import { DeployType } from '../../src/deploy-type';
import { ETCD_IMAGE } from '../../src/presets/_image-facts';
import { EtcdPreset } from '../../src/presets/etcd';

const COMMANDS = { etcd: '/usr/bin/etcd', etcdctl: '/usr/bin/etcdctl' };
const READY_MS = 60000;

/** etcdctl against the member's own client port. */
function etcdctl(cluster: PodCluster, ordinal: number, args: string[], timeoutMs = 20000) {
  return cluster.exec(ordinal, ['etcdctl', '--endpoints=http://127.0.0.1:2379', '--dial-timeout=3s', '--command-timeout=5s', ...args], { timeoutMs });
}

async function put(cluster: PodCluster, ordinal: number, key: string, value: string): Promise<void> {
  const r = await etcdctl(cluster, ordinal, ['put', key, value]);
  if (r.code !== 0 || r.stdout.trim() !== 'OK') {
    throw new Error(`put ${key} on pod ${ordinal} failed (exit ${r.code}): ${r.stdout}${r.stderr}`);
  }
}

/** Value of `key` read from `ordinal`: linearizable (needs the quorum) or serializable (the member's own data). */
async function get(cluster: PodCluster, ordinal: number, key: string, consistency: 'l' | 's' = 'l'): Promise<string | undefined> {
  const r = await etcdctl(cluster, ordinal, ['get', `--consistency=${consistency}`, '--print-value-only', key]);
  if (r.code !== 0) throw new Error(`get ${key} on pod ${ordinal} failed (exit ${r.code}): ${r.stdout}${r.stderr}`);
  const value = r.stdout.trim();
  return value === '' ? undefined : value;
}

/** Member id and the leader it knows, as decimal strings (uint64: no JSON.parse). */
async function status(cluster: PodCluster, ordinal: number): Promise<{ member: string; leader: string }> {
  const r = await etcdctl(cluster, ordinal, ['endpoint', 'status', '-w', 'json']);
  const member = /"member_id":(\d+)/.exec(r.stdout)?.[1];
  const leader = /"leader":(\d+)/.exec(r.stdout)?.[1];
  if (r.code !== 0 || !member || !leader) throw new Error(`endpoint status on pod ${ordinal} failed (exit ${r.code}): ${r.stdout}${r.stderr}`);
  return { member, leader };
}

/**
 * Waits for every listed member to be ready and for them to agree on a leader among them (a
 * member stays Ready through an election, as on a kubelet: readiness turns false only after
 * failureThreshold periods), then checks they agree on exactly one; returns its ordinal.
 */
async function oneLeader(cluster: PodCluster, ordinals: number[]): Promise<number> {
  await Promise.all(ordinals.map(i => cluster.waitReady(i, READY_MS)));
  const agreed = (list: Array<{ member: string; leader: string }>) =>
    new Set(list.map(s => s.leader)).size === 1 && list.some(s => s.member === list[0].leader);
  const settled = Date.now() + 30000;
  let statuses = await Promise.all(ordinals.map(i => status(cluster, i)));
  while (!agreed(statuses) && Date.now() < settled) {
    await new Promise(r => setTimeout(r, 250));
    statuses = await Promise.all(ordinals.map(i => status(cluster, i)));
  }
  const leaders = new Set(statuses.map(s => s.leader));
  expect(leaders.size).toBe(1);
  const leaderIndex = statuses.findIndex(s => s.member === statuses[0].leader);
  expect(leaderIndex).toBeGreaterThanOrEqual(0);
  return ordinals[leaderIndex];
}

describe.each([3, 5])('etcd preset with %i members (Debian etcd 3.4)', (members) => {
  let cluster: PodCluster | undefined;
  let component: RainbondComponent;
  const acknowledged = new Map<string, string>();
  let stopped: number[] = [];
  let survivors: number[] = [];
  let memberList = '';

  beforeAll(async () => {
    const chart = Testing.chart();
    component = new RainbondComponent(chart, 'etcd', {
      deployType: DeployType.STATEFUL_MULTIPLE, replicas: members, namespace: 'itest', preset: new EtcdPreset(),
    });
    cluster = await startPodCluster({ image: ETCD_IMAGE, manifests: Testing.synth(chart), statefulSetName: 'etcd', commands: COMMANDS });
  });

  afterAll(async () => {
    await cluster?.dispose();
  });

  test('forms: every member ready, one leader, peers by FQDN, data on the claim', async () => {
    const c = cluster!;
    await c.startAll();
    const all = allOrdinals(members);
    await oneLeader(c, all);
    const list = await etcdctl(c, 0, ['member', 'list']);
    expect(list.code).toBe(0);
    memberList = list.stdout.trim();
    const lines = memberList.split('\n');
    expect(lines).toHaveLength(members);
    for (const i of all) {
      expect(component.podDnsNames[i]).toBe(c.fqdn(i));
      expect(memberList).toContain(`etcd-${i}, http://${c.fqdn(i)}:2380, http://${c.fqdn(i)}:2379`);
      expect(existsSync(path.join(c.claimPath(i, 'data'), 'data', 'member', 'wal'))).toBe(true);
    }
    for (const i of all) {
      const key = `/formed/${i}`;
      await put(c, i, key, `v${i}`);
      acknowledged.set(key, `v${i}`);
    }
  });

  test('keeps acknowledged writes and serves while faultTolerance members (the leader first) are down', async () => {
    const c = cluster!;
    const leader = await oneLeader(c, allOrdinals(members));
    ({ stopped, survivors } = await stopLeaderFirst(c, members, leader, component.faultTolerance));
    expect(stopped).toHaveLength(Math.floor((members - 1) / 2));
    await oneLeader(c, survivors);
    for (const [key, value] of acknowledged) expect(await get(c, survivors[0], key)).toBe(value);
    await put(c, survivors[survivors.length - 1], '/during-failure', 'still-accepted');
    acknowledged.set('/during-failure', 'still-accepted');
    expect(await get(c, survivors[0], '/during-failure')).toBe('still-accepted');
  });

  test('refuses writes after losing one more member (no quorum)', async () => {
    const c = cluster!;
    const extra = survivors[0];
    await c.stopPod(extra);
    stopped.push(extra);
    survivors = survivors.filter(i => i !== extra);
    expect(survivors).toHaveLength(component.quorum - 1);
    const target = survivors[0];
    const r = await etcdctl(c, target, ['put', '/without-quorum', 'must-not-be-acknowledged']);
    expect(r.code).not.toBe(0);
    expect(r.stdout.trim()).not.toBe('OK');
    expect(r.stderr).toMatch(/deadline exceeded|no leader|timed out|unavailable/i);
    const health = await etcdctl(c, target, ['endpoint', 'health']);
    expect(health.code).not.toBe(0);
  });

  test('restarting the stopped members on their data restores the cluster with every acknowledged write', async () => {
    const c = cluster!;
    for (const i of stopped) await c.startPod(i);
    const all = allOrdinals(members);
    await oneLeader(c, all);
    // Same members: nobody bootstrapped a new cluster or re-registered.
    const list = await etcdctl(c, 0, ['member', 'list']);
    expect(list.stdout.trim().split('\n').sort()).toEqual(memberList.split('\n').sort());
    for (const i of all) {
      for (const [key, value] of acknowledged) {
        expect(await get(c, i, key)).toBe(value);
      }
    }
    // Each member's own copy caught up (serializable reads are answered from local data).
    for (const i of stopped) {
      await waitFor(async () => (await get(c, i, '/during-failure', 's')) === 'still-accepted', 20000, `pod ${i} catches up`);
    }
    await put(c, stopped[0], '/after-recovery', 'ok');
    expect(await get(c, survivors[0] ?? 0, '/after-recovery')).toBe('ok');
  });
});

describe('etcd preset with 1 member on STATEFUL_SINGLE (Debian etcd 3.4)', () => {
  let cluster: PodCluster | undefined;

  afterAll(async () => {
    await cluster?.dispose();
  });

  test('serves alone and keeps its data across a restart', async () => {
    const chart = Testing.chart();
    new RainbondComponent(chart, 'etcd', { deployType: DeployType.STATEFUL_SINGLE, namespace: 'itest', preset: new EtcdPreset() });
    cluster = await startPodCluster({ image: ETCD_IMAGE, manifests: Testing.synth(chart), statefulSetName: 'etcd', commands: COMMANDS });
    await cluster.startAll();
    expect(await oneLeader(cluster, [0])).toBe(0);
    await put(cluster, 0, '/single', 'kept');
    await cluster.stopPod(0);
    await cluster.startPod(0);
    await cluster.waitReady(0, READY_MS);
    expect(await get(cluster, 0, '/single')).toBe('kept');
  });
});
