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

const PROBE_DEFAULTS = { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 };

function withDefaults(value: any, defaults: Record<string, unknown>): any {
  const out = { ...value };
  for (const [k, v] of Object.entries(defaults)) if (out[k] === undefined) out[k] = v;
  return out;
}

function defaultedProbe(probe: any): any {
  if (!isPlainObject(probe)) return probe;
  const out = withDefaults(probe, PROBE_DEFAULTS);
  if (isPlainObject(out.httpGet)) out.httpGet = withDefaults(out.httpGet, { scheme: 'HTTP' });
  return out;
}

/** `Always` for an image without a tag or tagged latest (and no digest), else `IfNotPresent` (SetDefaults_Container). */
function defaultPullPolicy(image: unknown): string {
  if (typeof image !== 'string' || image.includes('@')) return 'IfNotPresent';
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : undefined;
  return tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultedContainer(c: any): any {
  if (!isPlainObject(c)) return c;
  const out = withDefaults(c, {
    terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: defaultPullPolicy(c.image), resources: {},
  });
  if (Array.isArray(out.ports)) out.ports = out.ports.map((p: any) => (isPlainObject(p) ? withDefaults(p, { protocol: 'TCP' }) : p));
  if (Array.isArray(out.env)) {
    out.env = out.env.map((e: any) => (isPlainObject(e) && isPlainObject((e.valueFrom as any)?.fieldRef)
      ? { ...e, valueFrom: { ...(e.valueFrom as any), fieldRef: withDefaults((e.valueFrom as any).fieldRef, { apiVersion: 'v1' }) } } : e));
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) if (out[probe] !== undefined) out[probe] = defaultedProbe(out[probe]);
  return out;
}

function defaultedVolume(v: any): any {
  if (!isPlainObject(v)) return v;
  const out: any = { ...v };
  for (const source of ['configMap', 'secret', 'projected', 'downwardAPI']) {
    if (isPlainObject(out[source])) out[source] = withDefaults(out[source], { defaultMode: 420 });
  }
  return out;
}

/**
 * A pod template with the values the API server fills in (pkg/apis/core/v1/defaults.go) where they are
 * left out, and the false booleans it drops (omitempty) removed: a template read back from the cluster
 * (`kubectl get -o yaml`) and the synthesized one it came from are then equal, and a changed field
 * is a change the workload controller sees. Both sides of a comparison go through it.
 */
export function withServerDefaults(template: any): any {
  if (!isPlainObject(template)) return template;
  const { creationTimestamp, ...metadata } = (template.metadata ?? {}) as any;
  const keepTimestamp = creationTimestamp !== null && creationTimestamp !== undefined;
  const out: any = { ...template, metadata: keepTimestamp ? { ...metadata, creationTimestamp } : metadata };
  if (!isPlainObject(template.spec)) return out;
  const spec: any = withDefaults(template.spec, {
    dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30, securityContext: {},
  });
  for (const flag of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[flag] === false) delete spec[flag];
  for (const list of ['containers', 'initContainers']) if (Array.isArray(spec[list])) spec[list] = spec[list].map(defaultedContainer);
  if (Array.isArray(spec.volumes)) spec.volumes = spec.volumes.map(defaultedVolume);
  out.spec = spec;
  return out;
}
