/**
 * The four Rainbond component deploy types.
 *
 * The values are Rainbond's own identifiers (`extend_method` in Rainbond's
 * database), so a manifest annotation can be read back by Rainbond tooling.
 */
export enum DeployType {
  /** StatefulSet with exactly one instance (有状态单实例). */
  STATEFUL_SINGLE = 'state_singleton',
  /** StatefulSet that scales horizontally (有状态多实例). */
  STATEFUL_MULTIPLE = 'state_multiple',
  /** Deployment with exactly one instance (无状态单实例). */
  STATELESS_SINGLE = 'stateless_singleton',
  /** Deployment that scales horizontally (无状态多实例). */
  STATELESS_MULTIPLE = 'stateless_multiple',
}
