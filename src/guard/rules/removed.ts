import { ComponentChange, perInstanceClaims } from '../component-state';
import { describeObject } from '../manifest';
import { GuardRule, GuardSeverity } from '../report';
import { nsFlag, RuleDefinition, RuleFinding } from './rule';

/** A stateful component with claim templates is gone from the new manifests (removed, or renamed). */
function check(change: ComponentChange): RuleFinding[] {
  const { before, after } = change;
  if (!before || after || !before.stateful || before.claimTemplates.length === 0) return [];
  const sts = before.workload?.metadata.name ?? before.name;
  const claims = perInstanceClaims(before, 0, Math.max(before.replicas, 1));
  return [{
    rule: GuardRule.STATEFUL_COMPONENT_REMOVED,
    objects: [describeObject('StatefulSet', before.namespace, sts), ...claims.map(c => describeObject('PersistentVolumeClaim', before.namespace, c))],
    message: `stateful component ${before.name} is no longer in the manifests: once its StatefulSet is deleted, the claims ${claims.join(', ')} stay behind with their data; `
      + 'if the component was renamed, the new name gets new, empty claims',
    steps: [
      'If it was renamed by accident, keep the old name (componentName) so the StatefulSet keeps its claims',
      'If it was renamed on purpose, stop it and copy the data into the new component\'s claims before it starts',
      `If it was removed on purpose, back up and delete the claims: kubectl delete pvc${nsFlag(before.namespace)} ${claims.join(' ')}`,
    ],
  }];
}

export const STATEFUL_COMPONENT_REMOVED: RuleDefinition = {
  id: GuardRule.STATEFUL_COMPONENT_REMOVED,
  severity: GuardSeverity.NOTICE,
  description: 'notice: a stateful component disappears (removed or renamed) and leaves its claims behind',
  check,
};
