import { ComponentChange, perInstanceClaims } from '../component-state';
import { describeObject } from '../manifest';
import { GuardRule, GuardSeverity } from '../report';
import { nsFlag, RuleDefinition, RuleFinding } from './rule';

/** Fewer instances of a stateful component: the claims of the removed ordinals outlive them. */
function check(change: ComponentChange): RuleFinding[] {
  const { before, after } = change;
  if (!before || !after || !before.stateful || !after.stateful || after.replicas >= before.replicas) return [];
  // the autoscaler owns the replica count: the manifests say nothing about how many pods run
  if (before.autoscaler || after.autoscaler) return [];
  const sts = after.workload?.metadata.name ?? after.name;
  const claims = perInstanceClaims(before, after.replicas, before.replicas);
  const pods = Array.from({ length: before.replicas - after.replicas }, (_, i) => `${sts}-${after.replicas + i}`);
  const deleted = after.workload?.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete';
  const ns = nsFlag(after.namespace);
  const claimList = claims.join(', ') || '(none: no claim templates)';
  return [{
    rule: GuardRule.STATEFUL_SCALE_DOWN,
    objects: [describeObject('StatefulSet', after.namespace, sts), ...claims.map(c => describeObject('PersistentVolumeClaim', after.namespace, c))],
    message: `stateful component ${after.name} scales down from ${before.replicas} to ${after.replicas}: ${pods.length === 1 ? 'pod' : 'pods'} ${pods.join(', ')} ${pods.length === 1 ? 'goes' : 'go'} away and `
      + (deleted
        ? `${claims.length === 1 ? 'its claim' : 'their claims'} ${claimList} ${claims.length === 1 ? 'is' : 'are'} deleted with their data (whenScaled: Delete)`
        : `${claims.length === 1 ? 'its claim' : 'their claims'} ${claimList} ${claims.length === 1 ? 'is' : 'are'} retained with stale data that a later scale-up would silently reuse`),
    steps: deleted
      ? [`Back up ${claimList} before applying if the data matters`, `Then acknowledge with --allow ${GuardRule.STATEFUL_SCALE_DOWN}`]
      : [
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
