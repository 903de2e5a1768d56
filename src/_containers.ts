/**
 * The rules a component's containers follow: names, ports and mount paths, checked before anything
 * renders. Pure.
 * Nothing here is exported from the package index.
 */
import * as kplus from 'cdk8s-plus-28';
import { collectContainerPorts, servicePortName } from './_container-defaults';
import { clientServiceName, isDns1035Label, isDns1123Label, MAX_DNS_LABEL_LENGTH, normalizedMountPath } from './_naming';
import { ProblemList } from './_validation';
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
}

/** Records every rule the containers break: names, the ports a stateful component needs, port and client Service names. */
export function checkContainers(containers: kplus.ContainerProps[], initContainers: kplus.ContainerProps[],
  owner: ContainerOwner, problems: ProblemList): void {
  if (containers.length === 0 && !owner.presetGiven) {
    problems.add('containers', 'a component needs at least one container', 'pass containers: [{ image: \'...\' }] or a preset');
  }
  const names = new Set<string>();
  [...containers, ...initContainers].forEach((container, index) => {
    const name = container.name;
    if (name === undefined) return;
    if (!isDns1123Label(name)) {
      problems.add(`containers[${index}].name`, `'${name}' is not a DNS-1123 label`, 'use lowercase letters, digits and \'-\'');
    } else if (names.has(name)) {
      problems.add(`containers[${index}].name`, `'${name}' is used by two containers`, 'give every container and init container its own name');
    }
    names.add(name);
  });
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
    const where = `${kind === '' ? 'containers' : 'initContainers'}[${index}] '${name}'`;
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
