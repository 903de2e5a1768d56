/**
 * Small statistics over repeated timings.
 */

/** Median of a non-empty sample (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median: the sample is empty');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Smallest and largest value of a non-empty sample. */
export function range(values: readonly number[]): { min: number; max: number } {
  if (values.length === 0) throw new Error('range: the sample is empty');
  return { min: Math.min(...values), max: Math.max(...values) };
}

/** Fraction of a sample's resamples whose statistic falls inside a bootstrap interval. */
export const INTERVAL_LEVEL = 0.9;

/**
 * Percentile bootstrap interval of a statistic of `count` paired observations: `statistic` gets the
 * indices of one resample (drawn with replacement) and returns its value; the interval holds the
 * middle `level` of `resamples` such values. Deterministic: the resamples come from a fixed seed.
 */
export function bootstrapInterval(count: number, statistic: (indices: readonly number[]) => number,
  options: BootstrapOptions = {}): { low: number; high: number } {
  if (!Number.isInteger(count) || count < 1) throw new Error(`bootstrapInterval: needs at least one observation, got ${count}`);
  return groupedBootstrapInterval([Array.from({ length: count }, (_, i) => i)], statistic, options);
}

/** How a bootstrap interval is drawn. */
export interface BootstrapOptions {
  /** Resamples drawn (default 2000). */
  readonly resamples?: number;
  /** Fraction of the resamples' values inside the interval (default INTERVAL_LEVEL). */
  readonly level?: number;
  /** Seed of the generator that draws them (default 0x5eed). */
  readonly seed?: number;
}

/**
 * The same for observations that come in groups, such as the repetitions of one process: each
 * resample draws as many groups as there are, with replacement, then from each drawn group as many
 * of its observations as it has, with replacement. So the interval also covers how far whole groups
 * differ from one another, which resampling the pooled observations hides. With one group it is
 * `bootstrapInterval`, draw for draw.
 */
export function groupedBootstrapInterval(groups: readonly (readonly number[])[], statistic: (indices: readonly number[]) => number,
  options: BootstrapOptions = {}): { low: number; high: number } {
  if (groups.length === 0 || groups.some(group => group.length === 0)) {
    throw new Error(`groupedBootstrapInterval: needs at least one group and one observation in each, got group sizes [${groups.map(g => g.length).join(', ')}]`);
  }
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? INTERVAL_LEVEL;
  const random = minimalStandard(options.seed ?? 0x5eed);
  const draw = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const values: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const indices: number[] = [];
    for (let g = 0; g < groups.length; g++) {
      const group = groups.length === 1 ? groups[0] : draw(groups);
      for (let i = 0; i < group.length; i++) indices.push(draw(group));
    }
    values.push(statistic(indices));
  }
  values.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return { low: values[Math.floor(tail * (resamples - 1))], high: values[Math.ceil((1 - tail) * (resamples - 1))] };
}

/**
 * Park and Miller's minimal standard generator: the same sequence of numbers in (0, 1) for a seed.
 * Exact in double arithmetic (16807 * (2^31 - 1) < 2^53), and plenty for drawing resamples.
 */
function minimalStandard(seed: number): () => number {
  const modulus = 2147483647;
  let state = (Math.abs(Math.floor(seed)) % (modulus - 1)) + 1;
  return () => {
    state = (state * 16807) % modulus;
    return state / modulus;
  };
}
