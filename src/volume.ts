import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

/**
 * Persistent storage of a component.
 *
 * A stateful component gets one PersistentVolumeClaim per instance from a
 * `volumeClaimTemplates` entry (`<name>-<component>-<ordinal>`); a stateless
 * component gets one PersistentVolumeClaim (`<component>-<name>`) shared by all its pods.
 * Every volume is mounted into every container of the component.
 */
export interface ComponentVolume {
  /**
   * Volume name: a DNS-1123 label, unique within the component.
   * It names the claim template (stateful) or is part of the claim name (stateless).
   */
  readonly name: string;

  /** Absolute path where the volume is mounted in every container. */
  readonly mountPath: string;

  /**
   * Requested capacity.
   * @default Size.gibibytes(10)
   */
  readonly size?: Size;

  /**
   * StorageClass of the claim.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;

  /**
   * Access mode of the claim.
   * @default - ReadWriteMany for STATELESS_MULTIPLE (its pods share the claim), ReadWriteOnce otherwise
   */
  readonly accessMode?: kplus.PersistentVolumeAccessMode;
}
