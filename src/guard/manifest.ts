/**
 * The guard's view of a Kubernetes object: identity, and the cdk8s-rainbond
 * markers (labels and annotations) written by `RainbondComponent`.
 */
import {
  ANNOTATION_CLUSTER_PRESET, ANNOTATION_COMPONENT, ANNOTATION_DEPLOY_TYPE, ANNOTATION_VOLUME_TYPE, LABEL_INSTANCE, LABEL_MANAGED_BY, MANAGED_BY_VALUE,
} from '../_contract';
import { VolumeType } from '../volume';

/** A parsed Kubernetes object (plain JSON). */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: any };
  readonly [key: string]: any;
}

/** A loaded input: objects keyed by `kind/namespace/name`. */
export interface ManifestSet {
  /** Where the objects were read from (a path, or `before`/`after` for text). */
  readonly source: string;
  readonly objects: Map<string, KubeObject>;
}

/** Rainbond's node-local volume type: single writer, stateful types only. */
export const VOLUME_TYPE_LOCAL = VolumeType.LOCAL;

/**
 * Kinds `RainbondComponent` and its presets create; others are skipped as unknown. A NetworkPolicy
 * or an Ingress is known but needs no rule: changing either loses no data and is applied in place.
 */
export const KNOWN_KINDS: ReadonlySet<string> = new Set([
  'StatefulSet', 'Deployment', 'Service', 'PersistentVolumeClaim', 'PodDisruptionBudget', 'ConfigMap', 'Secret', 'ServiceAccount',
  'HorizontalPodAutoscaler', 'NetworkPolicy', 'Ingress',
]);

/** Key objects are matched by between the two inputs (apiVersion may change, e.g. a beta group going GA). */
export function objectKey(obj: KubeObject): string {
  return `${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

/** Human reference to an object: `Kind namespace/name`. */
export function describeObject(kind: string, namespace: string, name: string): string {
  return namespace ? `${kind} ${namespace}/${name}` : `${kind} ${name}`;
}

/** `describeObject` of a parsed object. */
export function describe(obj: KubeObject): string {
  return describeObject(obj.kind, obj.metadata.namespace ?? '', obj.metadata.name);
}

function annotations(obj: KubeObject): Record<string, string> {
  return obj.metadata.annotations ?? {};
}

function labels(obj: KubeObject): Record<string, string> {
  return obj.metadata.labels ?? {};
}

/**
 * The component an object belongs to: its `rainbond.io/component` annotation,
 * else the instance label of an object managed by cdk8s-rainbond.
 * Undefined for objects not made by this library.
 */
export function componentOf(obj: KubeObject): string | undefined {
  const fromAnnotation = annotations(obj)[ANNOTATION_COMPONENT];
  if (fromAnnotation) return fromAnnotation;
  if (labels(obj)[LABEL_MANAGED_BY] === MANAGED_BY_VALUE) return labels(obj)[LABEL_INSTANCE] ?? undefined;
  return undefined;
}

/** The `rainbond.io/deploy-type` annotation, if any. */
export function deployTypeOf(obj: KubeObject): string | undefined {
  return annotations(obj)[ANNOTATION_DEPLOY_TYPE] || undefined;
}

/** The `rainbond.io/cluster-preset` annotation, if any. */
export function presetOf(obj: KubeObject): string | undefined {
  return annotations(obj)[ANNOTATION_CLUSTER_PRESET] || undefined;
}

/** The `rainbond.io/volume-type` annotation of a claim or claim template, if any. */
export function volumeTypeOf(claim: { readonly metadata?: { readonly [key: string]: any } } | undefined): string | undefined {
  return claim?.metadata?.annotations?.[ANNOTATION_VOLUME_TYPE] || undefined;
}
