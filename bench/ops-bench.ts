/**
 * Operations benchmark (issue 25): the same synthesized manifests, run as real servers by the
 * integration harness (needs root, see test/integration/harness/README.md), once as the library
 * renders them and once per anchor with the anchor's parameters patched into the plain objects
 * (docs of the anchors: /work/shared/reference/ops-anchors.md, table "Proposed benchmark").
 * Arms run interleaved (ABAB…, the order alternating per pair) and the table gives medians and
 * the ratio to the library arm. Nothing is asserted: this compares in one run and writes its table.
 *
 *   npm run bench:ops -- [--quick] [--pairs N] [--json FILE] [--systems etcd,redis] [--scenarios coldStart,leaderKilled,partition,rollingUpdate]
 *     [--arms library,bitnami,spotahome] [--out FILE]
 *
 * A full run writes its report (table and goals, bench/ops-report.ts) into BENCHMARKS.md after the
 * synthesis report; --quick writes bench-out/BENCHMARKS-ops.quick.md.
 *
 * Per pair and arm one cluster of 3 members is started (coldStart: start to every pod Ready at the
 * harness' probe cadence), then on the same cluster, each with its own continuous writer, sampler
 * and read-back: leaderKilled (SIGKILL of the leader or primary → first acknowledged write),
 * partition (the leader's interface down → first acknowledged write; healed afterwards) and
 * rollingUpdate (every member restarted highest ordinal first, each Ready before the next → total).
 * Writers: etcd and ZooKeeper through a follower's client port (for rollingUpdate, through member 0:
 * the writer runs in that pod's network namespace, so it ends when the rollout reaches member 0,
 * the last one); Redis through `<name>-primary` (plain SET, no WAIT).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { withOperationsReport } from './benchmarks-file';
import { OpsRow, renderOpsReport, Scenario, System } from './ops-report';
import { median } from './stats';
import { RainbondComponent } from '../src/component';
import { DeployType } from '../src/deploy-type';
import { ETCD_IMAGE, ZOOKEEPER_IMAGE } from '../src/presets/_image-facts';
import { EtcdPreset } from '../src/presets/etcd';
import { RedisSentinelPreset, RedisSentinelPresetOptions } from '../src/presets/redis-sentinel';
import { ZookeeperPreset } from '../src/presets/zookeeper';
import { PodCluster, startPodCluster } from '../test/integration/harness';
import { heal, LeaderSampler, partition, rollingUpdate, startWriter, verifyWrites, WriterTarget } from '../test/integration/harness/ops';
import { redisPodCluster } from '../test/integration/redis-cluster';
import { zookeeperLeader } from '../test/integration/zookeeper-leader';

const SCENARIOS: Scenario[] = ['coldStart', 'leaderKilled', 'partition', 'rollingUpdate'];
const ARMS: Record<System, string[]> = { etcd: ['library', 'bitnami'], zookeeper: ['library', 'bitnami'], redis: ['library', 'bitnami', 'spotahome'] };
const PASSWORD = 'bench-pass';
/** Longest wait for writes to resume or a pod to be Ready (Bitnami's Redis timers need ~65 s). */
const BOUND_MS = 150000;

interface Run {
  ms: number;
  acknowledged: number;
  lost: number;
  leaderChanges: number;
  /** Fewest leader changes the scenario allows from where the leader was (rollingUpdate only). */
  leaderChangeFloor?: number;
}
/**
 * The fewest leader changes a rollout (highest ordinal first) can make: one when the leader is
 * not the first member restarted (it hands over to a member already updated), two when it is
 * (no member is updated yet, so whoever takes over is restarted later too).
 */
function rolloutLeaderChangeFloor(leader: number, members: number[]): number {
  return leader === Math.max(...members) ? 2 : 1;
}

function args() {
  const argv = process.argv.slice(2);
  const value = (name: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
  const quick = argv.includes('--quick');
  return {
    command: ['npm run bench:ops', ...argv.length > 0 ? ['--', ...argv] : []].join(' '),
    /** Where the report goes: BENCHMARKS.md for a full run (its operations part), a file of its own for --quick. */
    out: value('--out') ?? (quick ? 'bench-out/BENCHMARKS-ops.quick.md' : 'BENCHMARKS.md'),
    pairs: Number(value('--pairs') ?? (quick ? 1 : 5)),
    json: value('--json'),
    systems: (value('--systems') ?? 'etcd,zookeeper,redis').split(',') as System[],
    scenarios: (value('--scenarios') ?? SCENARIOS.join(',')).split(',') as Scenario[],
    /** Only these arms (each system keeps those of its own it names); default every arm. */
    arms: value('--arms')?.split(','),
  };
}

/** Sets the probe timings of every container of the StatefulSet `sts` (delay/period/timeout/failures, seconds). */
function patchProbe(manifests: any[], sts: string, kind: 'readinessProbe' | 'livenessProbe', t: [number, number, number, number], from: 'readinessProbe' | 'livenessProbe' = kind): void {
  const set = manifests.find(m => m.kind === 'StatefulSet' && m.metadata.name === sts);
  for (const c of set.spec.template.spec.containers) {
    const base = c[from];
    if (!base) continue;
    c[kind] = { ...base, initialDelaySeconds: t[0], periodSeconds: t[1], timeoutSeconds: t[2], failureThreshold: t[3] };
  }
}

function etcdManifests(arm: string): any[] {
  const chart = Testing.chart();
  new RainbondComponent(chart, 'etcd', { deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3, namespace: 'bench', preset: new EtcdPreset() });
  const m = Testing.synth(chart);
  if (arm === 'bitnami') {
    patchProbe(m, 'etcd', 'readinessProbe', [60, 10, 5, 5]);
    patchProbe(m, 'etcd', 'livenessProbe', [60, 30, 5, 5], 'readinessProbe');
  }
  return m;
}

function zookeeperManifests(arm: string): any[] {
  const chart = Testing.chart();
  new RainbondComponent(chart, 'zk', { deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3, namespace: 'bench', preset: new ZookeeperPreset() });
  const m = Testing.synth(chart);
  if (arm === 'bitnami') {
    const set = m.find(o => o.kind === 'StatefulSet' && o.metadata.name === 'zk');
    for (const c of set.spec.template.spec.containers) {
      const timing = (delay: number) => ({ initialDelaySeconds: delay, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 });
      if (c.readinessProbe) c.readinessProbe = { ...c.readinessProbe, ...timing(5) };
      if (c.livenessProbe) c.livenessProbe = { ...c.livenessProbe, ...timing(30) };
      delete c.startupProbe; // Bitnami has none
    }
  }
  return m;
}

function redisManifests(arm: string): any[] {
  const options: RedisSentinelPresetOptions = arm === 'bitnami' ? { downAfterMilliseconds: 60000, failoverTimeoutMilliseconds: 180000, sentinelQuorum: 2 }
    : arm === 'spotahome' ? { downAfterMilliseconds: 5000, failoverTimeoutMilliseconds: 10000 } : {};
  const chart = Testing.chart();
  new RainbondComponent(chart, 'cache', { deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3, namespace: 'bench', preset: new RedisSentinelPreset(options) });
  const m = Testing.synth(chart);
  if (arm !== 'library') {
    // neither Bitnami's chart nor Spotahome's operator sets min-replicas-to-write (Redis's default 0: a primary
    // cut off from its replicas keeps acknowledging writes)
    const config = m.find(o => o.kind === 'ConfigMap' && o.metadata.name === 'cache-config');
    config.data['redis.conf'] = config.data['redis.conf'].split('\n').filter((l: string) => !/^min-replicas-|^# .*(NOREPLICAS|down-after)/.test(l)).join('\n');
  }
  if (arm === 'bitnami') {
    patchProbe(m, 'cache', 'readinessProbe', [20, 5, 1, 5]);
    m.find(o => o.kind === 'StatefulSet' && o.metadata.name === 'cache').spec.template.spec.terminationGracePeriodSeconds = 30;
  }
  return m;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** One system and arm: a cluster, the leader function, the writer target. */
interface Bed {
  cluster: PodCluster;
  members: number[];
  leader(): Promise<number | undefined>;
  /** A writer target that stays up while `down` is stopped or cut off. */
  target(down: number): WriterTarget;
}

/** Starts every member and returns how long until all of them are Ready. */
async function coldStart(cluster: PodCluster, members: number[]): Promise<number> {
  const t0 = Date.now();
  await cluster.startAll();
  await Promise.all(members.map(i => cluster.waitReady(i, BOUND_MS)));
  return Date.now() - t0;
}

/** A writer target that runs next to, and writes through, the first member that is not `down`. */
function followerTarget(cluster: PodCluster, members: number[], system: 'etcd' | 'zookeeper', port: number): (down: number) => WriterTarget {
  return (down) => {
    const w = members.find(i => i !== down)!;
    return { system, from: w, host: cluster.address(w), port };
  };
}

async function startBed(system: System, arm: string): Promise<{ bed: Bed; coldStartMs: number }> {
  const members = [0, 1, 2];
  if (system === 'etcd') {
    const cluster = await startPodCluster({ image: ETCD_IMAGE, manifests: etcdManifests(arm), statefulSetName: 'etcd', commands: { etcd: '/usr/bin/etcd', etcdctl: '/usr/bin/etcdctl' } });
    const coldStartMs = await coldStart(cluster, members);
    const leader = async () => {
      for (const from of members.filter(i => cluster.isRunning(i))) {
        const r = await cluster.exec(from, ['etcdctl', '--endpoints=http://127.0.0.1:2379', '--dial-timeout=2s', '--command-timeout=2s', 'endpoint', 'status', '-w', 'json'], { timeoutMs: 6000 });
        const member = /"member_id":(\d+)/.exec(r.stdout)?.[1];
        const lead = /"leader":(\d+)/.exec(r.stdout)?.[1];
        if (member && lead && member === lead) return from;
      }
      return undefined;
    };
    return {
      coldStartMs,
      bed: {
        cluster,
        members,
        leader,
        target: followerTarget(cluster, members, 'etcd', 2379),
      },
    };
  }
  if (system === 'zookeeper') {
    const cluster = await startPodCluster({ image: ZOOKEEPER_IMAGE, manifests: zookeeperManifests(arm), statefulSetName: 'zk', commands: { 'zkServer.sh': '/usr/share/zookeeper/bin/zkServer.sh' } });
    const coldStartMs = await coldStart(cluster, members);
    const leader = () => zookeeperLeader(cluster, members);
    return {
      coldStartMs,
      bed: {
        cluster,
        members,
        leader,
        target: followerTarget(cluster, members, 'zookeeper', 2181),
      },
    };
  }
  const cluster = await redisPodCluster(redisManifests(arm), PASSWORD);
  const proxies = cluster.companionOrdinals('cache-primary');
  for (const p of proxies) await cluster.startPod(p);
  const coldStartMs = await coldStart(cluster, members);
  for (const p of proxies) await cluster.waitReady(p, BOUND_MS);
  // the primary a majority of the Sentinels names: a primary that was cut off says role:master until it is demoted
  const leader = async () => {
    const named = await Promise.all(members.map(async (i) => {
      if (!cluster.isRunning(i)) return undefined;
      const r = await cluster.exec(i, ['redis-cli', '-p', '26379', '--raw', 'SENTINEL', 'get-master-addr-by-name', 'mymaster'],
        { env: { REDISCLI_AUTH: PASSWORD }, timeoutMs: 3000 });
      const host = r.stdout.split('\n')[0].trim();
      return members.find(m => host === cluster.fqdn(m) || host === cluster.address(m));
    }));
    return members.find(m => named.filter(n => n === m).length > members.length / 2);
  };
  return {
    coldStartMs,
    bed: {
      cluster,
      members,
      leader,
      target: () => ({ system: 'redis', from: proxies[1], host: cluster.address(proxies[0]), port: 6379, env: { REDIS_PASSWORD: PASSWORD } }),
    },
  };
}

/** Runs `step` with a writer and a sampler; returns the scenario's figures. `step` returns the measured ms. */
async function withWriter(bed: Bed, down: number, prefix: string, step: (writer: ReturnType<typeof startWriter>) => Promise<number>): Promise<Run> {
  const target = bed.target(down);
  const sampler = new LeaderSampler(async () => { const l = await bed.leader(); return l === undefined ? undefined : String(l); }, 500, 900000);
  const writer = startWriter(bed.cluster, target, prefix, 900000, 10);
  try {
    await writer.waitAcknowledged(Date.now(), BOUND_MS);
    await sleep(2000);
    const ms = await step(writer);
    await sleep(3000);
    const result = await writer.stop();
    await sampler.stop();
    const check = await verifyWrites(bed.cluster, target, result);
    return { ms, acknowledged: check.acknowledged, lost: check.lost, leaderChanges: sampler.changes() };
  } finally {
    await writer.stop();
    await sampler.stop();
  }
}

async function currentLeader(bed: Bed): Promise<number> {
  const deadline = Date.now() + BOUND_MS;
  for (;;) {
    const l = await bed.leader();
    if (l !== undefined) return l;
    if (Date.now() > deadline) throw new Error('no leader');
    await sleep(500);
  }
}

async function runArm(system: System, arm: string, scenarios: Scenario[]): Promise<Partial<Record<Scenario, Run>>> {
  const out: Partial<Record<Scenario, Run>> = {};
  const { bed, coldStartMs } = await startBed(system, arm);
  const c = bed.cluster;
  try {
    out.coldStart = { ms: coldStartMs, acknowledged: 0, lost: 0, leaderChanges: 0 };
    // Sentinels learn replicas from INFO every 10 s; give every system the same settling time
    await sleep(12000);
    if (scenarios.includes('leaderKilled')) {
      const leader = await currentLeader(bed);
      out.leaderKilled = await withWriter(bed, leader, `k${Date.now()}`, async (w) => {
        const t = Date.now();
        await c.stopPod(leader, 0);
        const ms = (await w.waitAcknowledged(t, BOUND_MS)) - t;
        await c.startPod(leader);
        await c.waitReady(leader, BOUND_MS);
        return ms;
      });
      await sleep(12000);
    }
    if (scenarios.includes('partition')) {
      const leader = await currentLeader(bed);
      out.partition = await withWriter(bed, leader, `p${Date.now()}`, async (w) => {
        const t = Date.now();
        await partition(c, leader);
        try {
          return (await w.waitAcknowledged(t + 200, BOUND_MS)) - t;
        } finally {
          await heal(c, leader);
          await c.waitReady(leader, BOUND_MS);
        }
      });
      await sleep(12000);
    }
    if (scenarios.includes('rollingUpdate')) {
      const leader = await currentLeader(bed);
      out.rollingUpdate = await withWriter(bed, -1, `r${Date.now()}`, async () => {
        const t = Date.now();
        await rollingUpdate(c, bed.members, BOUND_MS);
        return Date.now() - t;
      });
      out.rollingUpdate.leaderChangeFloor = rolloutLeaderChangeFloor(leader, bed.members);
    }
  } finally {
    await c.dispose();
  }
  return out;
}

/** The Debian packages' versions of the servers the harness runs. */
function serverVersions(): string {
  const packages = ['etcd-server', 'zookeeper', 'redis-server', 'haproxy'];
  return packages.map((p) => {
    try {
      return `${p} ${execFileSync('dpkg-query', ['-W', '-f', '${Version}', p], { encoding: 'utf8' })}`;
    } catch {
      return `${p} (not installed)`;
    }
  }).join(', ');
}

async function main(): Promise<void> {
  const a = args();
  const runs = new Map<string, Run[]>();
  const key = (s: System, sc: Scenario, arm: string) => `${s}/${sc}/${arm}`;
  const started = Date.now();
  const loadAtStart = os.loadavg()[0];
  /** Runs that could not finish (a cluster that did not start, a scenario past its bound): the run fails. */
  const failures: string[] = [];
  for (const system of a.systems) {
    for (let pair = 0; pair < a.pairs; pair++) {
      const own = ARMS[system].filter(arm => !a.arms || a.arms.includes(arm));
      const arms = pair % 2 === 0 ? own : [...own].reverse();
      for (const arm of arms) {
        process.stderr.write(`[bench:ops] ${system} ${arm} pair ${pair + 1}/${a.pairs} …\n`);
        try {
          const out = await runArm(system, arm, a.scenarios);
          for (const [sc, run] of Object.entries(out) as [Scenario, Run][]) {
            if (!a.scenarios.includes(sc)) continue;
            const floor = run.leaderChangeFloor === undefined ? '' : ` (fewest possible ${run.leaderChangeFloor})`;
            process.stderr.write(`[bench:ops]   ${sc}: ${run.ms} ms, acknowledged ${run.acknowledged}, lost ${run.lost}, leader changes ${run.leaderChanges}${floor}\n`);
            const k = key(system, sc, arm);
            runs.set(k, [...runs.get(k) ?? [], run]);
          }
        } catch (e) {
          failures.push(`${system} ${arm} pair ${pair + 1}: ${(e as Error).message}`);
          process.stderr.write(`[bench:ops]   failed: ${(e as Error).message}\n`);
        }
      }
    }
  }
  const results: OpsRow[] = [];
  for (const system of a.systems) {
    for (const scenario of a.scenarios) {
      const lib = runs.get(key(system, scenario, 'library'));
      for (const arm of ARMS[system]) {
        const r = runs.get(key(system, scenario, arm));
        if (!r) continue;
        const medianMs = median(r.map(x => x.ms));
        const floors = r.flatMap(x => x.leaderChangeFloor === undefined ? [] : [x.leaderChangeFloor]);
        results.push({
          system,
          scenario,
          arm,
          pairs: r.length,
          medianMs,
          ratioToLibrary: lib ? Number((medianMs / median(lib.map(x => x.ms))).toFixed(2)) : NaN,
          acknowledged: r.reduce((s, x) => s + x.acknowledged, 0),
          lost: r.reduce((s, x) => s + x.lost, 0),
          leaderChanges: median(r.map(x => x.leaderChanges)),
          ...floors.length > 0 ? { leaderChangeFloor: median(floors) } : {},
        });
      }
    }
  }
  const report = renderOpsReport({
    command: a.command,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    seconds: (Date.now() - started) / 1000,
    machine: `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Linux ${os.release()}; 1-minute load average `
      + `${loadAtStart.toFixed(2)} at the start, ${os.loadavg()[0].toFixed(2)} at the end`,
    servers: serverVersions(),
  }, results);
  fs.mkdirSync(path.dirname(path.resolve(a.out)), { recursive: true });
  fs.writeFileSync(a.out, a.out.endsWith('BENCHMARKS.md') ? withOperationsReport(a.out, report) : report);
  process.stdout.write(`${report}\n(written to ${a.out})\n`);
  if (a.json) {
    fs.mkdirSync(path.dirname(a.json), { recursive: true });
    fs.writeFileSync(a.json, `${JSON.stringify({ results }, null, 2)}\n`);
  }
  if (failures.length > 0) throw new Error(`${failures.length} run(s) failed:\n  ${failures.join('\n  ')}`);
}

main().then(() => process.exit(0), (e) => { process.stderr.write(`${(e as Error).stack}\n`); process.exit(1); });
