import { compareQuantities } from '../_quantity';

/**
 * Maps whose values are resource quantities (`resources.requests`, `resources.limits`,
 * `status.capacity`, pod `overhead`) and single quantity fields (`emptyDir.sizeLimit`).
 * The API server stores a quantity in canonical form, so `1024Gi` and `1Ti` are the same value
 * (apimachinery's `equality.Semantic` compares quantities with `Cmp`).
 */
const QUANTITY_MAPS = new Set(['requests', 'limits', 'capacity', 'overhead', 'allocatable']);
const QUANTITY_FIELDS = new Set(['sizeLimit']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function definedKeys(obj: Record<string, unknown>): string[] {
  return Object.keys(obj).filter(k => obj[k] !== undefined);
}

function quantityEqual(a: unknown, b: unknown): boolean {
  const cmp = compareQuantities(a, b);
  return cmp === undefined ? a === b : cmp === 0;
}

function equal(a: unknown, b: unknown, quantities: boolean): boolean {
  if (quantities && !isPlainObject(a) && !isPlainObject(b) && !Array.isArray(a) && !Array.isArray(b)) return quantityEqual(a, b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => equal(item, b[i], false));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...definedKeys(a), ...definedKeys(b)]);
    for (const key of keys) {
      if (a[key] === undefined || b[key] === undefined) return false;
      const valueIsQuantity = QUANTITY_FIELDS.has(key);
      if (QUANTITY_MAPS.has(key) && isPlainObject(a[key]) && isPlainObject(b[key])) {
        const inner = a[key] as Record<string, unknown>;
        const other = b[key] as Record<string, unknown>;
        const names = new Set([...definedKeys(inner), ...definedKeys(other)]);
        for (const name of names) {
          if (inner[name] === undefined || other[name] === undefined || !quantityEqual(inner[name], other[name])) return false;
        }
        continue;
      }
      if (!equal(a[key], b[key], valueIsQuantity)) return false;
    }
    return true;
  }
  return a === b;
}

/**
 * Deep equality the way the API server sees it: resource quantities compare by value
 * (`1024Gi` = `1Ti`, `0.5` = `500m`), everything else strictly. Environment values and
 * other strings are never read as quantities.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return equal(a, b, false);
}
