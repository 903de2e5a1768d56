/**
 * The rules a component's containers follow: names, ports and mount paths, checked before anything
 * renders. Pure.
 * Nothing here is exported from the package index.
 */
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { collectContainerPorts, servicePortName } from './_container-defaults';
import { imageReferenceProblem } from './_image-reference';
import { describeValue, envVarNameProblem, idProblem, portNameProblem, portNumberProblem, requestLimitProblem } from './_kube-rules';
import { clientServiceName, isDns1035Label, isDns1123Label, MAX_DNS_LABEL_LENGTH, normalizedMountPath } from './_naming';
import { describeSize, isWholeGibibytes, isWholeMebibytes } from './_quantity';
import { checkEnumValue, ProblemList } from './_validation';
import { SharedVolumeMount } from './shared-volume';
import { ComponentVolume } from './volume';

/** Whether a container is a main container (`''`) or an init container (`'init-'`). */
export type ContainerKind = '' | 'init-';

/** Name a container gets when it sets none: the component name for the first main container. */
export function defaultContainerName(componentName: string, index: number, kind: ContainerKind): string {
  return index === 0 && kind === '' ? componentName : `${componentName}-${kind}${index}`;
}

/** What the container rules need to know about the component. */
export interface ContainerOwner {
  readonly componentName: string;
  readonly isStateful: boolean;
  /** A preset supplies the server container (when it cannot bind, its own problem is reported). */
  readonly presetGiven: boolean;
  /** How many containers the preset puts first. */
  readonly presetContainers: number;
  /** How many wait containers of `dependencies` come first among the init containers, then how many the preset adds. */
  readonly waitContainers: number;
  readonly presetInitContainers: number;
}

/** The prop path of a container: `containers[i]` of the props, or one the preset or a dependency adds. */
export function containerPath(owner: ContainerOwner, kind: ContainerKind, index: number): string {
  if (kind === '') return index < owner.presetContainers ? `preset containers[${index}]` : `containers[${index - owner.presetContainers}]`;
  if (index < owner.waitContainers) return `dependencies wait container ${index}`;
  const offset = owner.waitContainers + owner.presetInitContainers;
  return index < offset ? `preset initContainers[${index - owner.waitContainers}]` : `initContainers[${index - offset}]`;
}

/**
 * Records every rule the containers break: names (as given or defaulted), images, ports, environment,
 * resources and user ids, the ports a stateful component needs, and the client Service name.
 */
export function checkContainers(containers: kplus.ContainerProps[], initContainers: kplus.ContainerProps[],
  owner: ContainerOwner, problems: ProblemList): void {
  if (containers.length === 0 && !owner.presetGiven) {
    problems.add('containers', 'a component needs at least one container', 'pass containers: [{ image: \'...\' }] or a preset');
  }
  const names = new Map<string, string>();
  const each = (kind: ContainerKind) => (container: kplus.ContainerProps, index: number) => {
    const where = containerPath(owner, kind, index);
    const name = container.name ?? defaultContainerName(owner.componentName, index, kind);
    const given = container.name !== undefined;
    if (!isDns1123Label(name)) {
      problems.add(`${where}.name`, given ? `'${name}' is not a DNS-1123 label (lowercase letters, digits and '-', at most ${MAX_DNS_LABEL_LENGTH} characters)`
        : `the default name '${name}' is longer than ${MAX_DNS_LABEL_LENGTH} characters`,
      given ? 'use lowercase letters, digits and \'-\'' : 'set name on this container, or shorten componentName');
    } else if (names.has(name)) {
      const waitContainer = kind === 'init-' && index < owner.waitContainers;
      problems.add(`${where}.name`, `'${name}' is also the name of ${names.get(name)}${given ? '' : ' (this container\'s default name)'}`,
        waitContainer
          ? `wait containers are named wait-for-<componentName>, cut to ${MAX_DNS_LABEL_LENGTH} characters: rename the other container, shorten a dependency's componentName, or set waitForDependencies: false`
          : 'give every container and init container its own name');
    }
    names.set(name, where);
    checkContainerFields(container, where, problems);
  };
  containers.forEach(each(''));
  initContainers.forEach(each('init-'));
  checkDuplicatePorts(containers, initContainers, owner, problems);
  const ports = collectContainerPorts(containers);
  if (owner.isStateful && containers.length > 0 && ports.length === 0) {
    problems.add('containers', 'a stateful component needs at least one container port: its governing headless Service publishes the per-instance DNS names',
      'declare the ports the instances listen on, e.g. ports: [{ number: 5432 }]');
  }
  const client = clientServiceName(owner.componentName);
  if (ports.length > 0 && isDns1035Label(owner.componentName) && client.length > MAX_DNS_LABEL_LENGTH) {
    problems.add('componentName', `'${owner.componentName}' has ${owner.componentName.length} characters; its client Service '${client}' would exceed ${MAX_DNS_LABEL_LENGTH}`,
      `shorten componentName to ${MAX_DNS_LABEL_LENGTH - (client.length - owner.componentName.length)} characters or fewer`);
  }
  const portNames = new Set<string>();
  for (const port of ports) {
    const name = servicePortName(port);
    if (portNames.has(name)) {
      problems.add('containers.ports', `port name '${name}' is used twice`, 'give every container port its own name');
    }
    portNames.add(name);
  }
}

/**
 * A port (number and protocol) declared twice in a pod, by its containers or init containers: they share
 * one network namespace, and the API server warns "duplicate port definition" for any two of them
 * (k8s.io/kubernetes/pkg/api/pod/warnings.go; its own oracle, test/apiserver, found the init-container case).
 */
function checkDuplicatePorts(containers: kplus.ContainerProps[], initContainers: kplus.ContainerProps[],
  owner: ContainerOwner, problems: ProblemList): void {
  const seen = new Map<string, string>();
  const all = [...containers.map((c, i) => ({ container: c, where: containerPath(owner, '', i) })),
    ...initContainers.map((c, i) => ({ container: c, where: containerPath(owner, 'init-', i) }))];
  all.forEach(({ container, where }) => {
    for (const { port, at } of declaredPorts(container, where)) {
      const key = `${port.number}/${port.protocol ?? kplus.Protocol.TCP}`;
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, at);
      } else {
        problems.add(at, `port ${key} is also declared at ${first}; the containers of a pod share one network, so only one can listen on it (the API server warns "duplicate port definition")`,
          'declare each port once, in the container that listens on it');
      }
    }
  });
}

/** The ports a container declares (`portNumber` first, as cdk8s-plus renders it, then `ports`), each with its prop path. */
function declaredPorts(container: kplus.ContainerProps, where: string): { port: kplus.ContainerPort; at: string; numberAt: string }[] {
  return [
    ...container.portNumber !== undefined
      ? [{ port: { number: container.portNumber }, at: `${where}.portNumber`, numberAt: `${where}.portNumber` }] : [],
    ...(container.ports ?? []).map((port, i) => ({ port, at: `${where}.ports[${i}]`, numberAt: `${where}.ports[${i}].number` })),
  ];
}

/** The fields of one container the API server validates: ports, environment, resources, user and group. */
function checkContainerFields(container: kplus.ContainerProps, where: string, problems: ProblemList): void {
  const imageProblem = imageReferenceProblem(container.image);
  if (imageProblem) problems.add(`${where}.image`, imageProblem, 'remove the spaces');
  checkEnumValue(`${where}.imagePullPolicy`, container.imagePullPolicy, kplus.ImagePullPolicy, 'ImagePullPolicy', 'an image pull policy', problems);
  for (const { port, at, numberAt } of declaredPorts(container, where)) {
    const numberProblem = portNumberProblem(port.number);
    if (numberProblem) problems.add(numberAt, numberProblem, 'use a port number from 1 to 65535');
    checkEnumValue(`${at}.protocol`, port.protocol, kplus.Protocol, 'Protocol', 'a port protocol', problems);
    if (port.name !== undefined) {
      const nameProblem = portNameProblem(port.name);
      if (nameProblem) {
        problems.add(`${at}.name`, `${nameProblem}; a container port name must be an IANA service name (at most 15 lowercase letters, digits and '-', with a letter)`,
          'use a short name such as \'http\', \'grpc\' or \'metrics\'');
      }
    }
  }
  for (const [name, value] of Object.entries(container.envVariables ?? {})) {
    const nameProblem = envVarNameProblem(name);
    if (nameProblem) problems.add(`${where}.envVariables.${name}`, nameProblem, 'rename the variable');
    // duck-typed: an EnvValue of another cdk8s-plus version (an app that mixes them) is just as good
    if (typeof value !== 'object' || value === null) {
      problems.add(`${where}.envVariables.${name}`, `the value is ${describeValue(value)}, not a kplus.EnvValue, so the variable would render without a value`,
        `use kplus.EnvValue.fromValue(${typeof value === 'string' ? `'${value}'` : '...'}) (or fromSecretValue, fromFieldRef)`);
    }
  }
  checkResources(container.resources, `${where}.resources`, problems);
  for (const field of ['user', 'group'] as const) {
    const id = container.securityContext?.[field];
    const problem = id === undefined ? undefined : idProblem(id);
    if (problem) problems.add(`${where}.securityContext.${field}`, problem, `set ${field} to a numeric id such as 1000`);
  }
}

/** How cdk8s-plus-28 writes each resource: CPU as given, memory in whole MiB, ephemeral storage in whole GiB. */
const RESOURCE_RULES = [
  { prop: 'cpu', resource: 'cpu', example: 'request kplus.Cpu.millis(250), limit kplus.Cpu.units(1)' },
  { prop: 'memory', resource: 'memory', unit: 'MiB', whole: isWholeMebibytes, example: 'request Size.mebibytes(256), limit Size.mebibytes(512)' },
  { prop: 'ephemeralStorage', resource: 'ephemeral-storage', unit: 'GiB', whole: isWholeGibibytes, example: 'request Size.gibibytes(1), limit Size.gibibytes(2)' },
] as const;

function isCpu(value: unknown): value is kplus.Cpu {
  return typeof value === 'object' && value !== null && ['string', 'number'].includes(typeof (value as { amount?: unknown }).amount);
}

function isSize(value: unknown): value is Size {
  return typeof value === 'object' && value !== null && typeof (value as { asString?: unknown }).asString === 'function'
    && typeof (value as { toMebibytes?: unknown }).toMebibytes === 'function';
}

/**
 * Records every rule a container's resources break: a kplus.Cpu or a cdk8s Size of the unit cdk8s-plus-28
 * writes it in (which throws at synthesis otherwise), a quantity the API server reads, the request at or
 * below the limit.
 */
function checkResources(resources: kplus.ContainerResources | undefined, where: string, problems: ProblemList): void {
  for (const rule of RESOURCE_RULES) {
    const pair: { request?: unknown; limit?: unknown } | undefined = resources?.[rule.prop];
    if (pair === undefined) continue;
    const at = `${where}.${rule.prop}`;
    const quantities: { request?: string | number; limit?: string | number } = {};
    let wellTyped = true;
    for (const what of ['request', 'limit'] as const) {
      const value = pair[what];
      if (value === undefined) continue;
      if (rule.prop === 'cpu' ? !isCpu(value) : !isSize(value)) {
        problems.add(`${at}.${what}`, `must be a ${rule.prop === 'cpu' ? 'kplus.Cpu' : 'cdk8s Size'}, got ${describeValue(value)}`, `give e.g. ${rule.example}`);
        wellTyped = false;
        continue;
      }
      if (rule.prop === 'cpu') {
        quantities[what] = (value as kplus.Cpu).amount;
        continue;
      }
      const size = value as Size;
      quantities[what] = describeSize(size);
      if ('whole' in rule && requestLimitProblem(rule.resource, quantities[what], undefined) === undefined && !rule.whole(size)) {
        problems.add(`${at}.${what}`, `${quantities[what]} is not a whole number of ${rule.unit}, the unit cdk8s-plus-28 writes ${rule.resource} in`, `give e.g. ${rule.example}`);
        wellTyped = false;
      }
    }
    if (!wellTyped) continue;
    const problem = requestLimitProblem(rule.resource, quantities.request, quantities.limit);
    if (problem) problems.add(at, problem, `give ${rule.prop === 'ephemeralStorage' ? 'an' : 'a'} ${rule.prop} request at or below its limit${rule.prop === 'memory' ? ', in whole bytes' : ''}, e.g. ${rule.example}`);
  }
}

/**
 * Every container and init container mounts the component volumes and the shared volumes
 * besides its own `volumeMounts` (a preset's included); the API server refuses two mounts at one path
 * in a container ("must be unique"), whatever their source.
 */
export function checkMountPaths(containers: kplus.ContainerProps[], initContainers: kplus.ContainerProps[],
  volumes: ComponentVolume[], sharedVolumes: SharedVolumeMount[], owner: ContainerOwner, problems: ProblemList): void {
  // duplicates among the component volumes and shared volumes themselves are reported once by checkVolumes and checkSharedVolumes
  const componentPaths = new Map<string, string>();
  const addComponentPath = (path: string, source: string) => {
    const key = normalizedMountPath(path);
    if (!componentPaths.has(key)) componentPaths.set(key, source);
  };
  for (const volume of volumes) addComponentPath(volume.mountPath, `component volume '${volume.name}'`);
  for (const shared of sharedVolumes) addComponentPath(shared.mountPath, `shared volume '${shared.volumeName}'`);
  const componentVolumeNames = new Set(volumes.map(v => v.name));
  const check = (container: kplus.ContainerProps, index: number, kind: ContainerKind) => {
    const mounts = container.volumeMounts ?? [];
    if (mounts.length === 0) return; // only a container's own mounts can clash
    const name = container.name ?? defaultContainerName(owner.componentName, index, kind);
    const where = `${containerPath(owner, kind, index)} '${name}'`;
    const seen = new Map(componentPaths);
    mounts.forEach((mount, i) => {
      const source = `volumeMounts[${i}] (volume '${mount.volume.name}')`;
      const key = normalizedMountPath(mount.path);
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, source);
      } else {
        problems.add(`${where}.volumeMounts`, `mount path '${mount.path}' is used twice in container '${name}', by ${first} and by ${source}; the API server refuses the pod ("must be unique")`,
          'mount every volume at its own path, or remove one of the two mounts');
      }
      if (componentVolumeNames.has(mount.volume.name)) {
        problems.add(`${where}.volumeMounts`, `volumeMounts[${i}] mounts a pod volume named '${mount.volume.name}', the name of a component volume; `
          + (owner.isStateful ? 'the StatefulSet controller would silently replace it by the claim of that name' : 'a pod cannot have two volumes of one name'),
        'give the pod volume another name, e.g. kplus.Volume.fromEmptyDir(scope, id, \'scratch\')');
      }
    });
  };
  containers.forEach((c, i) => check(c, i, ''));
  initContainers.forEach((c, i) => check(c, i, 'init-'));
}
