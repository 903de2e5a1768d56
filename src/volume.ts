import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

/**
 * Rainbond volume types (the `volume_type` identifiers of Rainbond's component volumes).
 */
export enum VolumeType {
  /**
   * Persistent claim (共享存储): one claim per instance from a `volumeClaimTemplates` entry for
   * stateful types; one claim shared by all pods for stateless types (which other components
   * of the namespace can mount, see `sharedVolumes`).
   */
  SHARE_FILE = 'share-file',
  /**
   * Node-local persistent storage (本地存储): a claim per instance from a StorageClass that
   * provisions on the node the pod runs on (default `local-path`, the rancher
   * local-path-provisioner Rainbond installs). Stateful types only, single writer
   * (ReadWriteOnce); the instance stays on the node that holds its data.
   */
  LOCAL = 'local',
  /**
   * Temporary storage (临时存储): an `emptyDir` that lives as long as the pod, optionally
   * memory-backed (`memory: true`) with a size limit (`size`). Never a claim; it needs no
   * `Recreate` strategy and never blocks a deploy-type switch.
   */
  MEMORYFS = 'memoryfs',
  /**
   * A configuration file (配置文件): `content` rendered into a ConfigMap the component owns and
   * mounted read-only with `subPath` at `mountPath` (the file, not a directory). A change of
   * `content` or `fileMode` rolls the pods.
   */
  CONFIG_FILE = 'config-file',
}

/**
 * A volume of a component, of one of Rainbond's volume types.
 *
 * `share-file` and `local` volumes are persistent: a stateful component gets one
 * PersistentVolumeClaim per instance from a `volumeClaimTemplates` entry
 * (`<name>-<component>-<ordinal>`); a stateless component gets one PersistentVolumeClaim
 * (`<component>-<name>`) shared by all its pods. `memoryfs` volumes are `emptyDir`s,
 * `config-file` volumes a ConfigMap (`<component>-<name>`).
 * Every volume is mounted into every container and init container of the component.
 */
export interface ComponentVolume {
  /**
   * Volume name: a DNS-1123 label, unique within the component.
   * It names the claim template (stateful) or is part of the claim name (stateless).
   */
  readonly name: string;

  /**
   * Absolute path where the volume is mounted in every container. For a `config-file`
   * volume, the path of the file itself; its last segment is the ConfigMap key.
   */
  readonly mountPath: string;

  /**
   * Rainbond volume type.
   * @default VolumeType.SHARE_FILE
   */
  readonly type?: VolumeType;

  /**
   * Requested capacity of a claim (`share-file`, `local`), or the size limit of a `memoryfs`
   * volume. Not allowed on `config-file` volumes. The shared claim of a stateless component takes
   * whole GiB only (cdk8s-plus-28 writes it in GiB); claim templates keep the size as given.
   * @default - Size.gibibytes(10) for claims; no limit for memoryfs
   */
  readonly size?: Size;

  /**
   * StorageClass of the claim (`share-file`, `local` only).
   * @default - the cluster's default StorageClass; 'local-path' for `local` volumes
   */
  readonly storageClassName?: string;

  /**
   * Access mode of the claim (`share-file`, `local` only; `local` allows only ReadWriteOnce or ReadWriteOncePod).
   * @default - ReadWriteMany for a share-file volume of STATELESS_MULTIPLE (its pods share the claim), ReadWriteOnce otherwise
   */
  readonly accessMode?: kplus.PersistentVolumeAccessMode;

  /**
   * Back a `memoryfs` volume with memory (tmpfs, `medium: Memory`); its contents count
   * against the container's memory limit. Only for `memoryfs`.
   * @default false
   */
  readonly memory?: boolean;

  /**
   * Content of a `config-file` volume (required for that type, not allowed on others).
   * @default - none
   */
  readonly content?: string;

  /**
   * File mode of a `config-file` volume, e.g. `0o644`. Only for `config-file`.
   * @default 0o644
   */
  readonly fileMode?: number;
}
