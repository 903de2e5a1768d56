/**
 * Which objects a synthesis produced, so the bench can check that both
 * variants describe the same application.
 */

/** Number of objects of each kind in a multi-document YAML stream as cdk8s writes it (`kind:` at column 0). */
export function kindCountsFromYaml(yaml: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of yaml.matchAll(/^kind: (\S+)$/gm)) counts[match[1]] = (counts[match[1]] ?? 0) + 1;
  return sortedRecord(counts);
}

/** Number of objects of each kind in synthesized objects. */
export function kindCounts(objects: readonly any[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of objects) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
  return sortedRecord(counts);
}

/** `Kind/namespace/name` of every object, sorted. */
export function objectIds(objects: readonly any[]): string[] {
  return objects.map(o => `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`).sort();
}

/** Label cdk8s-plus adds to pod templates with the construct path: differs by construct tree, not by application. */
export const CONSTRUCT_ADDRESS_LABEL = 'cdk8s.io/metadata.addr';

/**
 * The objects as comparable JSON: sorted by id, keys sorted, the construct
 * address label removed from pod templates.
 */
export function normalizedManifests(objects: readonly any[]): string[] {
  return [...objects]
    .sort((a, b) => idOf(a).localeCompare(idOf(b)))
    .map(o => stableJson(withoutAddressLabel(o)));
}

/** Total object count of a kind-count record. */
export function totalObjects(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** Compact text of a kind-count record, e.g. `Deployment 3, Service 13`. */
export function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts).map(([kind, n]) => `${kind} ${n}`).join(', ');
}

function idOf(o: any): string {
  return `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`;
}

function withoutAddressLabel(o: any): any {
  const labels = o.spec?.template?.metadata?.labels;
  if (!labels || !(CONSTRUCT_ADDRESS_LABEL in labels)) return o;
  const { [CONSTRUCT_ADDRESS_LABEL]: _removed, ...rest } = labels;
  return { ...o, spec: { ...o.spec, template: { ...o.spec.template, metadata: { ...o.spec.template.metadata, labels: rest } } } };
}

function stableJson(value: any): string {
  return JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? sortedRecord(v) : v));
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
