import { ComponentChange, perInstanceClaims } from '../component-state';
import { describeObject } from '../manifest';
import { GuardRule, GuardSeverity } from '../report';
import { nsFlag, RuleDefinition, RuleFinding } from './rule';

/**
 * Fewer instances of a stateful component: the claims of the removed ordinals outlive them. A component
 * whose new manifests hand the count to an autoscaler is the autoscaler's to scale; one taken off its
 * autoscaler may be running as many pods as the autoscaler's maxReplicas, and the StatefulSet controller
 * deletes every pod at or above the new fixed count.
 */
function check(change: ComponentChange): RuleFinding[] {
  const { before, after } = change;
  if (!before || !after || !before.stateful || !after.stateful || after.replicas >= before.replicas) return [];
  if (after.autoscaler) return [];
  const sts = after.workload?.metadata.name ?? after.name;
  const claims = perInstanceClaims(before, after.replicas, before.replicas);
  const pods = Array.from({ length: before.replicas - after.replicas }, (_, i) => `${sts}-${after.replicas + i}`);
  const deleted = after.workload?.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete';
  const ns = nsFlag(after.namespace);
  const claimList = claims.join(', ') || '(none: no claim templates)';
  const autoscaler = before.autoscaler;
  const what = autoscaler
    ? `stateful component ${after.name} leaves HorizontalPodAutoscaler ${autoscaler.name}, which may run up to ${before.replicas} instances, for a fixed ${after.replicas}: `
      + `any of pods ${pods.join(', ')} that run go away and `
    : `stateful component ${after.name} scales down from ${before.replicas} to ${after.replicas}: ${pods.length === 1 ? 'pod' : 'pods'} ${pods.join(', ')} ${pods.length === 1 ? 'goes' : 'go'} away and `;
  return [{
    rule: GuardRule.STATEFUL_SCALE_DOWN,
    objects: [describeObject('StatefulSet', after.namespace, sts), ...claims.map(c => describeObject('PersistentVolumeClaim', after.namespace, c))],
    message: what
      + (deleted
        ? `${claims.length === 1 ? 'its claim' : 'their claims'} ${claimList} ${claims.length === 1 ? 'is' : 'are'} deleted with their data (whenScaled: Delete)`
        : `${claims.length === 1 ? 'its claim' : 'their claims'} ${claimList} ${claims.length === 1 ? 'is' : 'are'} retained with stale data that a later scale-up would silently reuse`),
    steps: deleted
      ? [`Back up ${claimList} before applying if the data matters`, `Then acknowledge with --allow ${GuardRule.STATEFUL_SCALE_DOWN}`]
      : [
        ...autoscaler ? [`See how many run now: kubectl get statefulset ${sts}${ns} -o jsonpath='{.spec.replicas}'`] : [],
        after.preset ? 'Remove the members from the cluster first (see quorum-member-change)' : `Make sure no data lives only on ${pods.join(', ')}`,
        'Apply the scale-down',
        claims.length ? `Delete the retained claims so a later scale-up starts clean: kubectl delete pvc${ns} ${claims.join(' ')} (or keep them on purpose and note it)` : 'No claims to clean up',
        `Then acknowledge with --allow ${GuardRule.STATEFUL_SCALE_DOWN}`,
      ],
  }];
}

export const STATEFUL_SCALE_DOWN: RuleDefinition = {
  id: GuardRule.STATEFUL_SCALE_DOWN,
  severity: GuardSeverity.BLOCKING,
  description: 'a stateful component loses instances (retained claims of removed ordinals keep stale data)',
  check,
};
