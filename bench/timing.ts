/**
 * Wall time of repeated syntheses, all variants in the same process,
 * alternating, after a warm-up; and the same spread over several fresh
 * processes, one after another (`timeSizeInProcesses`).
 */
import { kindCountsFromYaml } from './census';
import { resultOfChild } from './child';
import { floorManifests, synthesizeYaml, Variant, VARIANTS } from './synthesize';
import { ComponentSpec, workloadMix } from './workload-mix';

/** Timings of every variant at one size. */
export interface SizeTimings {
  /** Wall-clock milliseconds of every measured repetition, per variant. */
  readonly timesMs: Record<Variant, number[]>;
  /** CPU milliseconds (user + system, all threads) of every measured repetition, per variant. */
  readonly cpuMs: Record<Variant, number[]>;
  /** Objects of each kind every repetition produced, per variant. */
  readonly kinds: Record<Variant, Record<string, number>>;
  /**
   * The process each repetition ran in (0, 1, …; a repetition runs every variant in one process),
   * when the repetitions come from several; undefined: all from one.
   */
  readonly processOf?: number[];
}

/** Every order of `items`, in the order repetitions use them. */
export function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map(rest => [item, ...rest]));
}

const ORDERS = permutations(VARIANTS);

/**
 * Order of the variants in repetition `rep`: cycles through every permutation,
 * so over six repetitions each variant runs first, second and last equally often
 * and right after each of the others equally often.
 */
export function variantOrder(rep: number): Variant[] {
  return [...ORDERS[rep % ORDERS.length]];
}

/** Collects garbage when the process runs with --expose-gc, so no measurement pays for the previous one's garbage. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
}

/**
 * Times one synthesis (construct tree plus `app.synthYaml()`) in wall-clock
 * and CPU time; counts its objects afterwards, untimed.
 */
export function timeSynthesis(variant: Variant, specs: readonly ComponentSpec[]): { ms: number; cpuMs: number; kinds: Record<string, number> } {
  if (variant === 'floor') floorManifests(specs); // its input, untimed (cached per spec array)
  collectGarbage();
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const yaml = synthesizeYaml(variant, specs);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, kinds: kindCountsFromYaml(yaml) };
}

/** How many repetitions `timeSize` runs. */
export interface RepetitionPlan {
  /** Untimed repetitions first. */
  readonly warmup: number;
  /** Fewest timed repetitions. */
  readonly reps: number;
  /** Keep repeating until each variant has this much measured wall time (small N get many repetitions). */
  readonly minSeconds: number;
  /** Most timed repetitions, whatever `minSeconds` asks (default MAX_REPS). */
  readonly maxReps?: number;
  /**
   * Where in the cycle of variant orders the timed repetitions start (default 0): processes that
   * share a plan continue one cycle, as one process would.
   */
  readonly orderOffset?: number;
}

/** Most timed repetitions at one size, whatever `minSeconds` asks. */
export const MAX_REPS = 100;

/**
 * Untimed warm-up repetitions, then timed ones until both `reps` and
 * `minSeconds` are reached, each running every variant back to back in
 * alternating order. Fails when a variant's object counts change between repetitions.
 */
export function timeSize(specs: readonly ComponentSpec[], plan: RepetitionPlan): SizeTimings {
  const timesMs: Record<Variant, number[]> = { rainbond: [], baseline: [], floor: [] };
  const cpuMs: Record<Variant, number[]> = { rainbond: [], baseline: [], floor: [] };
  const kinds: Partial<Record<Variant, Record<string, number>>> = {};
  const measuredMs = () => Math.min(...Object.values(timesMs).map(t => t.reduce((sum, ms) => sum + ms, 0)));
  const done = (timed: number) => timed >= (plan.maxReps ?? MAX_REPS) || (timed >= plan.reps && measuredMs() >= plan.minSeconds * 1000);
  for (let rep = 0; rep < plan.warmup || !done(rep - plan.warmup); rep++) {
    for (const variant of variantOrder(rep + (plan.orderOffset ?? 0))) {
      const run = timeSynthesis(variant, specs);
      const previous = kinds[variant];
      if (previous && JSON.stringify(previous) !== JSON.stringify(run.kinds)) {
        throw new Error(`bench: ${variant} produced different objects in two repetitions at N=${specs.length}`);
      }
      kinds[variant] = run.kinds;
      if (rep >= plan.warmup) {
        timesMs[variant].push(run.ms);
        cpuMs[variant].push(run.cpuMs);
      }
    }
  }
  return { timesMs, cpuMs, kinds: kinds as Record<Variant, Record<string, number>> };
}

/** Synthesizes every variant `rounds` times at `size`, untimed, so the JIT has compiled all of them before any size is measured. */
export function warmUp(specs: readonly ComponentSpec[], rounds: number): void {
  for (let round = 0; round < rounds; round++) {
    for (const variant of variantOrder(round)) synthesizeYaml(variant, specs);
  }
}

/**
 * The plan of process `index` of `processes` that share `plan`: reps, measured time and cap divided
 * among them, the variant orders continuing where the previous process's planned repetitions end.
 */
export function planPerProcess(plan: RepetitionPlan, processes: number, index: number): RepetitionPlan {
  const reps = Math.ceil(plan.reps / processes);
  return {
    warmup: plan.warmup,
    reps,
    minSeconds: plan.minSeconds / processes,
    maxReps: Math.max(1, Math.floor((plan.maxReps ?? MAX_REPS) / processes)),
    orderOffset: (plan.orderOffset ?? 0) + index * reps,
  };
}

/**
 * The timings of several processes at one size as one: repetitions in process order, each
 * marked with its process. Fails when two processes produced different objects.
 */
export function mergeTimings(size: number, parts: readonly SizeTimings[]): SizeTimings {
  if (parts.length === 0) throw new Error(`bench: no timing process reported at N=${size}`);
  for (const [index, part] of parts.entries()) {
    // per variant: the record's own key order follows the order the variants first ran in
    if (VARIANTS.some(v => JSON.stringify(part.kinds[v]) !== JSON.stringify(parts[0].kinds[v]))) {
      throw new Error(`bench: timing process ${index} produced other objects than process 0 at N=${size}`);
    }
  }
  const pooled = (of: (part: SizeTimings) => Record<Variant, number[]>) =>
    Object.fromEntries(VARIANTS.map(v => [v, parts.flatMap(part => of(part)[v])])) as Record<Variant, number[]>;
  return {
    timesMs: pooled(part => part.timesMs),
    cpuMs: pooled(part => part.cpuMs),
    kinds: parts[0].kinds,
    processOf: parts.flatMap((part, index) => part.timesMs.rainbond.map(() => index)),
  };
}

/** What a timing child measures: `size` after `warmupRounds` untimed rounds at `warmupSize`. */
export interface TimingChildRequest {
  readonly size: number;
  readonly plan: RepetitionPlan;
  readonly warmupSize: number;
  readonly warmupRounds: number;
}

/** Command-line flags of a timing child (see `synth-bench.ts`). */
export function timingChildArgs(request: TimingChildRequest): string[] {
  const { size, plan, warmupSize, warmupRounds } = request;
  return ['--child-timing', '--size', String(size), '--reps', String(plan.reps), '--min-seconds', String(plan.minSeconds),
    '--max-reps', String(plan.maxReps ?? MAX_REPS), '--warmup', String(plan.warmup), '--order-offset', String(plan.orderOffset ?? 0),
    '--warmup-size', String(warmupSize), '--warmup-rounds', String(warmupRounds)];
}

/** Runs a timing child's measurement in this process: the warm-up rounds, then `timeSize`. */
export function timeHere(request: TimingChildRequest): SizeTimings {
  warmUp(workloadMix(request.warmupSize), request.warmupRounds);
  return timeSize(workloadMix(request.size), request.plan);
}

/**
 * Runs `timeHere` in a forked Node process started like this one (same flags, so the same
 * ts-node type checking and garbage collector settings) and returns its timings. Rejects when
 * the child fails.
 */
export function timeInChild(script: string, request: TimingChildRequest): Promise<SizeTimings> {
  return resultOfChild<SizeTimings>(script, timingChildArgs(request), {}, exit => `timing process at N=${request.size} failed (${exit})`);
}

/**
 * Times one size in `processes` fresh processes, one after another (never two at once), and
 * merges their repetitions; the plan is shared among them (`planPerProcess`). Each process warms
 * up on its own, so no size inherits the heap or compiled code another size left behind, and the
 * spread between processes shows in the merged repetitions.
 */
export async function timeSizeInProcesses(script: string, size: number, plan: RepetitionPlan, processes: number,
  warmup: { readonly size: number; readonly rounds: number }): Promise<SizeTimings> {
  const parts: SizeTimings[] = [];
  for (let p = 0; p < processes; p++) {
    parts.push(await timeInChild(script, { size, plan: planPerProcess(plan, processes, p), warmupSize: warmup.size, warmupRounds: warmup.rounds }));
  }
  return mergeTimings(size, parts);
}
