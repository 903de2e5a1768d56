import { compareQuantities } from '../../_quantity';
import { ComponentChange } from '../component-state';
import { describe } from '../manifest';
import { GuardRule, GuardSeverity } from '../report';
import { nsFlag, RuleDefinition, RuleFinding } from './rule';

/**
 * A claim of a stateless component whose storage request grows. The API server accepts the larger
 * request only for a bound claim whose StorageClass has `allowVolumeExpansion: true`; otherwise it
 * refuses the update (core/v1 validation of a PersistentVolumeClaim update, and the
 * PersistentVolumeClaimResize admission plugin). The manifests do not say which class the cluster
 * gives the claim, so this is a notice. Per-instance claims of a StatefulSet are claim templates,
 * which cannot change at all (`immutable-field`); a shrinking claim is refused (`immutable-field`).
 */
function check(change: ComponentChange): RuleFinding[] {
  const { before, after } = change;
  if (!before || !after) return [];
  const findings: RuleFinding[] = [];
  const ns = nsFlag(after.namespace);
  for (const claim of after.claims) {
    const name = claim.metadata.name;
    const previous = before.claims.find(c => c.metadata.name === name);
    const from = previous?.spec?.resources?.requests?.storage;
    const to = claim.spec?.resources?.requests?.storage;
    if (from === undefined || to === undefined || compareQuantities(to, from) !== 1) continue;
    const storageClass = claim.spec?.storageClassName;
    const classStep = typeof storageClass === 'string'
      ? `kubectl get storageclass ${storageClass} -o jsonpath='{.allowVolumeExpansion}'`
      : `kubectl get storageclass $(kubectl get pvc ${name}${ns} -o jsonpath='{.spec.storageClassName}') -o jsonpath='{.allowVolumeExpansion}'`;
    findings.push({
      rule: GuardRule.CLAIM_EXPANSION,
      objects: [describe(claim)],
      message: `PersistentVolumeClaim ${name} grows from ${from} to ${to}: the API server accepts this only for a bound claim whose `
        + 'StorageClass allows volume expansion (allowVolumeExpansion: true) and refuses the update otherwise; the volume driver then '
        + 'expands the volume (some drivers only while no pod mounts it)',
      steps: [
        `Check that the claim's StorageClass allows expansion (prints true): ${classStep}`,
        'If it does not, keep the old size, or create a larger claim, stop the component, copy the data over and point the component at it',
        `Watch the resize: kubectl get pvc ${name}${ns} -o jsonpath='{.status.capacity.storage} {.status.conditions}'`,
      ],
    });
  }
  return findings;
}

export const CLAIM_EXPANSION: RuleDefinition = {
  id: GuardRule.CLAIM_EXPANSION,
  severity: GuardSeverity.NOTICE,
  description: 'notice: a stateless component\'s claim grows; the API server accepts it only if the claim\'s StorageClass allows volume expansion',
  check,
};
