/**
 * One Kubernetes object per kind, namespace and name across the whole App.
 *
 * Two objects with the same identity in one App are applied as one: the second silently
 * replaces the first (for example a stateful component `x-client`'s governing Service beside a
 * stateless component `x`'s client Service `x-client`). A validation on the App's root, which
 * cdk8s runs on every synthesis (`App.synth`, `synthYaml`, `Chart.toJson`, `Testing.synth`),
 * refuses such a pair and names both owners.
 * Nothing here is exported from the package index.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * What a component claims cluster-wide besides object names: node ports (one per cluster) and
 * Ingress routes (`host/path`: two Ingresses with one route leave the controller to pick one).
 */
export interface ExclusiveClaims {
  readonly nodePorts: number[];
  readonly ingressRoutes: string[];
}

/** Components by construct, with how their errors describe them (called only for an error). */
const owners = new WeakMap<IConstruct, () => string>();
/** The components of each root that claim node ports or Ingress routes, in the order they registered. */
const claimants = new WeakMap<IConstruct, { describe: () => string; claims: ExclusiveClaims }[]>();
/** Roots that already carry the validation. */
const guardedRoots = new WeakSet<IConstruct>();

/**
 * Registers a component as the owner of the objects under it (and of its node ports and Ingress
 * routes) and makes sure its App checks them at synthesis.
 */
export function registerObjectOwner(component: IConstruct, describe: () => string, claims?: ExclusiveClaims): void {
  owners.set(component, describe);
  const root = component.node.root;
  if (claims && claims.nodePorts.length + claims.ingressRoutes.length > 0) {
    let list = claimants.get(root);
    if (!list) claimants.set(root, list = []);
    list.push({ describe, claims });
  }
  if (guardedRoots.has(root)) return;
  guardedRoots.add(root);
  root.node.addValidation({ validate: () => [...duplicateObjectProblems(root), ...claimProblems(claimants.get(root) ?? [])] });
}

/** One message per node port or Ingress route that two components claim. */
function claimProblems(list: { describe: () => string; claims: ExclusiveClaims }[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, () => string>();
  for (const { describe, claims } of list) {
    const keys = [
      ...claims.nodePorts.map(port => ({ key: `node port ${port}`, fix: 'give each component its own nodePort, or omit it to let the cluster allocate one' })),
      ...claims.ingressRoutes.map(route => ({ key: `Ingress route ${route}`, fix: 'give each component its own Ingress host or path' })),
    ];
    for (const { key, fix } of keys) {
      const first = seen.get(key);
      if (first && first !== describe) {
        problems.push(`${key} is claimed by ${first()} and by ${describe()}; ${key.startsWith('node') ? 'the API server refuses the second Service' : 'the Ingress controller routes it to only one of them'}. Fix: ${fix}.`);
      } else {
        seen.set(key, describe);
      }
    }
  }
  return problems;
}

/** API group of an `apiVersion`: '' for the core group (`v1`). */
function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * The namespace an object is applied to. One written without a namespace lands in the namespace of
 * kubectl's context, usually `default`, where a component of a chart without a namespace puts its own
 * objects: so it is compared as `default`. (Cluster-scoped objects have none on either side.)
 */
function namespaceOf(o: ApiObject): string {
  return o.metadata.namespace ?? 'default';
}

/** Whether two objects of the same name have the same identity as the API server sees it: API group, kind, namespace. */
function sameIdentity(a: ApiObject, b: ApiObject): boolean {
  return a.kind === b.kind && namespaceOf(a) === namespaceOf(b) && apiGroupOf(a.apiVersion) === apiGroupOf(b.apiVersion);
}

/** The component an object belongs to: its nearest registered ancestor. */
function ownerOf(o: ApiObject): string | undefined {
  const scopes = o.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const owner = owners.get(scopes[i]);
    if (owner !== undefined) return owner();
  }
  return undefined;
}

/** One message per identity that more than one object has, when a component owns one of them; in tree order of each name's first object. */
export function duplicateObjectProblems(root: IConstruct): string[] {
  // Objects by name first: a name is a flat string already, and objects of one name are few
  // (a StatefulSet, its headless Service and its disruption budget), so they are compared field by field.
  const byName = new Map<string, ApiObject[]>();
  for (const child of root.node.findAll()) {
    if (!(child instanceof ApiObject)) continue;
    const same = byName.get(child.name);
    if (same) same.push(child);
    else byName.set(child.name, [child]);
  }
  const duplicates: ApiObject[][] = [];
  for (const named of byName.values()) {
    if (named.length < 2) continue;
    const groups: ApiObject[][] = [];
    for (const object of named) {
      const group = groups.find(g => sameIdentity(g[0], object));
      if (group) group.push(object);
      else groups.push([object]);
    }
    duplicates.push(...groups.filter(g => g.length > 1));
  }
  const problems: string[] = [];
  for (const objects of duplicates) {
    const described = objects.map(o => ({ owner: ownerOf(o), path: o.node.path }));
    if (described.every(d => d.owner === undefined)) continue; // not ours to judge
    const first = objects[0];
    const where = `${namespaceOf(first)}/${first.name}`;
    const by = described.map(d => d.owner ?? `the construct ${d.path} (not a RainbondComponent)`);
    problems.push(`${first.kind} ${where} is rendered ${objects.length} times, by ${by.join(' and by ')}; `
      + 'applied together, one silently replaces the other. '
      + 'Fix: give each component its own componentName (a component owns <name>, <name>-client and <name>-<volume>, '
      + 'so a stateful \'x-client\' collides with a stateless \'x\'), or rename the other object.');
  }
  return problems;
}
