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
