/**
 * Wall time of repeated syntheses, all variants in the same process,
 * alternating, after a warm-up.
 */
import { kindCountsFromYaml } from './census';
import { floorManifests, synthesizeYaml, Variant, VARIANTS } from './synthesize';
import { ComponentSpec } from './workload-mix';

/** Timings of every variant at one size. */
export interface SizeTimings {
  /** Wall-clock milliseconds of every measured repetition, per variant. */
  readonly timesMs: Record<Variant, number[]>;
  /** CPU milliseconds (user + system, all threads) of every measured repetition, per variant. */
  readonly cpuMs: Record<Variant, number[]>;
  /** Objects of each kind every repetition produced, per variant. */
  readonly kinds: Record<Variant, Record<string, number>>;
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
  const done = (timed: number) => timed >= MAX_REPS || (timed >= plan.reps && measuredMs() >= plan.minSeconds * 1000);
  for (let rep = 0; rep < plan.warmup || !done(rep - plan.warmup); rep++) {
    for (const variant of variantOrder(rep)) {
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
