/**
 * Plain `ApiObject`s that stand in for typed objects (cdk8s-plus resources, `k8s.Kube*` classes)
 * until their component switches to the typed rendering, and the switch itself.
 *
 * A plain object holds its final manifest, so synthesis skips what typed objects cost (Resource
 * constructs, lazy `_toKube` rendering, the typed converters). Its typed twin writes the same
 * manifest; it is created on demand, when a caller needs the typed object to work with it.
 * test/util/renderings.ts switches every component of every unit-test synthesis and compares.
 * Nothing here is exported from the package index.
 */
import { ApiObject, ApiObjectProps } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';

/** Plain objects of one scope and how to create their typed twins. */
export interface TypedTwin {
  /** The plain objects in the tree, in the order they were created. */
  readonly plain: ApiObject[];
  /** Creates the typed objects under the same scope, with the same ids, once the plain ones are removed. */
  readonly createTyped: () => IConstruct[];
}

/** Twins recorded per scope, in creation order. */
const twinsByScope = new WeakMap<IConstruct, TypedTwin[]>();

/** Records `twin` for `scope`; its plain objects must already be children of `scope`. */
export function recordTypedTwin(scope: IConstruct, twin: TypedTwin): void {
  let twins = twinsByScope.get(scope);
  if (!twins) twinsByScope.set(scope, twins = []);
  twins.push(twin);
}

/**
 * Adds a plain ApiObject `id` with `manifest` under `scope` and records `createTyped`, which
 * creates the typed object that renders the same manifest under the same scope and id.
 */
export function addPlainObject(scope: Construct, id: string, manifest: ApiObjectProps,
  createTyped: (scope: Construct, id: string) => IConstruct): ApiObject {
  const plain = new ApiObject(scope, id, manifest);
  recordTypedTwin(scope, { plain: [plain], createTyped: () => [createTyped(scope, id)] });
  return plain;
}

/**
 * Replaces every plain object recorded for `scope` by its typed twin and returns the typed
 * objects, twin by twin. The output order stays the same: the typed objects are appended to the
 * scope's children, and every other child that followed a plain object gets a dependency on the
 * twin's ApiObjects, in order, so cdk8s writes them where the plain object was. (On the ApiObjects,
 * not on the twins: a cdk8s-plus resource keeps its ApiObject as a child, a `Kube*` object is one,
 * and cdk8s orders a child's dependencies as they were added.)
 */
export function switchToTypedTwins(scope: Construct): IConstruct[][] {
  const twins = twinsByScope.get(scope) ?? [];
  twinsByScope.delete(scope);
  const children = scope.node.children;
  const replaced = new Set<IConstruct>(twins.flatMap(t => t.plain));
  const firstSlots = twins.map(t => Math.min(...t.plain.map(p => children.indexOf(p))));
  for (const object of replaced) scope.node.tryRemoveChild(object.node.id);
  const created = twins.map(t => t.createTyped());
  const apiObjects = created.map(objects => objects.flatMap(o => o.node.findAll().filter(c => c instanceof ApiObject)));
  children.forEach((child, slot) => {
    if (replaced.has(child)) return;
    apiObjects.forEach((objects, i) => {
      if (firstSlots[i] < slot) child.node.addDependency(...objects);
    });
  });
  return created;
}
