/**
 * Kubernetes resource quantities (`500m`, `1Gi`, `2e3`) for the downward API's
 * `resourceFieldRef`.
 */

const SUFFIX: Record<string, number> = {
  'n': 1e-9,
  'u': 1e-6,
  'm': 1e-3,
  '': 1,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

/** Parses a quantity into its numeric value (cores for CPU, bytes for memory). */
export function parseQuantity(q: string | number): number {
  if (typeof q === 'number') return q;
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(q.trim());
  if (!m) {
    throw new Error(`harness: '${q}' is not a Kubernetes quantity (expected e.g. 500m, 1Gi, 2).`);
  }
  const value = Number(m[1]) * SUFFIX[m[2] ?? ''];
  if (!Number.isFinite(value)) throw new Error(`harness: '${q}' is not a Kubernetes quantity.`);
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
