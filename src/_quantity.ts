/** Kubernetes quantity parsing, just enough to order storage sizes. */

const SUFFIXES: Record<string, number> = {
  '': 1,
  'm': 1e-3,
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

/** Bytes of a quantity such as `10Gi`, `500M` or `1e3`; undefined when it can't be read. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(value.trim());
  if (!match || !Object.prototype.hasOwnProperty.call(SUFFIXES, match[2])) return undefined;
  const number = Number(match[1]);
  return Number.isFinite(number) ? number * SUFFIXES[match[2]] : undefined;
}
