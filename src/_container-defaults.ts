/**
 * Secure, reliable defaults applied to every container of a component.
 * Nothing here is exported from the package index.
 */
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { parseImageReference } from './_image-reference';
import { withFields } from './_objects';
import { compareQuantities } from './_quantity';

/** Numeric user and group the pods run as by default (restricted profile needs a numeric non-root UID). */
export const DEFAULT_USER_ID = 1000;

/** Container security context of the Pod Security Standards "restricted" profile. */
export const RESTRICTED_CONTAINER_SECURITY: kplus.ContainerSecurityContextProps = {
  ensureNonRoot: true,
  privileged: false,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: [kplus.Capability.ALL] },
  seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
};

/** Requests and limits given to a container that sets none. */
export const DEFAULT_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(1000) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
};

/**
 * Requests and limits given to an init container that sets none. Init containers run one at a
 * time before the main containers, and the scheduler reserves max(largest init request, sum of
 * the main requests), so this smaller default never raises a pod's footprint above the main
 * containers' default; the limits still bound a runaway script.
 */
export const DEFAULT_INIT_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(500) },
  memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
};

/**
 * The pull policy Kubernetes defaults a container to when none is set (core/v1 defaulting):
 * `Always` when the image's tag is `latest`, or when it has neither tag nor digest (the
 * runtime then pulls `latest`); `IfNotPresent` for any other tag or a digest.
 * cdk8s-plus would render `Always` for every image, pulling a pinned tag on every start
 * (and failing every start while the registry is unreachable).
 */
export function defaultImagePullPolicy(image: string): kplus.ImagePullPolicy {
  const { tag, digest } = parseImageReference(image);
  // no tag and no digest: the runtime pulls `latest`
  return (tag ?? (digest === undefined ? 'latest' : undefined)) === 'latest' ? kplus.ImagePullPolicy.ALWAYS : kplus.ImagePullPolicy.IF_NOT_PRESENT;
}

/** What the component adds to every container. */
export interface ContainerAdditions {
  readonly defaultName: string;
  /** Resources of a container that sets none. */
  readonly defaultResources: kplus.ContainerResources;
  readonly env: { [name: string]: kplus.EnvValue };
  readonly volumeMounts: kplus.VolumeMount[];
}

/**
 * Returns the container props with the component's defaults filled in:
 * a name, the restricted security context (user fields win), default resources (field by field),
 * the pull policy Kubernetes would default to for the image's tag,
 * the discovery environment (user variables of the same name win) and the component's volume mounts.
 */
export function withContainerDefaults(props: kplus.ContainerProps, additions: ContainerAdditions): kplus.ContainerProps {
  return withFields(props, {
    name: props.name ?? additions.defaultName,
    securityContext: { ...RESTRICTED_CONTAINER_SECURITY, ...props.securityContext },
    resources: mergeResources(props.resources, additions.defaultResources),
    imagePullPolicy: props.imagePullPolicy ?? defaultImagePullPolicy(props.image),
    envVariables: withFields(additions.env, props.envVariables ?? {}),
    volumeMounts: [...props.volumeMounts ?? [], ...additions.volumeMounts],
  });
}

/** A request and a limit, each either given or the default. */
interface Pair<T> {
  readonly request?: T;
  readonly limit?: T;
}

/**
 * One resource's request and limit: the default pair when none is given. A given pair is kept as
 * given, and only a missing limit is filled: the default, or the request where that is higher (the API
 * server refuses a request above its limit). A missing request stays missing, so Kubernetes sets it to
 * the limit, as it does for any pod.
 */
function mergePair<T>(given: Pair<T> | undefined, defaults: Pair<T> | undefined, quantity: (value: T) => string): Pair<T> | undefined {
  if (!given) return defaults;
  if (given.limit !== undefined || given.request === undefined) return given;
  const requestAboveDefault = defaults?.limit !== undefined && (compareQuantities(quantity(given.request), quantity(defaults.limit)) ?? 0) > 0;
  return { request: given.request, limit: requestAboveDefault ? given.request : defaults?.limit };
}

/**
 * The resources of a container: CPU and memory each as given, else the default (a container that sets
 * only memory keeps the default CPU), with a missing limit filled as `mergePair` says.
 */
export function mergeResources(given: kplus.ContainerResources | undefined, defaults: kplus.ContainerResources): kplus.ContainerResources {
  if (!given) return defaults;
  return {
    cpu: mergePair(given.cpu, defaults.cpu, cpu => String(cpu.amount)),
    memory: mergePair(given.memory, defaults.memory, size => size.asString()),
    ephemeralStorage: given.ephemeralStorage ?? defaults.ephemeralStorage,
  };
}

/** Ports of all containers, in order, de-duplicated by number and protocol. */
export function collectContainerPorts(containers: kplus.ContainerProps[]): kplus.ContainerPort[] {
  const seen = new Set<string>();
  const ports: kplus.ContainerPort[] = [];
  for (const container of containers) {
    const declared = [...container.ports ?? []];
    if (container.portNumber !== undefined) declared.unshift({ number: container.portNumber });
    for (const port of declared) {
      const key = `${port.number}/${port.protocol ?? kplus.Protocol.TCP}`;
      if (seen.has(key)) continue;
      seen.add(key);
      ports.push(port);
    }
  }
  return ports;
}

/** Service port name for a container port: its own name, else `<protocol>-<number>` as Rainbond names them. */
export function servicePortName(port: kplus.ContainerPort): string {
  return port.name ?? `${(port.protocol ?? kplus.Protocol.TCP).toLowerCase()}-${port.number}`;
}

/** Rainbond's discovery variables, so cluster scripts written for Rainbond run unchanged. */
export function discoveryEnvironment(componentName: string, namespace: string, replicas: number): { [name: string]: kplus.EnvValue } {
  return {
    _SERVICE_NAME: kplus.EnvValue.fromValue(componentName),
    _NAMESPACE: kplus.EnvValue.fromValue(namespace),
    _POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
    _POD_IP: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_IP),
    _SERVICE_POD_NUM: kplus.EnvValue.fromValue(String(replicas)),
  };
}
