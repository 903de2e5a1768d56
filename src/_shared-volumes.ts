/**
 * Mounting another component's shared storage: Rainbond's rules (only a stateless component's
 * share-file volume, ReadWriteMany, same namespace). Nothing here is exported from the package index.
 */
import * as kplus from 'cdk8s-plus-28';
import { MAX_DNS_LABEL_LENGTH, normalizedMountPath } from './_naming';
import { ProblemList } from './_validation';
import { volumeTypeOf } from './_volumes';
import { SharedVolumeMount } from './shared-volume';
import { ComponentVolume, VolumeType } from './volume';

/** What a mounting component needs to know about the owner of a volume. */
export interface SharingOwner {
  readonly componentName: string;
  readonly isStateful: boolean;
  readonly namespace: string;
  /** False when the owner's namespace is only the 'default' fallback of another chart. */
  readonly namespaceKnown: boolean;
  readonly volumes: ComponentVolume[];
  accessModeOf(volume: ComponentVolume): kplus.PersistentVolumeAccessMode;
}

/** Name of the pod volume that mounts `volumeName` of `ownerName` (also the claim's name). */
export function sharedVolumeName(ownerName: string, volumeName: string): string {
  return `${ownerName}-${volumeName}`;
}

/**
 * Records every shared volume that Rainbond would not let a component in `namespace` with
 * `ownVolumes` mount. `ownerOf` returns the owner's view, undefined for a non-component.
 */
export function checkSharedVolumes(shared: SharedVolumeMount[], namespace: string, ownVolumes: ComponentVolume[],
  ownerOf: (component: unknown) => SharingOwner | undefined, problems: ProblemList): void {
  if (shared.length === 0) return;
  const ownPaths = new Set(ownVolumes.map(v => normalizedMountPath(v.mountPath)));
  const ownNames = new Set(ownVolumes.map(v => v.name));
  shared.forEach((mount, index) => {
    const where = `sharedVolumes[${index}]`;
    const owner = ownerOf(mount.component);
    if (!owner) {
      problems.add(`${where}.component`, 'is not a RainbondComponent', 'pass the component that owns the volume');
      return;
    }
    const volume = owner.volumes.find(v => v.name === mount.volumeName);
    const label = `volume '${mount.volumeName}' of '${owner.componentName}'`;
    if (!volume) {
      problems.add(`${where}.volumeName`, `'${owner.componentName}' has no volume '${mount.volumeName}' (it has: ${owner.volumes.map(v => v.name).join(', ') || 'none'})`,
        'name one of its volumes');
      return;
    }
    if (owner.isStateful) {
      problems.add(where, `${label} belongs to a stateful component: it is one claim per instance, which no other component can mount (Rainbond shares only stateless components' shared storage)`,
        `share a ReadWriteMany share-file volume of a stateless component instead, or reach '${owner.componentName}' over the network (dependsOn)`);
      return;
    }
    if (volumeTypeOf(volume) !== VolumeType.SHARE_FILE) {
      problems.add(where, `${label} is a ${volumeTypeOf(volume)} volume, not shared storage`, 'share a share-file volume');
      return;
    }
    const mode = owner.accessModeOf(volume);
    const readOnlyMany = mode === kplus.PersistentVolumeAccessMode.READ_ONLY_MANY;
    if (readOnlyMany && mount.readOnly !== true) {
      problems.add(where, `${label} is ${mode} and must be mounted read-only`, 'set readOnly: true');
    } else if (!readOnlyMany && mode !== kplus.PersistentVolumeAccessMode.READ_WRITE_MANY) {
      problems.add(where, `${label} is ${mode}: it attaches to one node at a time, so the pods of another component could not mount it beside the owner's`,
        `give the volume accessMode READ_WRITE_MANY (an RWX-capable storage class) in '${owner.componentName}'`);
    }
    if (owner.namespace !== namespace || !owner.namespaceKnown) {
      problems.add(where, `${label} is a claim in namespace '${owner.namespace}'${owner.namespaceKnown ? '' : ' (not set explicitly)'}; pods mount claims of their own namespace ('${namespace}') only`,
        'put both components in one namespace');
    }
    if (!mount.mountPath?.startsWith('/')) {
      problems.add(`${where}.mountPath`, `'${mount.mountPath}' is not an absolute path`, 'use a path starting with \'/\'');
    } else if (ownPaths.has(normalizedMountPath(mount.mountPath))) {
      problems.add(`${where}.mountPath`, `mount path '${mount.mountPath}' is used twice`, 'mount every volume at its own path');
    }
    if (mount.mountPath) ownPaths.add(normalizedMountPath(mount.mountPath));
    const name = sharedVolumeName(owner.componentName, volume.name);
    if (ownNames.has(name) || name.length > MAX_DNS_LABEL_LENGTH) {
      problems.add(where, `the pod volume name '${name}' ${name.length > MAX_DNS_LABEL_LENGTH ? `has more than ${MAX_DNS_LABEL_LENGTH} characters` : 'is used twice'}`,
        'rename the volume of this component, or use shorter names');
    }
    ownNames.add(name);
  });
}
