/**
 * The types of the manifest fields the guard reads. Manifests are YAML from users' files, so any field
 * can hold any type; a field of the wrong type (a string where a list belongs, a quoted replica count)
 * is one the API server refuses too, and is reported as unusable input naming the object and the field
 * instead of being misread. Only fields the guard reads are checked; a missing or null field is unset.
 */
import {
  ANNOTATION_CLUSTER_PRESET, ANNOTATION_COMPONENT, ANNOTATION_DEPLOY_TYPE, ANNOTATION_VOLUME_TYPE, LABEL_INSTANCE, LABEL_MANAGED_BY,
} from '../_contract';
import { MAX_INT32 } from '../_kube-rules';
import { componentOf, KubeObject } from './manifest';

/** A value as an error message names it: `null`, `a list`, `a mapping`, `string "x"`, `number 5`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing (undefined)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}

/** A field's type problem, thrown out of the walk and turned into a message by `shapeProblem`. */
class ShapeProblem {
  constructor(readonly message: string) {}
}

const MAPPING = { what: 'a mapping', fix: 'write it as a mapping (key: value lines), or leave the field out' };
const LIST = { what: 'a list', fix: 'write it as a list (one "- " item per entry), or leave the field out' };
const MARKER = { what: 'a string', fix: 'quote the value (YAML 1.1 reads unquoted yes/no/on/off as booleans and digits as numbers)' };
const COUNT = { what: `a whole number from 0 to ${MAX_INT32}`, fix: 'write an unquoted whole number, e.g. 3' };
const QUANTITY = { what: 'a quantity', fix: 'write a size such as 10Gi' };
const ACCESS_MODE = { what: 'an access mode (a string)', fix: 'write a mode such as ReadWriteOnce' };

type Expected = typeof MAPPING;

function fail(path: string, value: unknown, expected: Expected): never {
  throw new ShapeProblem(`${path} must be ${expected.what}, got ${describeValue(value)}; the API server refuses such an object too: ${expected.fix}`);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** The mapping at `path`, `{}` when unset. */
function mapping(value: unknown, path: string): Record<string, any> {
  if (!isSet(value)) return {};
  if (!isMapping(value)) fail(path, value, MAPPING);
  return value;
}

/** The list at `path`, `[]` when unset; each item must be a mapping. */
function mappings(value: unknown, path: string): Record<string, any>[] {
  if (!isSet(value)) return [];
  if (!Array.isArray(value)) fail(path, value, LIST);
  value.forEach((item, i) => {
    if (!isMapping(item)) fail(`${path}[${i}]`, item, MAPPING);
  });
  return value;
}

function check(value: unknown, path: string, expected: Expected, ok: (v: unknown) => boolean): void {
  if (isSet(value) && !ok(value)) fail(path, value, expected);
}

const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_INT32;
const isQuantity = (v: unknown) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

/** metadata.annotations and metadata.labels are mappings; the markers the guard reads are strings. */
function checkMarkers(meta: Record<string, any>, path: string): void {
  const annotations = mapping(meta.annotations, `${path}.annotations`);
  for (const key of [ANNOTATION_COMPONENT, ANNOTATION_DEPLOY_TYPE, ANNOTATION_CLUSTER_PRESET, ANNOTATION_VOLUME_TYPE]) {
    check(annotations[key], `${path}.annotations["${key}"]`, MARKER, v => typeof v === 'string');
  }
  const labels = mapping(meta.labels, `${path}.labels`);
  for (const key of [LABEL_MANAGED_BY, LABEL_INSTANCE]) check(labels[key], `${path}.labels["${key}"]`, MARKER, v => typeof v === 'string');
}

/** A claim's or claim template's spec: access modes and storage request. */
function checkClaimSpec(value: unknown, path: string): void {
  const spec = mapping(value, path);
  const modes = spec.accessModes;
  if (isSet(modes) && !Array.isArray(modes)) fail(`${path}.accessModes`, modes, LIST);
  (Array.isArray(modes) ? modes : []).forEach((m, i) => check(m, `${path}.accessModes[${i}]`, ACCESS_MODE, v => typeof v === 'string'));
  const resources = mapping(spec.resources, `${path}.resources`);
  const requests = mapping(resources.requests, `${path}.resources.requests`);
  check(requests.storage, `${path}.resources.requests.storage`, QUANTITY, isQuantity);
}

function checkWorkload(obj: KubeObject): void {
  const spec = mapping(obj.spec, 'spec');
  check(spec.replicas, 'spec.replicas', COUNT, isCount);
  const template = mapping(spec.template, 'spec.template');
  const pod = mapping(template.spec, 'spec.template.spec');
  for (const list of ['initContainers', 'containers']) {
    mappings(pod[list], `spec.template.spec.${list}`).forEach((container, i) => {
      mappings(container.volumeMounts, `spec.template.spec.${list}[${i}].volumeMounts`);
      mappings(container.env, `spec.template.spec.${list}[${i}].env`);
    });
  }
  mappings(pod.volumes, 'spec.template.spec.volumes');
  if (obj.kind !== 'StatefulSet') return;
  mappings(spec.volumeClaimTemplates, 'spec.volumeClaimTemplates').forEach((claimTemplate, i) => {
    checkMarkers(mapping(claimTemplate.metadata, `spec.volumeClaimTemplates[${i}].metadata`), `spec.volumeClaimTemplates[${i}].metadata`);
    checkClaimSpec(claimTemplate.spec, `spec.volumeClaimTemplates[${i}].spec`);
  });
}

function checkFields(obj: KubeObject): void {
  checkMarkers(obj.metadata, 'metadata');
  // the guard reads every autoscaling/v2 HorizontalPodAutoscaler, a component's or not: its scaleTargetRef may name a component's workload
  if (obj.kind === 'HorizontalPodAutoscaler' && obj.apiVersion === 'autoscaling/v2') {
    const spec = mapping(obj.spec, 'spec');
    mapping(spec.scaleTargetRef, 'spec.scaleTargetRef');
    check(spec.minReplicas, 'spec.minReplicas', COUNT, isCount);
    check(spec.maxReplicas, 'spec.maxReplicas', COUNT, isCount);
  }
  if (componentOf(obj) === undefined) return; // not made by cdk8s-rainbond: not checked
  switch (obj.kind) {
    case 'StatefulSet':
    case 'Deployment':
      return checkWorkload(obj);
    case 'PersistentVolumeClaim':
      return checkClaimSpec(obj.spec, 'spec');
    case 'Service':
      mapping(obj.spec, 'spec');
      return;
    case 'ConfigMap':
    case 'Secret':
      for (const field of ['data', 'binaryData', 'stringData']) mapping(obj[field], field);
      return;
    default:
  }
}

/**
 * The first field the guard reads whose type is wrong, as `<field> must be <type>, got <value>; ... <fix>`;
 * undefined when every field it reads has a usable type.
 */
export function shapeProblem(obj: KubeObject): string | undefined {
  try {
    checkFields(obj);
    return undefined;
  } catch (e) {
    if (e instanceof ShapeProblem) return e.message;
    throw e;
  }
}
