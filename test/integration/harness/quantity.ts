/**
 * Kubernetes resource quantities (`500m`, `1Gi`, `2e3`) for the downward API's
 * `resourceFieldRef`.
 */

import { parseQuantity as parseOptionalQuantity } from '../../../src/_quantity';

/** Parses a quantity into its numeric value (cores for CPU, bytes for memory); throws on anything else. */
export function parseQuantity(q: string | number): number {
  const value = parseOptionalQuantity(q);
  if (value === undefined) {
    throw new Error(`harness: '${q}' is not a Kubernetes quantity (expected e.g. 500m, 1Gi, 2).`);
  }
  return value;
}

/**
 * The string the kubelet exposes for a `resourceFieldRef`: the value divided by
 * the divisor, rounded up (CPU and memory alike), at least 1 for CPU.
 */
export function resourceFieldValue(value: number, divisor: string | number | undefined, isCpu: boolean): string {
  const d = divisor === undefined ? 1 : parseQuantity(divisor);
  if (d <= 0) throw new Error(`harness: resourceFieldRef divisor must be positive, got '${divisor}'.`);
  // Guard against floating point noise such as 0.1 * 3 / 0.1.
  let n = Math.ceil(value / d - 1e-9);
  if (isCpu && n < 1) n = 1;
  return String(n);
}
