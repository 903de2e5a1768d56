import { DeployType } from './deploy-type';

/** Whether a deploy type runs as a StatefulSet. */
export function isStatefulDeployType(deployType: DeployType): boolean {
  return deployType === DeployType.STATEFUL_SINGLE || deployType === DeployType.STATEFUL_MULTIPLE;
}

/** Whether a deploy type is pinned to exactly one instance. */
export function isSingleDeployType(deployType: DeployType): boolean {
  return deployType === DeployType.STATEFUL_SINGLE || deployType === DeployType.STATELESS_SINGLE;
}
