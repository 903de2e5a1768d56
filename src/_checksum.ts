/**
 * Content checksums put on pod templates, so that a change of rendered
 * configuration (ConfigMap data, scripts) rolls the pods. Pure.
 */
import { hash } from 'crypto';

/**
 * SHA-256 (hex) of a set of named contents, independent of key order:
 * equal data gives an equal checksum, any changed byte, key or value a different one.
 */
export function contentChecksum(contents: { readonly [key: string]: string }): string {
  // Length-prefixed so that moving bytes between key and value changes the checksum.
  const parts = Object.keys(contents).sort().map(key => `${key.length}:${key}${contents[key].length}:${contents[key]}`);
  // One-shot `hash` (Node 20.12+): createHash costs more than hashing a few KiB.
  return hash('sha256', parts.join(''), 'hex');
}
