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

/** Components by construct, with how their errors describe them (called only for an error). */
const owners = new WeakMap<IConstruct, () => string>();
/** Roots that already carry the validation. */
const guardedRoots = new WeakSet<IConstruct>();

/**
 * Registers a component as the owner of the objects under it and makes sure its App
 * checks object identities at synthesis.
 */
export function registerObjectOwner(component: IConstruct, describe: () => string): void {
  owners.set(component, describe);
  const root = component.node.root;
  if (guardedRoots.has(root)) return;
  guardedRoots.add(root);
  root.node.addValidation({ validate: () => duplicateObjectProblems(root) });
}

/** Identity of an object as the API server sees it: API group, kind, namespace, name. */
function identityOf(o: ApiObject): string {
  const slash = o.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : o.apiVersion.slice(0, slash);
  return `${group}\u0000${o.kind}\u0000${o.metadata.namespace ?? ''}\u0000${o.name}`;
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

/** One message per identity that more than one object has, when a component owns one of them. */
export function duplicateObjectProblems(root: IConstruct): string[] {
  const byIdentity = new Map<string, ApiObject[]>();
  for (const child of root.node.findAll()) {
    if (!(child instanceof ApiObject)) continue;
    const id = identityOf(child);
    const same = byIdentity.get(id);
    if (same) same.push(child);
    else byIdentity.set(id, [child]);
  }
  const problems: string[] = [];
  for (const objects of byIdentity.values()) {
    if (objects.length < 2) continue;
    const described = objects.map(o => ({ owner: ownerOf(o), path: o.node.path }));
    if (described.every(d => d.owner === undefined)) continue; // not ours to judge
    const first = objects[0];
    const where = first.metadata.namespace ? `${first.metadata.namespace}/${first.name}` : first.name;
    const by = described.map(d => d.owner ?? `the construct ${d.path} (not a RainbondComponent)`);
    problems.push(`${first.kind} ${where} is rendered ${objects.length} times, by ${by.join(' and by ')}; `
      + 'applied together, one silently replaces the other. '
      + 'Fix: give each component its own componentName (a component owns <name>, <name>-client and <name>-<volume>, '
      + 'so a stateful \'x-client\' collides with a stateless \'x\'), or rename the other object.');
  }
  return problems;
}
