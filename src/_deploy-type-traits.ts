/**
 * What each Rainbond deploy type implies, and Rainbond's limit on instances. Pure.
 * Nothing here is exported from the package index.
 */
import { DeployType } from './deploy-type';

/** Largest replica count Rainbond accepts for a component (and an autoscaler's maximum). */
export const MAX_REPLICAS = 100;

/** Every Rainbond deploy type. */
export const DEPLOY_TYPES: readonly DeployType[] = Object.values(DeployType);

/** Whether a deploy type runs as a StatefulSet. */
export function isStatefulDeployType(deployType: DeployType): boolean {
  return deployType === DeployType.STATEFUL_SINGLE || deployType === DeployType.STATEFUL_MULTIPLE;
}

/** Whether a deploy type is pinned to exactly one instance. */
export function isSingleDeployType(deployType: DeployType): boolean {
  return deployType === DeployType.STATEFUL_SINGLE || deployType === DeployType.STATELESS_SINGLE;
}
