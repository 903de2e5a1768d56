/**
 * Operations helpers on top of a running {@link PodCluster}: a continuous writer that records
 * every acknowledged write, the read-back of those writes, a partition that drops a pod's
 * packets both ways (a lost node: its interface goes down, nobody sends a reset), a sampler of
 * who leads, and a rolling update in the StatefulSet controller's order.
 *
 * Every process runs inside a network namespace of the run and talks only to pod addresses of
 * the run; every wait is bounded.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { PodCluster } from './index';
import { run, runOk } from './system';

const CLIENT = path.join(__dirname, 'ops-client.js');

/** Systems the client speaks. */
export type WriterSystem = 'redis' | 'etcd' | 'zookeeper';

/** Where a writer runs and what it writes to. */
export interface WriterTarget {
  readonly system: WriterSystem;
  /** Ordinal (member or companion) whose network namespace the client runs in. */
  readonly from: number;
  /** Address (a pod IP or FQDN of this run) and port of the server. */
  readonly host: string;
  readonly port: number;
  /** Extra environment (e.g. REDIS_PASSWORD). */
  readonly env?: Record<string, string>;
}

/** One write the writer attempted. */
export interface WriteRecord {
  readonly key: string;
  readonly acknowledged: boolean;
  readonly startMs: number;
  readonly endMs: number;
  readonly reason?: string;
}

/** What a stopped writer did. */
export interface WriterResult {
  /** The file of outcomes, one line per attempt (input of {@link verifyWrites}). */
  readonly file: string;
  readonly records: WriteRecord[];
  readonly acknowledged: number;
  readonly failed: number;
  /** Longest time between two consecutive acknowledgements (ms). */
  readonly longestGapMs: number;
}

/** A running writer; {@link stop} ends it. */
export interface Writer {
  readonly target: WriterTarget;
  /** Records so far (the file as written until now). */
  records(): WriteRecord[];
  /** Resolves once an acknowledged write after `sinceMs` was recorded (bounded). */
  waitAcknowledged(sinceMs: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<WriterResult>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) {
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

function parseRecords(file: string): WriteRecord[] {
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter(l => l !== '').map((l) => {
    const [kind, key, start, end, ...reason] = l.split(' ');
    return { key, acknowledged: kind === 'ack', startMs: Number(start), endMs: Number(end), reason: reason.length ? reason.join(' ') : undefined };
  });
}

/** Longest time between consecutive acknowledgements of `records`. */
export function longestGap(records: WriteRecord[]): number {
  const acks = records.filter(r => r.acknowledged).map(r => r.endMs);
  let gap = 0;
  for (let i = 1; i < acks.length; i++) gap = Math.max(gap, acks[i] - acks[i - 1]);
  return gap;
}

function clientArgv(cluster: PodCluster, t: WriterTarget, args: string[]): string[] {
  return ['netns', 'exec', cluster.netns(t.from), process.execPath, CLIENT, ...args];
}

/** Starts a continuous writer of keys `<prefix>:<n>` (one in flight, `intervalMs` apart); it ends by itself after `maxMs`. */
export function startWriter(cluster: PodCluster, target: WriterTarget, prefix: string, maxMs = 300000, intervalMs = 20): Writer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbit-writer-'));
  const file = path.join(dir, `${prefix}.log`);
  const child = spawn('/usr/sbin/ip', clientArgv(cluster, target, ['write', target.system, target.host, String(target.port), prefix, file, String(maxMs), String(intervalMs)]),
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...target.env } });
  live.add(child);
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  const exited = new Promise<void>(resolve => child.on('close', () => { live.delete(child); resolve(); }));
  return {
    target,
    records: () => parseRecords(file),
    async waitAcknowledged(sinceMs, timeoutMs = 60000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const ack = parseRecords(file).find(r => r.acknowledged && r.startMs >= sinceMs);
        if (ack) return ack.endMs;
        if (Date.now() > deadline) throw new Error(`writer ${prefix}: no acknowledged write since ${new Date(sinceMs).toISOString()} within ${timeoutMs} ms; last: ${JSON.stringify(parseRecords(file).slice(-3))} ${stderr}`);
        await new Promise(r => setTimeout(r, 100));
      }
    },
    async stop() {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already ended
      }
      const killer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 10000);
      await exited;
      clearTimeout(killer);
      const records = parseRecords(file);
      return {
        file,
        records,
        acknowledged: records.filter(r => r.acknowledged).length,
        failed: records.filter(r => !r.acknowledged).length,
        longestGapMs: longestGap(records),
      };
    },
  };
}

/** Reads back every write of `result` that was acknowledged, through `target`. */
export async function verifyWrites(
  cluster: PodCluster, target: WriterTarget, result: WriterResult, timeoutMs = 180000,
): Promise<{ acknowledged: number; lost: number; lostKeys: string[] }> {
  const r = await run('/usr/sbin/ip', clientArgv(cluster, target, ['verify', target.system, target.host, String(target.port), result.file]),
    { timeoutMs, env: { ...process.env, ...target.env } as Record<string, string> });
  if (r.code !== 0) throw new Error(`read-back failed (exit ${r.code}): ${r.stderr.trim()}`);
  return JSON.parse(r.stdout);
}

/** Cuts pod `ordinal` off: its interface goes down, so packets are dropped both ways and no reset is sent. */
export async function partition(cluster: PodCluster, ordinal: number): Promise<void> {
  await runOk('/usr/sbin/ip', ['-n', cluster.netns(ordinal), 'link', 'set', 'eth0', 'down'], { timeoutMs: 10000 });
}

/** Ends {@link partition}: the interface comes back with its address. */
export async function heal(cluster: PodCluster, ordinal: number): Promise<void> {
  await runOk('/usr/sbin/ip', ['-n', cluster.netns(ordinal), 'link', 'set', 'eth0', 'up'], { timeoutMs: 10000 });
}

/** What {@link partitionAndVerify} measured. */
export interface PartitionOutcome {
  /** Milliseconds from the partition to the first acknowledged write after it. */
  readonly resumedMs: number;
  readonly result: WriterResult;
  readonly history: LeaderSample[];
  readonly check: { acknowledged: number; lost: number; lostKeys: string[] };
}

/**
 * The last step of a leader-loss scenario: `cut` is partitioned until the writer's writes resume
 * (after at least 500 ms) and 3 s more, healed and Ready again (within `readyMs`); then the writer
 * and the sampler stop and every acknowledged write is read back through the writer's target.
 */
export async function partitionAndVerify(cluster: PodCluster, writer: Writer, sampler: LeaderSampler, cut: number,
  bounds: { resumeMs: number; readyMs: number }): Promise<PartitionOutcome> {
  const partitioned = Date.now();
  await partition(cluster, cut);
  let resumedMs: number;
  try {
    resumedMs = (await writer.waitAcknowledged(partitioned + 500, bounds.resumeMs)) - partitioned;
    await new Promise(r => setTimeout(r, 3000));
  } finally {
    await heal(cluster, cut);
  }
  await cluster.waitReady(cut, bounds.readyMs);
  await new Promise(r => setTimeout(r, 2000));
  const result = await writer.stop();
  const history = await sampler.stop();
  const check = await verifyWrites(cluster, writer.target, result);
  return { resumedMs, result, history, check };
}

/** One line on a leader-loss scenario: how soon writes resumed, what was acknowledged and lost, who led. */
export function describeLeaderLoss(system: string, resumedAfterKillMs: number, cut: number, cutWasLeader: boolean, o: PartitionOutcome): string {
  return `${system}: writes resumed ${resumedAfterKillMs} ms after the leader was killed and ${o.resumedMs} ms after `
    + `pod ${cut}${cutWasLeader ? ' (the leader)' : ''} was partitioned; acknowledged ${o.check.acknowledged}, lost ${o.check.lost}, `
    + `failed ${o.result.failed}, longest gap ${o.result.longestGapMs} ms; leaders ${o.history.map(s => s.leader ?? '-').join(' ')}`;
}

/** Who led when, as a {@link LeaderSampler} saw it. */
export interface LeaderSample {
  readonly atMs: number;
  /** The leader, or undefined when no member claimed the role. */
  readonly leader: string | undefined;
}

/**
 * Samples `who()` (the current leader or primary, undefined when none) every `periodMs` until
 * stopped or `maxMs` passed; records the changes. `changes()` counts changes from one leader to
 * another (a gap without a leader in between does not count when the same leader returns).
 */
export class LeaderSampler {
  private readonly samples: LeaderSample[] = [];
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(private readonly who: () => Promise<string | undefined>, periodMs = 250, maxMs = 600000) {
    const deadline = Date.now() + maxMs;
    this.loop = (async () => {
      while (!this.stopped && Date.now() < deadline) {
        let leader: string | undefined;
        try {
          leader = await this.who();
        } catch {
          leader = undefined;
        }
        const last = this.samples[this.samples.length - 1];
        if (!last || last.leader !== leader) this.samples.push({ atMs: Date.now(), leader });
        await new Promise(r => setTimeout(r, periodMs));
      }
    })();
  }

  /** Transitions so far (with the undefined gaps). */
  history(): LeaderSample[] {
    return [...this.samples];
  }

  /** Changes from one leader to a different one since `sinceMs` (the leader at `sinceMs` counts as the start). */
  changes(sinceMs = 0): number {
    let from = 0;
    this.samples.forEach((s, k) => { if (s.atMs < sinceMs) from = k; });
    return leaderChanges(this.samples.slice(from));
  }

  async stop(): Promise<LeaderSample[]> {
    this.stopped = true;
    await this.loop;
    return this.history();
  }
}

/** Changes from one leader to a different one (no-leader gaps are skipped). */
export function leaderChanges(samples: LeaderSample[]): number {
  let changes = 0;
  let current: string | undefined;
  for (const s of samples) {
    if (s.leader === undefined) continue;
    if (current !== undefined && s.leader !== current) changes++;
    current = s.leader;
  }
  return changes;
}

/** Timing of one pod in a {@link rollingUpdate}. */
export interface RolloutStep {
  readonly ordinal: number;
  readonly stoppedMs: number;
  readonly readyMs: number;
}

/**
 * A rolling update as the StatefulSet controller does it: highest ordinal first, each pod stopped
 * gracefully (preStop, SIGTERM, grace), started again on its claims and waited for Ready before the
 * next one; a pod that does not become Ready within `readyTimeoutMs` halts the rollout (throws).
 */
export async function rollingUpdate(
  cluster: PodCluster, ordinals: number[], readyTimeoutMs = 120000, beforeStart?: (ordinal: number) => void | Promise<void>,
): Promise<RolloutStep[]> {
  const steps: RolloutStep[] = [];
  for (const i of [...ordinals].sort((a, b) => b - a)) {
    const t0 = Date.now();
    await cluster.stopPod(i);
    const stopped = Date.now();
    if (beforeStart) await beforeStart(i);
    await cluster.startPod(i);
    await cluster.waitAvailable(i, readyTimeoutMs); // Ready for minReadySeconds, as the controller waits
    steps.push({ ordinal: i, stoppedMs: stopped - t0, readyMs: Date.now() - t0 });
  }
  return steps;
}
