/**
 * Rainbond volume types: validation and rendering of the pod-level volumes
 * (`memoryfs` emptyDirs, `config-file` ConfigMaps) and the marker of claims.
 * Nothing here is exported from the package index.
 */
import { ApiObject, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { contentChecksum } from './_checksum';
import { addConfigMap } from './_config-maps';
import { ANNOTATION_VOLUME_TYPE } from './_contract';
import { isStatefulDeployType } from './_deploy-type-traits';
import { configKeyProblem, subdomainNameProblem } from './_kube-rules';
import { isDns1123Label, normalizedMountPath } from './_naming';
import { describeSize, isWholeGibibytes, isWholeMebibytes } from './_quantity';
import { checkEnumValue, ProblemList } from './_validation';
import { DeployType } from './deploy-type';
import { ComponentVolume, VolumeType } from './volume';

/** Default capacity of a component volume (Rainbond's default since 2023). */
export const DEFAULT_VOLUME_SIZE = Size.gibibytes(10);
/** StorageClass of `local` volumes when none is given: rancher local-path-provisioner, as Rainbond installs it. */
export const DEFAULT_LOCAL_STORAGE_CLASS = 'local-path';
/** File mode of a config file when none is given (owner read/write, everyone read). */
export const DEFAULT_CONFIG_FILE_MODE = 0o644;
/** Largest ConfigMap the API server stores (1 MiB), less room for metadata. */
const MAX_CONFIG_FILE_BYTES = 1024 * 1024 - 4096;

/** The volume's type, `share-file` when not given. */
export function volumeTypeOf(volume: ComponentVolume): VolumeType {
  return volume.type ?? VolumeType.SHARE_FILE;
}

/** True for the persistent types rendered as claims (`share-file`, `local`). */
export function isClaimVolume(volume: ComponentVolume): boolean {
  const type = volumeTypeOf(volume);
  return type === VolumeType.SHARE_FILE || type === VolumeType.LOCAL;
}

/** StorageClass of a claim volume. */
export function storageClassOf(volume: ComponentVolume): string | undefined {
  return volume.storageClassName ?? (volumeTypeOf(volume) === VolumeType.LOCAL ? DEFAULT_LOCAL_STORAGE_CLASS : undefined);
}

/** Annotations of the claim (or claim template) of a claim volume. */
export function claimAnnotations(volume: ComponentVolume): { [key: string]: string } {
  return { [ANNOTATION_VOLUME_TYPE]: volumeTypeOf(volume) };
}

/** ConfigMap key (and file name) of a config-file volume: the last segment of its mount path. */
export function configFileKey(volume: ComponentVolume): string {
  return volume.mountPath.slice(volume.mountPath.lastIndexOf('/') + 1);
}

/** What the volume rules need to know about the component. */
export interface VolumeOwner {
  readonly deployType: DeployType;
  readonly isStateful: boolean;
  readonly replicas: number;
  /** The most pods the component may run: `replicas`, or the autoscaler's maximum. */
  readonly maxReplicas: number;
  /** How many volumes (first) the preset supplies: its data volume. */
  readonly presetVolumes: number;
}

/** The prop path of a volume: `volumes[i]` of the props, or the preset's data volume (its `storageSize`, `storageClassName`). */
export function volumePath(presetVolumes: number, index: number): string {
  return index < presetVolumes ? 'preset data volume' : `volumes[${index - presetVolumes}]`;
}

/** Access mode of a claim volume: as given, else ReadWriteMany on STATELESS_MULTIPLE (shared by pods), else ReadWriteOnce. */
export function accessModeOf(volume: ComponentVolume, deployType: DeployType): kplus.PersistentVolumeAccessMode {
  return volume.accessMode ?? (deployType === DeployType.STATELESS_MULTIPLE
    ? kplus.PersistentVolumeAccessMode.READ_WRITE_MANY
    : kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE);
}

/** ReadWriteOnce and ReadWriteOncePod claims attach to one node (one pod) at a time. */
export function isSingleNodeAccessMode(mode: kplus.PersistentVolumeAccessMode): boolean {
  return mode === kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE || mode === kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE_POD;
}

/** A stateless component whose claims attach to one node: a surge pod on another node could not attach them, so stop the old pod first. */
export function needsRecreate(claimVolumes: ComponentVolume[], deployType: DeployType): boolean {
  return claimVolumes.some(v => isSingleNodeAccessMode(accessModeOf(v, deployType)));
}

/** Records every rule the volumes break: names, mount paths, sizes, access modes. */
export function checkVolumes(volumes: ComponentVolume[], owner: VolumeOwner, problems: ProblemList): void {
  const names = new Set<string>();
  const paths = new Set<string>();
  volumes.forEach((volume, index) => {
    const where = volumePath(owner.presetVolumes, index);
    if (!isDns1123Label(volume.name)) {
      problems.add(`${where}.name`, `'${volume.name}' is not a DNS-1123 label`, 'use lowercase letters, digits and \'-\', at most 63 characters');
    } else if (names.has(volume.name)) {
      problems.add(`${where}.name`, `volume name '${volume.name}' is used twice`, 'give every volume its own name');
    }
    names.add(volume.name);
    if (!volume.mountPath.startsWith('/')) {
      problems.add(`${where}.mountPath`, `'${volume.mountPath}' is not an absolute path`, 'use a path starting with \'/\'');
    } else if (paths.has(normalizedMountPath(volume.mountPath))) {
      problems.add(`${where}.mountPath`, `mount path '${volume.mountPath}' is used twice`, 'mount every volume at its own path');
    }
    paths.add(normalizedMountPath(volume.mountPath));
    const sizeProp = index < owner.presetVolumes ? 'preset storageSize' : `${where}.size`;
    if (volume.size !== undefined && !isPositiveWholeByteSize(volume.size)) {
      problems.add(sizeProp, `'${describeSize(volume.size)}' is not a valid capacity`, 'use a positive whole size such as Size.gibibytes(10)');
    } else if (volume.size !== undefined && volume.size.toKibibytes() > MAX_KIBIBYTES) {
      problems.add(sizeProp, `'${describeSize(volume.size)}' is more than 8Ei, the most bytes a Kubernetes quantity counts (a 64-bit integer)`, 'use a realistic size such as Size.tebibytes(10)');
    } else if (volume.size !== undefined && volumeTypeOf(volume) === VolumeType.MEMORYFS && !isWholeMebibytes(volume.size)) {
      problems.add(sizeProp, `'${describeSize(volume.size)}' is not a whole number of MiB, the unit cdk8s-plus-28 writes an emptyDir's sizeLimit in`,
        'use a whole number of MiB such as Size.mebibytes(64)');
    } else if (volume.size !== undefined && !owner.isStateful && isClaimVolume(volume) && !isWholeGibibytes(volume.size)) {
      problems.add(sizeProp, `'${describeSize(volume.size)}' is not a whole number of GiB; the volume of a stateless component is a claim shared by its pods, which cdk8s-plus-28 writes in whole GiB`,
        'use a whole number of GiB such as Size.gibibytes(1), or a stateful deploy type (its claim templates keep the size as given)');
    }
    if (volume.storageClassName !== undefined) {
      const problem = subdomainNameProblem(volume.storageClassName);
      if (problem) problems.add(`${where}.storageClassName`, `${problem}, as a StorageClass name must be`, 'use the name of a StorageClass of the cluster (kubectl get storageclass)');
    }
    if (!checkEnumValue(`${where}.accessMode`, volume.accessMode, kplus.PersistentVolumeAccessMode, 'PersistentVolumeAccessMode', 'an access mode', problems)) return;
    const mode = accessModeOf(volume, owner.deployType);
    const pods = Math.max(owner.replicas, owner.maxReplicas);
    const sharedBySeveral = owner.deployType === DeployType.STATELESS_MULTIPLE && pods > 1;
    if (isClaimVolume(volume) && sharedBySeveral && isSingleNodeAccessMode(mode)) {
      const who = owner.maxReplicas > owner.replicas ? `up to ${owner.maxReplicas} replicas (its autoscaler's maximum)` : `${owner.replicas} replicas`;
      problems.add(`${where}.accessMode`, `${mode} volume '${volume.name}' would be shared by ${who} of a stateless multiple component; pods on other nodes could not attach it (Multi-Attach error)`,
        'use PersistentVolumeAccessMode.READ_WRITE_MANY with an RWX-capable storage class, or DeployType.STATEFUL_MULTIPLE for a volume per instance');
    }
  });
}

/** 8 EiB in KiB: 2^63 bytes, the largest byte count a Kubernetes quantity holds as an int64. */
const MAX_KIBIBYTES = 2 ** 53;

function isPositiveWholeByteSize(size: Size): boolean {
  try {
    const bytes = size.toKibibytes() * 1024;
    return Number.isFinite(bytes) && bytes > 0;
  } catch {
    return false;
  }
}

/** Records every rule of the volume types that `volumes` break for a component of `deployType`. */
export function checkVolumeTypes(volumes: ComponentVolume[], deployType: DeployType, presetVolumes: number, problems: ProblemList): void {
  volumes.forEach((volume, index) => {
    const where = volumePath(presetVolumes, index);
    const type = volumeTypeOf(volume);
    if (!checkEnumValue(`${where}.type`, type, VolumeType, 'VolumeType', 'a Rainbond volume type', problems)) return;
    const notFor = (prop: keyof ComponentVolume, fix: string) => {
      if (volume[prop] !== undefined) problems.add(`${where}.${prop}`, `${prop} does not apply to a ${type} volume ('${volume.name}')`, fix);
    };
    if (type !== VolumeType.MEMORYFS) notFor('memory', 'remove memory, or use VolumeType.MEMORYFS');
    if (type !== VolumeType.CONFIG_FILE) {
      notFor('content', 'remove content, or use VolumeType.CONFIG_FILE');
      notFor('fileMode', 'remove fileMode, or use VolumeType.CONFIG_FILE');
    }
    if (!isClaimVolume(volume)) {
      notFor('storageClassName', `remove storageClassName: a ${type} volume is not a claim`);
      notFor('accessMode', `remove accessMode: a ${type} volume is not a claim`);
    }
    if (type === VolumeType.LOCAL) checkLocal(volume, where, deployType, problems);
    if (type === VolumeType.CONFIG_FILE) checkConfigFile(volume, where, problems);
  });
}

function checkLocal(volume: ComponentVolume, where: string, deployType: DeployType, problems: ProblemList): void {
  if (!isStatefulDeployType(deployType)) {
    problems.add(`${where}.type`, `local volume '${volume.name}' is node-local storage of one instance, which ${deployType} does not have: its pods are replaced on any node and share their volumes (Rainbond allows local storage on stateful components only)`,
      'use DeployType.STATEFUL_SINGLE or STATEFUL_MULTIPLE, or VolumeType.SHARE_FILE');
  }
  const mode = volume.accessMode;
  const singleWriter = [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE, kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE_POD];
  if (mode !== undefined && !singleWriter.includes(mode)) {
    problems.add(`${where}.accessMode`, `local volume '${volume.name}' lives on one node and has a single writer, so ${mode} cannot be provided`,
      'remove accessMode (ReadWriteOnce), or use VolumeType.SHARE_FILE with a ReadWriteMany storage class');
  }
}

function checkConfigFile(volume: ComponentVolume, where: string, problems: ProblemList): void {
  const key = configFileKey(volume);
  if (volume.mountPath.startsWith('/') && configKeyProblem(key) !== undefined) {
    const rule = 'a file path whose last segment is a file name (letters, digits, \'-\', \'_\', \'.\', not starting with \'..\')';
    problems.add(`${where}.mountPath`, `config-file volume '${volume.name}' needs ${rule}, got '${volume.mountPath}'`,
      'set mountPath to the file, e.g. \'/etc/app/app.conf\'');
  }
  if (typeof volume.content !== 'string') {
    problems.add(`${where}.content`, `config-file volume '${volume.name}' has no content`, 'set content to the text of the file');
  } else if (Buffer.byteLength(volume.content, 'utf8') > MAX_CONFIG_FILE_BYTES) {
    problems.add(`${where}.content`, `config-file volume '${volume.name}' has ${Buffer.byteLength(volume.content, 'utf8')} bytes; a ConfigMap holds at most 1 MiB`,
      'keep configuration files small, or ship large files in the image or a share-file volume');
  }
  if (volume.fileMode !== undefined && (!Number.isInteger(volume.fileMode) || volume.fileMode < 0 || volume.fileMode > 0o777)) {
    problems.add(`${where}.fileMode`, `file mode ${volume.fileMode} of config-file volume '${volume.name}' is not a permission mode`, 'use an octal mode from 0o000 to 0o777, e.g. 0o644');
  }
  if (volume.size !== undefined) {
    problems.add(`${where}.size`, `size does not apply to a config-file volume ('${volume.name}')`, 'remove size');
  }
}

/** The mounts of the `memoryfs` and `config-file` volumes, and the checksum of the config files (undefined without any). */
export interface PodVolumes {
  readonly mounts: kplus.VolumeMount[];
  readonly configChecksum?: string;
}

/**
 * Renders the pod-level volumes of a component under `scope`: an emptyDir per `memoryfs`
 * volume, and per `config-file` volume a ConfigMap `<component>-<volume>` mounted read-only
 * with `subPath` (a subPath mount never sees ConfigMap updates, hence the checksum that rolls the pods).
 */
export function renderPodVolumes(scope: Construct, componentName: string, namespace: string, volumes: ComponentVolume[]): PodVolumes {
  const mounts: kplus.VolumeMount[] = [];
  const files: { [key: string]: string } = {};
  for (const volume of volumes) {
    const type = volumeTypeOf(volume);
    if (type === VolumeType.MEMORYFS) {
      mounts.push({
        path: volume.mountPath,
        volume: kplus.Volume.fromEmptyDir(scope, `EmptyDir-${volume.name}`, volume.name, {
          medium: volume.memory ? kplus.EmptyDirMedium.MEMORY : undefined,
          sizeLimit: volume.size,
        }),
      });
    } else if (type === VolumeType.CONFIG_FILE) {
      const key = configFileKey(volume);
      const mode = volume.fileMode ?? DEFAULT_CONFIG_FILE_MODE;
      const configMap = addConfigMap(scope, `ConfigFile-${volume.name}`, { name: configFileConfigMapName(componentName, volume.name), namespace },
        { [key]: volume.content ?? '' });
      mounts.push({
        path: volume.mountPath,
        subPath: key,
        readOnly: true,
        volume: kplus.Volume.fromConfigMap(scope, `ConfigFileVolume-${volume.name}`, configMap, { name: volume.name, defaultMode: mode }),
      });
      files[`${volume.name}/${key}/${mode.toString(8)}`] = volume.content ?? '';
    }
  }
  return { mounts, configChecksum: Object.keys(files).length > 0 ? contentChecksum(files) : undefined };
}

/** Name of the ConfigMap of a `config-file` volume: `<component>-<volume>`. */
export function configFileConfigMapName(componentName: string, volumeName: string): string {
  return `${componentName}-${volumeName}`;
}

/**
 * Records every `config-file` volume whose ConfigMap `<component>-<volume>` the preset, bound under
 * `scope` before, already renders: the volume's name is what to change.
 */
export function checkConfigFileNames(scope: Construct, componentName: string, volumes: ComponentVolume[], presetVolumes: number,
  problems: ProblemList): void {
  const taken = new Set(scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && c.kind === 'ConfigMap').map(c => c.name));
  volumes.forEach((volume, index) => {
    if (volumeTypeOf(volume) !== VolumeType.CONFIG_FILE) return;
    const name = configFileConfigMapName(componentName, volume.name);
    if (taken.has(name)) {
      problems.add(`${volumePath(presetVolumes, index)}.name`, `config-file volume '${volume.name}' would render the ConfigMap '${name}', which the component's preset already renders`,
        `give the volume another name, e.g. '${volume.name}-file'`);
    }
  });
}
