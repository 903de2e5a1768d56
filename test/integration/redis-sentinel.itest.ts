/**
 * The Redis Sentinel preset's synthesized StatefulSet, run with Debian's
 * redis-server and redis-sentinel 7.0: one network namespace per pod, every
 * instance announced and resolved by pod FQDN, data on the claim directories.
 * For 3 and 5 members it proves that replication forms under member 0, that a
 * write acknowledged with WAIT survives stopping faultTolerance members
 * including the primary (the Sentinels promote a replica), that one more stop
 * leaves no Sentinel majority (CKQUORUM fails, nobody is promoted), and that
 * restarting the stopped members on their own data brings back every
 * acknowledged write under exactly one primary. After a full outage no member
 * promotes its own possibly stale data: all wait until the operator forces the
 * last primary, whose acknowledged writes every member then has.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { PodCluster, startPodCluster } from './harness';
import { redisPodCluster } from './redis-cluster';
import { RainbondComponent } from '../../src/component';
import { DeployType } from '../../src/deploy-type';
import { REDIS_IMAGE } from '../../src/presets/_image-facts';
import { RedisSentinelPreset } from '../../src/presets/redis-sentinel';

const PASSWORD = 'itest "pass\\word';
const READY_MS = 60000;
const DOWN_AFTER_MS = 1000;

function manifests(members: number): any[] {
  const chart = Testing.chart();
  new RainbondComponent(chart, 'cache', {
    deployType: DeployType.STATEFUL_MULTIPLE,
    namespace: 'itest',
    replicas: members,
    preset: new RedisSentinelPreset({ downAfterMilliseconds: DOWN_AFTER_MS, failoverTimeoutMilliseconds: 6000 }),
  });
  return Testing.synth(chart);
}

/** redis-cli against the member's own Redis (6379) or Sentinel (26379); throws on a failed call. */
async function cli(cluster: PodCluster, ordinal: number, port: number, args: string[]): Promise<string[]> {
  const r = await cluster.exec(ordinal, ['redis-cli', '-p', String(port), '--raw', ...args], { env: { REDISCLI_AUTH: PASSWORD }, timeoutMs: 10000 });
  if (r.code !== 0) throw new Error(`redis-cli ${args.join(' ')} on pod ${ordinal} failed (exit ${r.code}): ${r.stdout}${r.stderr}`);
  return r.stdout.split('\n').filter(l => l !== '');
}

/** `master` or `slave`, as ROLE reports it. */
async function role(cluster: PodCluster, ordinal: number): Promise<string> {
  return (await cli(cluster, ordinal, 6379, ['ROLE']))[0];
}

/** The master host this member's Sentinel reports. */
async function sentinelMaster(cluster: PodCluster, ordinal: number): Promise<string> {
  return (await cli(cluster, ordinal, 26379, ['SENTINEL', 'get-master-addr-by-name', 'mymaster']))[0];
}

/** Replica host → flags, as this member's Sentinel knows them. */
async function knownReplicas(cluster: PodCluster, ordinal: number): Promise<Record<string, string>> {
  const lines = await cli(cluster, ordinal, 26379, ['SENTINEL', 'REPLICAS', 'mymaster']);
  const known: Record<string, string> = {};
  let host = '';
  for (let k = 0; k + 1 < lines.length; k++) {
    if (lines[k] === 'ip') host = lines[k + 1];
    if (lines[k] === 'flags') known[host] = lines[k + 1];
  }
  return known;
}

async function info(cluster: PodCluster, ordinal: number, section: string): Promise<Record<string, string>> {
  const lines = await cli(cluster, ordinal, 6379, ['INFO', section]);
  return Object.fromEntries(lines.filter(l => l.includes(':')).map(l => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
}

/** Polls `check` until it returns without throwing; rethrows its last error after `timeoutMs`. */
async function eventually<T>(what: string, check: () => Promise<T>, timeoutMs = 60000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms: ${(e as Error).message}`);
      await new Promise(r => setTimeout(r, 500));
    }
  }
}

function assert(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/** Writes `count` keys on the primary and waits until `replicas` replicas acknowledged them. */
async function writeAcknowledged(
  cluster: PodCluster, primary: number, prefix: string, count: number, replicas: number,
): Promise<Record<string, string>> {
  const data: Record<string, string> = {};
  for (let i = 0; i < count; i++) data[`${prefix}:${i}`] = `${prefix}-value-${i}`;
  expect(await cli(cluster, primary, 6379, ['MSET', ...Object.entries(data).flat()])).toEqual(['OK']);
  const acked = Number((await cli(cluster, primary, 6379, ['WAIT', String(replicas), '10000']))[0]);
  expect(acked).toBeGreaterThanOrEqual(replicas);
  return data;
}

async function read(cluster: PodCluster, ordinal: number, keys: string[]): Promise<string[]> {
  const r = await cluster.exec(ordinal, ['redis-cli', '-p', '6379', '--raw', 'MGET', ...keys], { env: { REDISCLI_AUTH: PASSWORD } });
  return r.stdout.split('\n').slice(0, keys.length);
}

/** Every member ready, exactly one master, all Sentinels naming it, every replica linked to it; returns its ordinal. */
async function healthy(cluster: PodCluster, ordinals: number[]): Promise<number> {
  await Promise.all(ordinals.map(i => cluster.waitReady(i, READY_MS)));
  return eventually('one primary that every Sentinel names and every replica follows', async () => {
    const roles = await Promise.all(ordinals.map(i => role(cluster, i)));
    const masters = ordinals.filter((_, k) => roles[k] === 'master');
    assert(masters.length === 1, `masters: ${masters.join(',') || 'none'}`);
    const primary = masters[0];
    const named = await Promise.all(ordinals.map(i => sentinelMaster(cluster, i)));
    assert(named.every(h => h === cluster.fqdn(primary)), `Sentinels name ${named.join(', ')}, the primary is ${cluster.fqdn(primary)}`);
    const replicas = ordinals.filter(o => o !== primary);
    for (const i of replicas) {
      const repl = await info(cluster, i, 'replication');
      assert(repl.master_host === cluster.fqdn(primary) && repl.master_link_status === 'up', `pod ${i} follows ${repl.master_host} (${repl.master_link_status})`);
    }
    // Sentinels learn replicas from the primary's INFO (every 10 s); only a known replica is reconfigured or promoted in a failover.
    for (const i of ordinals) {
      const known = await knownReplicas(cluster, i);
      for (const r of replicas) assert(known[cluster.fqdn(r)] === 'slave', `the Sentinel of pod ${i} sees replica ${r} as '${known[cluster.fqdn(r)]}'`);
    }
    return primary;
  });
}

describe.each([3, 5])('redis-sentinel preset with %i members (Debian redis 7.0)', (members) => {
  const tolerance = Math.floor((members - 1) / 2);
  const majority = Math.floor(members / 2) + 1;
  let cluster: PodCluster | undefined;

  afterEach(async () => {
    await cluster?.dispose();
    cluster = undefined;
  });

  test('forms, fails over within the fault tolerance, stops without a Sentinel majority, and recovers every acknowledged write', async () => {
    cluster = await startPodCluster({ image: REDIS_IMAGE, manifests: manifests(members), statefulSetName: 'cache', secrets: { 'cache-credentials': { password: PASSWORD } } });
    const c = cluster;
    const all = Array.from({ length: members }, (_, i) => i);
    await c.startAll();

    // 1. member 0 is the primary, the others replicate from it, and the Sentinels found each other.
    expect(await healthy(c, all)).toBe(0);
    await eventually('every Sentinel sees the others and the quorum', async () => {
      for (const i of all) {
        const sentinels = await cli(c, i, 26379, ['SENTINEL', 'SENTINELS', 'mymaster']);
        assert(sentinels.filter(l => l === 'name').length === members - 1, `pod ${i} knows ${sentinels.filter(l => l === 'name').length} other Sentinels`);
        assert((await cli(c, i, 26379, ['SENTINEL', 'CKQUORUM', 'mymaster']))[0].startsWith('OK'), `CKQUORUM on pod ${i}`);
      }
    });
    const first = await writeAcknowledged(c, 0, 'before', 20, members - 1);

    // 2. kill faultTolerance members (no grace, no preStop hand-over), the primary among them:
    //    the Sentinel majority promotes a replica, which keeps the data.
    const stopped = all.slice(0, tolerance);
    await Promise.all(stopped.map(i => c.stopPod(i, 0)));
    const up = all.filter(i => !stopped.includes(i));
    const promoted = await eventually('a replica promoted by the Sentinel majority', async () => healthy(c, up), 60000);
    expect(stopped).not.toContain(promoted);
    expect(await read(c, promoted, Object.keys(first))).toEqual(Object.values(first));
    const second = await writeAcknowledged(c, promoted, 'after', 20, up.length - 1);

    // 3. stop the new primary as well: the Sentinels left are no majority and cannot promote anyone.
    await c.stopPod(promoted, 0);
    const left = up.filter(i => i !== promoted);
    expect(left.length).toBeLessThan(majority);
    await eventually('CKQUORUM fails on every remaining Sentinel', async () => {
      for (const i of left) {
        const r = await c.exec(i, ['redis-cli', '-p', '26379', '--raw', 'SENTINEL', 'CKQUORUM', 'mymaster'], { env: { REDISCLI_AUTH: PASSWORD } });
        assert(/NOQUORUM/.test(r.stdout + r.stderr), `pod ${i}: ${r.stdout}${r.stderr}`);
      }
    }, 30000);
    await new Promise(r => setTimeout(r, DOWN_AFTER_MS * 8));
    for (const i of left) {
      expect(await role(c, i)).toBe('slave');
      expect(await sentinelMaster(c, i)).toBe(c.fqdn(promoted));
    }

    // 4. restart the stopped members on their own data (lowest ordinal first, like OrderedReady).
    for (const i of [...stopped, promoted].sort((a, b) => a - b)) {
      await c.startPod(i);
      await c.waitReady(i, READY_MS);
    }
    let primary: number;
    try {
      primary = await healthy(c, all);
    } catch (e) {
      // the failover history of every member explains a wrong final state
      const events = (i: number) => c.logs(i).split('\n').filter(l => /starting|monitors|switch-master|REPLICAOF|fix-slave|convert-to-slave|promoted/.test(l)).slice(-30);
      throw new Error(`${(e as Error).message}\n${all.map(i => `--- pod ${i} ---\n${events(i).join('\n')}`).join('\n')}`);
    }
    const keys = [...Object.keys(first), ...Object.keys(second)];
    const values = [...Object.values(first), ...Object.values(second)];
    for (const i of all) {
      await eventually(`pod ${i} has every acknowledged write`, async () => {
        const got = await read(c, i, keys);
        assert(JSON.stringify(got) === JSON.stringify(values), `pod ${i} (primary ${primary}) misses ${keys.filter((_, k) => got[k] !== values[k]).join(', ')}`);
      }, 30000);
    }

    // 5. a graceful stop of the primary (rolling update) hands the role over in its preStop hook.
    const third = await writeAcknowledged(c, primary, 'handover', 10, members - 1);
    const started = Date.now();
    await c.stopPod(primary);
    expect(Date.now() - started).toBeLessThan(25000);
    const others = all.filter(i => i !== primary);
    // already switched when the pod is gone: a crash would leave it named until down-after passed
    expect(await sentinelMaster(c, others[0])).not.toBe(c.fqdn(primary));
    const successor = await healthy(c, others);
    expect(await read(c, successor, Object.keys(third))).toEqual(Object.values(third));
    await c.startPod(primary);
    expect(await healthy(c, all)).toBe(successor);
  }, 300000);
});

describe('redis-sentinel primary Service for plain clients (Debian redis 7.0 + haproxy 2.6)', () => {
  let cluster: PodCluster | undefined;

  afterEach(async () => {
    await cluster?.dispose();
    cluster = undefined;
  });

  test('a client that does not speak Sentinel writes through <name>-primary before and after a failover', async () => {
    cluster = await redisPodCluster(manifests(3), PASSWORD);
    const c = cluster;
    const all = [0, 1, 2];
    const proxies = c.companionOrdinals('cache-primary');
    expect(proxies).toHaveLength(2);
    // a proxy without a primary is not ready (the Service then has no endpoints), also after its initial delay
    for (const p of proxies) await c.startPod(p);
    await expect(c.waitReady(proxies[0], 9000)).rejects.toThrow(/readiness httpGet probe failed/);
    await c.startAll();
    expect(await healthy(c, all)).toBe(0);
    for (const p of proxies) await c.waitReady(p, 30000); // /healthz: ready once a primary passed the check

    /** A plain redis-cli (no Sentinel) in pod `from`, connected to proxy pod `proxy` (what the Service routes to). */
    const plain = async (from: number, proxy: number, args: string[]) => {
      const r = await c.exec(from, ['redis-cli', '-h', c.address(proxy), '-p', '6379', '--raw', ...args], { env: { REDISCLI_AUTH: PASSWORD }, timeoutMs: 10000 });
      return (r.stdout + r.stderr).trim();
    };

    // the trap the Service avoids: a replica refuses writes
    expect(await c.exec(2, ['redis-cli', '-h', c.fqdn(1), '-p', '6379', 'SET', 'k', 'v'], { env: { REDISCLI_AUTH: PASSWORD } }).then(r => r.stdout + r.stderr))
      .toMatch(/READONLY/);
    for (const p of proxies) {
      expect(await plain(2, p, ['SET', `before:${p}`, 'v1'])).toBe('OK');
      expect((await plain(2, p, ['ROLE'])).split('\n')[0]).toBe('master');
    }
    expect(Number(await plain(2, proxies[0], ['WAIT', '2', '10000']))).toBe(2);

    // the primary crashes; the Sentinels promote a replica; the proxies follow
    const crashed = Date.now();
    await c.stopPod(0, 0);
    const promoted = await eventually('a replica promoted', async () => healthy(c, [1, 2]), 60000);
    const client = promoted === 1 ? 2 : 1;
    for (const p of proxies) {
      await eventually(`proxy ${p} writes to the new primary`, async () => {
        const reply = await plain(client, p, ['SET', `after:${p}`, 'v2']);
        assert(reply === 'OK', `reply ${reply}`);
      }, 30000);
    }
    const followedMs = Date.now() - crashed;
    console.log(`primary Service: writes succeed again ${followedMs} ms after the primary crashed`);
    expect(await read(c, promoted, ['before:' + proxies[0], 'before:' + proxies[1], 'after:' + proxies[0], 'after:' + proxies[1]]))
      .toEqual(['v1', 'v1', 'v2', 'v2']);

    // the old primary returns as a replica: the proxies keep sending writes to the new primary only
    await c.startPod(0);
    expect(await healthy(c, all)).toBe(promoted);
    await new Promise(r => setTimeout(r, 3000)); // a few check intervals
    for (const p of proxies) {
      expect(await plain(client, p, ['SET', `returned:${p}`, 'v3'])).toBe('OK');
      expect((await plain(client, p, ['ROLE'])).split('\n')[0]).toBe('master');
    }
    expect(await read(c, promoted, ['returned:' + proxies[0], 'returned:' + proxies[1]])).toEqual(['v3', 'v3']);
    expect(await role(c, 0)).toBe('slave');
  }, 240000);
});

describe('redis-sentinel preset after a full outage (3 members, Debian redis 7.0)', () => {
  let cluster: PodCluster | undefined;

  afterEach(async () => {
    await cluster?.dispose();
    cluster = undefined;
  });

  test('no member promotes its own data; the forced last primary keeps every acknowledged write', async () => {
    cluster = await startPodCluster({ manifests: manifests(3), statefulSetName: 'cache', secrets: { 'cache-credentials': { password: PASSWORD } } });
    const c = cluster;
    const all = [0, 1, 2];
    await c.startAll();
    expect(await healthy(c, all)).toBe(0);
    const first = await writeAcknowledged(c, 0, 'before', 10, 2);

    // the primary crashes; a replica is promoted and acknowledges writes member 0 never saw
    await c.stopPod(0, 0);
    const promoted = await eventually('a replica promoted', async () => healthy(c, [1, 2]), 60000);
    const second = await writeAcknowledged(c, promoted, 'after', 10, 1);
    // every member records its role on its volume (reconcile loop, every 10 s)
    const lastRole = (i: number) => fs.readFileSync(path.join(c.claimPath(i, 'data'), '.last-role'), 'utf8');
    await eventually('the promoted member recorded its role', async () => assert(lastRole(promoted).startsWith('master epoch=1 '), lastRole(promoted)), 30000);

    // full outage, then a restart in OrderedReady order: member 0's volume says it was the primary (epoch 0),
    // but it cannot know that it is stale, so it must not promote itself; it waits and passes its probes.
    await Promise.all([1, 2].map(i => c.stopPod(i, 0)));
    expect(lastRole(0)).toMatch(/^master epoch=0 /);
    for (const i of all) {
      await c.startPod(i);
      await c.waitReady(i, READY_MS);
    }
    await new Promise(r => setTimeout(r, 6000));
    for (const i of all) {
      expect(c.logs(i)).toContain('waiting for a Sentinel to name the master');
      const r = await c.exec(i, ['redis-cli', '-p', '6379', '--raw', 'ROLE'], { env: { REDISCLI_AUTH: PASSWORD } });
      expect(r.stdout).not.toContain('master');
    }

    // the operator forces the member that was the primary last (highest epoch in .last-role)
    fs.writeFileSync(path.join(c.claimPath(promoted, 'data'), 'force-primary'), '');
    expect(await healthy(c, all)).toBe(promoted);
    expect(fs.existsSync(path.join(c.claimPath(promoted, 'data'), 'force-primary'))).toBe(false);
    const keys = [...Object.keys(first), ...Object.keys(second)];
    const values = [...Object.values(first), ...Object.values(second)];
    for (const i of all) {
      await eventually(`pod ${i} has every acknowledged write`, async () => {
        const got = await read(c, i, keys);
        assert(JSON.stringify(got) === JSON.stringify(values), `pod ${i} misses ${keys.filter((_, k) => got[k] !== values[k]).join(', ')}`);
      }, 30000);
    }
  }, 300000);
});
