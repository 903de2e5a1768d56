/**
 * Copying objects on the synthesis path. Pure.
 * Nothing here is exported from the package index.
 */

/**
 * `{ ...base, ...fields }`, through `Object.assign`: the same object, keys in the same order.
 * Node 20's V8 builds a literal that spreads an object and then sets keys (`{ ...base, key: value }`)
 * through a runtime call per key, about 3 µs for a two-key `base`, where `Object.assign` takes
 * 0.1 µs; rendering a component builds a dozen such objects (BENCHMARKS.md, what the profiles showed).
 */
export function withFields<T extends object, F extends object>(base: T | undefined, fields: F): Omit<T, keyof F> & F {
  return Object.assign({}, base, fields);
}
