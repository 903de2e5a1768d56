import { semanticEqual } from './semantic';

/**
 * The label cdk8s-plus writes on every pod template it renders: an address derived from the path of
 * the construct that made the workload. Not part of the cdk8s-rainbond contract (`_contract.ts`): it
 * changes when a component moves to another construct, even under the same componentName.
 */
export const CDK8S_ADDR_LABEL = 'cdk8s.io/metadata.addr';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `.key` for an identifier, `["key"]` for a key with dots, slashes or dashes (label and annotation keys). */
function member(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** Items of a list keyed by their `name` (containers, volumes, env), when every item has a distinct one. */
function byName(list: unknown[]): Map<string, unknown> | undefined {
  const names = list.map(item => (isPlainObject(item) && typeof item.name === 'string' ? item.name : undefined));
  if (names.some(n => n === undefined) || new Set(names).size !== names.length) return undefined;
  return new Map(list.map((item, i) => [names[i]!, item]));
}

function collect(before: unknown, after: unknown, path: string, out: string[]): void {
  if (semanticEqual(before, after)) return;
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) collect(before[key], after[key], `${path}${member(key)}`, out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const b = byName(before);
    const a = byName(after);
    if (b && a) {
      const order = [...b.keys(), ...[...a.keys()].filter(k => !b.has(k))];
      for (const name of order) collect(b.get(name), a.get(name), `${path}[${name}]`, out);
      return;
    }
  }
  out.push(path);
}

/**
 * The fields that differ between two pod templates, as paths under `prefix`, e.g.
 * `spec.template.metadata.labels["cdk8s.io/metadata.addr"]` or `spec.template.spec.containers[main].image`
 * (list items with a name are addressed by it). Quantities compare by value.
 */
export function changedTemplateFields(before: unknown, after: unknown, prefix = 'spec.template'): string[] {
  const out: string[] = [];
  collect(before, after, prefix, out);
  return out;
}

/** The `cdk8s.io/metadata.addr` label of a pod template, if any. */
export function constructAddress(template: any): string | undefined {
  const value = template?.metadata?.labels?.[CDK8S_ADDR_LABEL];
  return typeof value === 'string' ? value : undefined;
}
