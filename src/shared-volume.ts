import type { RainbondComponent } from './component';

/**
 * A volume of another component mounted into this one (Rainbond's 挂载共享存储): only a
 * `share-file` volume of a stateless component, ReadWriteMany (or ReadOnlyMany, mounted
 * read-only), in the same namespace. A stateful component's volumes are one claim per
 * instance and can never be shared.
 */
export interface SharedVolumeMount {
  /** The component that owns the volume. */
  readonly component: RainbondComponent;

  /** Name of the volume in the owner's `volumes`. */
  readonly volumeName: string;

  /** Absolute path where every container of this component mounts it. */
  readonly mountPath: string;

  /**
   * Mount it read-only.
   * @default false
   */
  readonly readOnly?: boolean;
}
