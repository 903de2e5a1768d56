/**
 * Addresses and names of a harness run. Each run claims one /24 of the
 * RFC 2544 benchmarking range 198.18.0.0/15 by index; 198.19.255.0/24 is kept
 * for fake Service cluster IPs. Pure.
 */

/** Number of /24 subnets a run can claim (198.18.0.0 .. 198.19.254.0). */
export const SUBNET_COUNT = 511;
/** Prefix of every network namespace and state directory of the harness. */
export const NAME_PREFIX = 'rbit-';

/** The /24 of subnet `index`, as `a.b.c` (without the last octet). */
export function subnetBase(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= SUBNET_COUNT) {
    throw new Error(`harness: subnet index ${index} is outside 0..${SUBNET_COUNT - 1}.`);
  }
  return `198.${18 + Math.floor(index / 256)}.${index % 256}`;
}

/** Pod `ordinal`'s address in subnet `index` (.10, .11, ...). */
export function podAddress(index: number, ordinal: number): string {
  if (ordinal < 0 || ordinal > 200) throw new Error(`harness: pod ordinal ${ordinal} is outside 0..200.`);
  return `${subnetBase(index)}.${10 + ordinal}`;
}

/** Name of the hub namespace (holding the bridge) of run `index`. */
export function hubNetns(index: number): string {
  return `${NAME_PREFIX}${index}-hub`;
}

/** Name of the network namespace of pod `ordinal` of run `index`. */
export function podNetns(index: number, ordinal: number): string {
  return `${NAME_PREFIX}${index}-p${ordinal}`;
}

/** The run index encoded in a harness netns name, or undefined for other names. */
export function runIndexOfNetns(name: string): number | undefined {
  const m = /^rbit-(\d+)-(hub|p\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}
