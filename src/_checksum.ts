/**
 * Content checksums put on pod templates, so that a change of rendered
 * configuration (ConfigMap data, scripts) rolls the pods. Pure.
 */
import { createHash } from 'crypto';

/** Pod-template annotation holding the checksum of a component's rendered configuration. */
export const CONFIG_CHECKSUM_ANNOTATION = 'rainbond.io/config-checksum';

/**
 * SHA-256 (hex) of a set of named contents, independent of key order:
 * equal data gives an equal checksum, any changed byte, key or value a different one.
 */
export function contentChecksum(contents: { readonly [key: string]: string }): string {
  const hash = createHash('sha256');
  for (const key of Object.keys(contents).sort()) {
    // Length-prefixed so that moving bytes between key and value changes the checksum.
    hash.update(`${key.length}:${key}${contents[key].length}:${contents[key]}`);
  }
  return hash.digest('hex');
}
