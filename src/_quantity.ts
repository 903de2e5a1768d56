/**
 * Kubernetes resource quantities (`500m`, `10Gi`, `1e3`), shared by the change guard
 * (ordering storage sizes) and the test harness (downward API resource fields).
 * Nothing here is exported from the package index.
 */

const SUFFIXES: Record<string, number> = {
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

/** Numeric value of a quantity (bytes for storage and memory, cores for CPU); undefined when it can't be read. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(value.trim());
  if (!match || !Object.prototype.hasOwnProperty.call(SUFFIXES, match[2])) return undefined;
  const number = Number(match[1]) * SUFFIXES[match[2]];
  return Number.isFinite(number) ? number : undefined;
}
