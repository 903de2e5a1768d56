/**
 * Wall time of repeated syntheses, both variants in the same process,
 * alternating, after a warm-up.
 */
import { kindCountsFromYaml } from './census';
import { synthesizeYaml, Variant, VARIANTS } from './synthesize';
import { ComponentSpec } from './workload-mix';

/** Timings of both variants at one size. */
export interface SizeTimings {
  /** Milliseconds of every measured repetition, per variant. */
  readonly timesMs: Record<Variant, number[]>;
  /** Objects of each kind every repetition produced, per variant. */
  readonly kinds: Record<Variant, Record<string, number>>;
}

/** Order of the variants in repetition `rep`: alternates so neither always runs first. */
export function variantOrder(rep: number): Variant[] {
  return rep % 2 === 0 ? [...VARIANTS] : [...VARIANTS].reverse();
}

/** Collects garbage when the process runs with --expose-gc, so no measurement pays for the previous one's garbage. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
}

/** Times one synthesis (construct tree plus `app.synthYaml()`); counts its objects afterwards, untimed. */
export function timeSynthesis(variant: Variant, specs: readonly ComponentSpec[]): { ms: number; kinds: Record<string, number> } {
  collectGarbage();
  const start = process.hrtime.bigint();
  const yaml = synthesizeYaml(variant, specs);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, kinds: kindCountsFromYaml(yaml) };
}

/**
 * `warmup` untimed repetitions, then `reps` timed ones, each running both
 * variants in alternating order. Fails when a variant's object counts change
 * between repetitions.
 */
export function timeSize(specs: readonly ComponentSpec[], reps: number, warmup: number): SizeTimings {
  const timesMs: Record<Variant, number[]> = { rainbond: [], baseline: [] };
  const kinds: Partial<Record<Variant, Record<string, number>>> = {};
  for (let rep = 0; rep < warmup + reps; rep++) {
    for (const variant of variantOrder(rep)) {
      const run = timeSynthesis(variant, specs);
      const previous = kinds[variant];
      if (previous && JSON.stringify(previous) !== JSON.stringify(run.kinds)) {
        throw new Error(`bench: ${variant} produced different objects in two repetitions at N=${specs.length}`);
      }
      kinds[variant] = run.kinds;
      if (rep >= warmup) timesMs[variant].push(run.ms);
    }
  }
  return { timesMs, kinds: kinds as Record<Variant, Record<string, number>> };
}
