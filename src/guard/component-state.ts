import { claimName } from '../_naming';
import { compareQuantities } from '../_quantity';
import { componentOf, deployTypeOf, KubeObject, ManifestSet, presetOf, volumeTypeOf } from './manifest';

/** A per-instance claim template of a StatefulSet. */
export interface ClaimTemplate {
  readonly name: string;
  readonly accessModes: string[];
  /** Rainbond volume type (`rainbond.io/volume-type`), if annotated. */
  readonly volumeType?: string;
  /** `spec.resources.requests.storage`, as written. */
  readonly storage?: string;
  /** `spec.storageClassName`, if set. */
  readonly storageClassName?: string;
}

/** What one side (before or after) says about a component. */
export interface ComponentState {
  readonly namespace: string;
  readonly name: string;
  /** Every object of the component, keyed by `kind/namespace/name`. */
  readonly objects: Map<string, KubeObject>;
  /** The StatefulSet or Deployment, if any. */
  readonly workload?: KubeObject;
  /** Rainbond deploy type (annotation), else derived from the workload kind. */
  readonly deployType: string;
  readonly stateful: boolean;
  /**
   * Replicas of the workload; for an autoscaled workload (see `autoscaler`) the autoscaler's
   * maxReplicas, the most pods that may run.
   */
  readonly replicas: number;
  /**
   * The autoscaling/v2 HorizontalPodAutoscaler whose scaleTargetRef names the workload, when the
   * workload leaves spec.replicas to it. The replica count is then the autoscaler's, not the manifests'.
   */
  readonly autoscaler?: { readonly name: string; readonly minReplicas: number; readonly maxReplicas: number };
  /** The clustered system of a preset (`rainbond.io/cluster-preset`), if any. */
  readonly preset?: string;
  readonly claimTemplates: ClaimTemplate[];
  /** PersistentVolumeClaim objects of the component (stateless storage). */
  readonly claims: KubeObject[];
}

/** A component as it is now (`before`) and as it is about to be (`after`); one side may be missing. */
export interface ComponentChange {
  readonly namespace: string;
  readonly name: string;
  readonly before?: ComponentState;
  readonly after?: ComponentState;
  /** For a removed stateful component: the added one that looks like it under a new name or namespace. */
  readonly renamedTo?: ComponentState;
  /** For an added stateful component: the removed one it looks like (see `renamedTo`). */
  readonly renamedFrom?: ComponentState;
}

/** Splits a manifest set into components and objects that belong to none. */
export function groupByComponent(set: ManifestSet): { components: Map<string, ComponentState>; foreign: KubeObject[] } {
  const autoscalers = [...set.objects.values()].filter(o => o.kind === 'HorizontalPodAutoscaler' && o.apiVersion === 'autoscaling/v2');
  const grouped = new Map<string, { namespace: string; name: string; objects: Map<string, KubeObject> }>();
  const foreign: KubeObject[] = [];
  for (const [key, obj] of set.objects) {
    const name = componentOf(obj);
    if (!name) {
      foreign.push(obj);
      continue;
    }
    const namespace = obj.metadata.namespace ?? '';
    const id = componentId(namespace, name);
    if (!grouped.has(id)) grouped.set(id, { namespace, name, objects: new Map() });
    grouped.get(id)!.objects.set(key, obj);
  }
  const components = new Map<string, ComponentState>();
  for (const [id, group] of grouped) components.set(id, toState(group.namespace, group.name, group.objects, autoscalers));
  return { components, foreign };
}

/** `namespace/name` of a component. */
export function componentId(namespace: string, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** The autoscaler that owns the workload's replica count: its scaleTargetRef names the workload, which omits spec.replicas. */
function autoscalerOf(workload: KubeObject | undefined, autoscalers: KubeObject[]): ComponentState['autoscaler'] {
  if (!workload || typeof workload.spec?.replicas === 'number') return undefined;
  const hpa = autoscalers.find(h => (h.metadata.namespace ?? '') === (workload.metadata.namespace ?? '')
    && h.spec?.scaleTargetRef?.kind === workload.kind && h.spec?.scaleTargetRef?.name === workload.metadata.name);
  if (!hpa) return undefined;
  const max = typeof hpa.spec?.maxReplicas === 'number' ? hpa.spec.maxReplicas : 1;
  return { name: hpa.metadata.name, minReplicas: typeof hpa.spec?.minReplicas === 'number' ? hpa.spec.minReplicas : 1, maxReplicas: max };
}

function toState(namespace: string, name: string, objects: Map<string, KubeObject>, autoscalers: KubeObject[]): ComponentState {
  const all = [...objects.values()];
  const workloads = all.filter(o => o.kind === 'StatefulSet' || o.kind === 'Deployment');
  const workload = workloads.find(o => o.metadata.name === name) ?? workloads[0];
  const annotated = workload && deployTypeOf(workload) ? workload : all.find(o => deployTypeOf(o));
  const deployType = (annotated && deployTypeOf(annotated))
    ?? (workload?.kind === 'StatefulSet' ? 'state_multiple' : 'stateless_multiple');
  const stateful = workload ? workload.kind === 'StatefulSet' : deployType.startsWith('state_');
  const autoscaler = autoscalerOf(workload, autoscalers);
  const replicas = autoscaler ? autoscaler.maxReplicas : typeof workload?.spec?.replicas === 'number' ? workload.spec.replicas : 1;
  const presetCarrier = all.find(o => presetOf(o));
  const templates: any[] = workload?.kind === 'StatefulSet' ? workload.spec?.volumeClaimTemplates ?? [] : [];
  return {
    namespace,
    name,
    objects,
    workload,
    deployType,
    stateful,
    replicas,
    autoscaler,
    preset: presetCarrier ? presetOf(presetCarrier) : undefined,
    claimTemplates: templates
      .filter(t => typeof t?.metadata?.name === 'string')
      .map(t => ({
        name: t.metadata.name,
        accessModes: t.spec?.accessModes ?? [],
        ...(volumeTypeOf(t) ? { volumeType: volumeTypeOf(t) } : {}),
        ...(t.spec?.resources?.requests?.storage !== undefined ? { storage: String(t.spec.resources.requests.storage) } : {}),
        ...(typeof t.spec?.storageClassName === 'string' ? { storageClassName: t.spec.storageClassName } : {}),
      })),
    claims: all.filter(o => o.kind === 'PersistentVolumeClaim'),
  };
}

/** Pairs the components of both sides by namespace and name, sorted. */
export function pairComponents(before: Map<string, ComponentState>, after: Map<string, ComponentState>): ComponentChange[] {
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  return ids.map(id => {
    const b = before.get(id);
    const a = after.get(id);
    const ref = (a ?? b)!;
    return { namespace: ref.namespace, name: ref.name, before: b, after: a };
  });
}

/** Container images of a workload's pod template, sorted. */
export function imagesOf(state: ComponentState): string[] {
  const containers: any[] = state.workload?.spec?.template?.spec?.containers ?? [];
  return containers.map(c => String(c?.image ?? '')).sort();
}

/** Where the pod template mounts each claim template, as sorted `template=path` pairs (containers and init containers). */
export function claimMountPaths(state: ComponentState): string[] {
  const templates = new Set(state.claimTemplates.map(t => t.name));
  const pod = state.workload?.spec?.template?.spec ?? {};
  const containers: any[] = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
  const mounts = containers.flatMap(c => (c?.volumeMounts ?? []) as any[])
    .filter(m => templates.has(m?.name))
    .map(m => `${m.name}=${m.mountPath}`);
  return [...new Set(mounts)].sort();
}

function sameTemplate(a: ClaimTemplate, b: ClaimTemplate): boolean {
  const size = a.storage === b.storage || compareQuantities(a.storage, b.storage) === 0;
  return a.name === b.name && size && a.storageClassName === b.storageClassName && a.volumeType === b.volumeType
    && [...a.accessModes].sort().join(',') === [...b.accessModes].sort().join(',');
}

/**
 * Whether two stateful components store the same thing: the same deploy type and preset, the same claim
 * templates (names, sizes by value, storage class, access modes, volume type) mounted at the same paths.
 * Images and names do not count: a rename often comes with an image bump.
 */
export function sameStorage(a: ComponentState, b: ComponentState): boolean {
  if (a.deployType !== b.deployType || a.preset !== b.preset) return false;
  if (a.claimTemplates.length !== b.claimTemplates.length) return false;
  const byName = new Map(b.claimTemplates.map(t => [t.name, t]));
  if (!a.claimTemplates.every(t => byName.has(t.name) && sameTemplate(t, byName.get(t.name)!))) return false;
  return claimMountPaths(a).join(',') === claimMountPaths(b).join(',');
}

/** Whether an added stateful component looks like a removed one under a new name or namespace. */
function looksRenamed(removed: ComponentState, added: ComponentState): boolean {
  if (!added.stateful || added.claimTemplates.length === 0) return false;
  if (removed.name === added.name) return removed.namespace !== added.namespace;
  if (removed.namespace !== added.namespace) return false;
  return sameStorage(removed, added);
}

/**
 * Links each removed stateful component with claims to an added stateful component that looks like it:
 * the same name in another namespace (moved), or in the same namespace the same storage (`sameStorage`)
 * under another name (renamed), whatever the images. Among several candidates the same name wins, then
 * the same images. Each side is linked at most once, in sorted order.
 */
export function linkRenames(changes: ComponentChange[]): ComponentChange[] {
  const added = changes.filter(c => !c.before && c.after);
  const taken = new Set<ComponentChange>();
  const links = new Map<ComponentChange, ComponentChange>();
  for (const change of changes) {
    const removed = change.before;
    if (!removed || change.after || !removed.stateful || removed.claimTemplates.length === 0) continue;
    const candidates = added.filter(a => !taken.has(a) && looksRenamed(removed, a.after!));
    const images = imagesOf(removed).join(',');
    const match = candidates.find(a => a.after!.name === removed.name)
      ?? candidates.find(a => imagesOf(a.after!).join(',') === images)
      ?? candidates[0];
    if (!match) continue;
    taken.add(match);
    links.set(change, match);
    links.set(match, change);
  }
  return changes.map(change => {
    const other = links.get(change);
    if (!other) return change;
    return change.before ? { ...change, renamedTo: other.after } : { ...change, renamedFrom: other.before };
  });
}

/** Names of the claims the StatefulSet controller made for ordinals [from, to): `<template>-<statefulset>-<ordinal>`. */
export function perInstanceClaims(state: ComponentState, from: number, to: number): string[] {
  const stsName = state.workload?.metadata.name ?? state.name;
  const names: string[] = [];
  for (const template of state.claimTemplates) {
    for (let ordinal = from; ordinal < to; ordinal++) names.push(claimName(template.name, stsName, ordinal));
  }
  return names;
}

/** Claims a pod template mounts by name (`persistentVolumeClaim.claimName`). */
export function mountedClaimNames(workload: KubeObject | undefined): string[] {
  const volumes: any[] = workload?.spec?.template?.spec?.volumes ?? [];
  return volumes.map(v => v?.persistentVolumeClaim?.claimName).filter((n): n is string => typeof n === 'string');
}

/** Whether the component keeps data in persistent volumes. */
export function hasPersistentStorage(state: ComponentState): boolean {
  return state.claimTemplates.length > 0 || state.claims.length > 0 || mountedClaimNames(state.workload).length > 0;
}
