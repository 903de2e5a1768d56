/**
 * Kubernetes resource quantities (`500m`, `10Gi`, `1e3`), shared by the change guard
 * (ordering storage sizes) and the test harness (downward API resource fields); and cdk8s `Size`s as
 * cdk8s-plus-28 writes them (whole MiB or GiB), for the component's rules.
 * Nothing here is exported from the package index.
 */
import { Size } from 'cdk8s';

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

/** A quantity as an exact fraction `num / den` (BigInt), so `0.7` and `700m` compare equal. */
function exactQuantity(value: unknown): { num: bigint; den: bigint } | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return undefined;
  }
  const match = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?([a-zA-Z]*)$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '') || !Object.prototype.hasOwnProperty.call(SUFFIXES, match[5])) return undefined;
  const [, sign, whole, fraction = '', exponent = '0', suffix] = match;
  const ten = BigInt(10);
  let num = BigInt(`${sign}${whole}${fraction}` || '0');
  let den = ten ** BigInt(fraction.length);
  const exp = Number(exponent);
  if (exp >= 0) num *= ten ** BigInt(exp);
  else den *= ten ** BigInt(-exp);
  if (suffix.endsWith('i')) {
    num *= BigInt(SUFFIXES[suffix]);
  } else {
    const power = Math.round(Math.log10(SUFFIXES[suffix]));
    if (power >= 0) num *= ten ** BigInt(power);
    else den *= ten ** BigInt(-power);
  }
  return { num, den };
}

/** Whether a quantity is a whole number (of bytes, for memory); undefined when it can't be read. */
export function isWholeQuantity(value: unknown): boolean | undefined {
  const x = exactQuantity(value);
  return x === undefined ? undefined : x.num % x.den === BigInt(0);
}

/**
 * Compares two quantities by value, exactly (`1024Gi` equals `1Ti`, `0.7` equals `700m`).
 * Returns -1, 0 or 1, or undefined when either can't be read.
 */
export function compareQuantities(a: unknown, b: unknown): number | undefined {
  const x = exactQuantity(a);
  const y = exactQuantity(b);
  if (!x || !y) return undefined;
  const left = x.num * y.den;
  const right = y.num * x.den;
  return left === right ? 0 : left < right ? -1 : 1;
}

/** True when a size is a whole number of GiB (cdk8s-plus-28 writes a shared claim and ephemeral storage in GiB). */
export function isWholeGibibytes(size: Size): boolean {
  return converts(() => size.toGibibytes());
}

/** True when a size is a whole number of MiB (cdk8s-plus-28 writes memory and an emptyDir's sizeLimit in MiB). */
export function isWholeMebibytes(size: Size): boolean {
  return converts(() => size.toMebibytes());
}

/** Whether a conversion gives a whole number (cdk8s's conversions throw for any other). */
function converts(convert: () => number): boolean {
  try {
    return Number.isInteger(convert());
  } catch {
    return false;
  }
}

/** A size as a message names it (`512Ki`), whatever it holds. */
export function describeSize(size: Size): string {
  try {
    return size.asString();
  } catch {
    return String(size);
  }
}
