/**
 * cdk8s-plus values as the plain manifest holds them: `plainJson` turns any cdk8s-plus rendering
 * into plain JSON, and `renderContainer` writes a container's manifest straight from the
 * cdk8s-plus `Container`, without the intermediate objects of `plainJson(container._toKube())`. Pure.
 * Nothing here is exported from the package index.
 */
import * as kplus from 'cdk8s-plus-28';

/** A JSON value as the manifest holds it. */
type Json = any;

/**
 * The members cdk8s-plus-28's `Container` keeps its probes and lifecycle hooks in. It has no
 * public accessors for them; `hasKnownMembers` checks they are there before they are read.
 */
interface ContainerInternals {
  readonly _readiness?: kplus.Probe;
  readonly _liveness?: kplus.Probe;
  readonly _startup?: kplus.Probe;
  readonly _lifecycle?: kplus.ContainerLifecycle;
}

const INTERNAL_MEMBERS: readonly (keyof ContainerInternals)[] = ['_readiness', '_liveness', '_startup', '_lifecycle'];

/**
 * The manifest value of a cdk8s-plus rendering: `Quantity` and `IntOrString` become their
 * values, as the typed converters of cdk8s-plus's `Kube*` classes write them, and keys whose
 * value is undefined or null are left out of plain objects, as cdk8s's own sanitizing leaves
 * them out of the manifest (so cdk8s does not resolve them one by one at synthesis). Any other
 * object (a `Lazy`, a token) is kept as it is, for cdk8s to resolve.
 */
export function plainJson(value: Json): Json {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(plainJson);
  if (value.constructor !== Object) {
    return value instanceof kplus.k8s.Quantity || value instanceof kplus.k8s.IntOrString ? value.value : value;
  }
  const copy: Json = {};
  for (const key in value) {
    const item = value[key];
    if (item === undefined || item === null) continue;
    copy[key] = typeof item === 'object' ? plainJson(item) : item;
  }
  return copy;
}

/**
 * The manifest of a container, the same as `plainJson(container._toKube())` with `extraMounts`
 * appended to its volume mounts (a StatefulSet's claim-template mounts).
 *
 * cdk8s-plus renders a container into objects that carry every optional field and typed
 * quantities, which `plainJson` then copies once more; on the plain synthesis path that was
 * about 6.7 KiB of short-lived objects per component, allocated while the construct tree is
 * still young (bench/PROFILE.md, seventh step). This writes each field once, in cdk8s-plus's
 * order. A container without the members it reads (another cdk8s-plus-28 build) is rendered
 * by cdk8s-plus itself.
 */
export function renderContainer(container: kplus.Container, extraMounts: readonly Json[]): Json {
  if (!hasKnownMembers(container)) return withMounts(plainJson(container._toKube()), extraMounts);
  const internals = container as unknown as ContainerInternals;
  const kube: Json = {};
  setDefined(kube, 'name', container.name);
  setDefined(kube, 'image', container.image);
  setDefined(kube, 'imagePullPolicy', container.imagePullPolicy);
  const ports = container.ports;
  if (ports.length > 0) kube.ports = ports.map(renderPort);
  const mounts = container.mounts;
  if (mounts.length > 0) kube.volumeMounts = [...mounts.map(renderMount), ...extraMounts];
  setDefined(kube, 'command', container.command);
  setDefined(kube, 'args', container.args);
  setDefined(kube, 'workingDir', container.workingDir);
  const env = renderEnv(container.env.variables);
  if (env.length > 0) kube.env = env;
  const sources = container.env.sources;
  if (sources.length > 0) kube.envFrom = sources.map(source => plainJson(source._toKube()));
  if (internals._readiness) kube.readinessProbe = plainJson(internals._readiness._toKube(container));
  if (internals._liveness) kube.livenessProbe = plainJson(internals._liveness._toKube(container));
  if (internals._startup) kube.startupProbe = plainJson(internals._startup._toKube(container));
  const lifecycle = internals._lifecycle;
  if (lifecycle) {
    kube.lifecycle = plainJson({ postStart: lifecycle.postStart?._toKube(container), preStop: lifecycle.preStop?._toKube(container) });
  }
  setDefined(kube, 'resources', renderResources(container.resources));
  setDefined(kube, 'restartPolicy', container.restartPolicy);
  kube.securityContext = plainJson(container.securityContext._toKube());
  // without mounts of its own, cdk8s-plus's object has no volumeMounts key, so the extra mounts come last
  if (mounts.length === 0 && extraMounts.length > 0) kube.volumeMounts = [...extraMounts];
  return kube;
}

function hasKnownMembers(container: kplus.Container): boolean {
  return INTERNAL_MEMBERS.every(member => Object.prototype.hasOwnProperty.call(container, member));
}

function withMounts(kube: Json, extraMounts: readonly Json[]): Json {
  if (extraMounts.length > 0) kube.volumeMounts = [...kube.volumeMounts ?? [], ...extraMounts];
  return kube;
}

function setDefined(target: Json, key: string, value: unknown): void {
  if (value !== undefined && value !== null) target[key] = value;
}

function renderPort(port: kplus.ContainerPort): Json {
  const kube: Json = { containerPort: port.number };
  setDefined(kube, 'protocol', port.protocol);
  setDefined(kube, 'name', port.name);
  setDefined(kube, 'hostPort', port.hostPort);
  setDefined(kube, 'hostIp', port.hostIp);
  return kube;
}

function renderMount(mount: kplus.VolumeMount): Json {
  const kube: Json = { name: mount.volume.name, mountPath: mount.path };
  setDefined(kube, 'readOnly', mount.readOnly);
  setDefined(kube, 'mountPropagation', mount.propagation);
  setDefined(kube, 'subPath', mount.subPath);
  setDefined(kube, 'subPathExpr', mount.subPathExpr);
  return kube;
}

function renderEnv(variables: { [name: string]: kplus.EnvValue }): Json[] {
  const env: Json[] = [];
  for (const name in variables) {
    const variable = variables[name];
    const kube: Json = { name };
    setDefined(kube, 'value', plainJson(variable.value));
    setDefined(kube, 'valueFrom', plainJson(variable.valueFrom));
    env.push(kube);
  }
  return env;
}

/** cdk8s-plus's requests and limits: CPU as given, memory in whole MiB, ephemeral storage in whole GiB. */
function renderResources(resources: kplus.ContainerResources | undefined): Json {
  const limits: Json = {};
  const requests: Json = {};
  const cpuLimit = resources?.cpu?.limit?.amount;
  const cpuRequest = resources?.cpu?.request?.amount;
  const memory = resources?.memory;
  const ephemeralStorage = resources?.ephemeralStorage;
  if (cpuLimit) limits.cpu = cpuLimit;
  if (memory?.limit) limits.memory = `${memory.limit.toMebibytes()}Mi`;
  if (ephemeralStorage?.limit) limits['ephemeral-storage'] = `${ephemeralStorage.limit.toGibibytes()}Gi`;
  if (cpuRequest) requests.cpu = cpuRequest;
  if (memory?.request) requests.memory = `${memory.request.toMebibytes()}Mi`;
  if (ephemeralStorage?.request) requests['ephemeral-storage'] = `${ephemeralStorage.request.toGibibytes()}Gi`;
  const hasLimits = Object.keys(limits).length > 0;
  const hasRequests = Object.keys(requests).length > 0;
  if (!hasLimits && !hasRequests) return undefined;
  const kube: Json = {};
  if (hasLimits) kube.limits = limits;
  if (hasRequests) kube.requests = requests;
  return kube;
}
