import { ComponentChange, ComponentState, hasPersistentStorage, mountedClaimNames, perInstanceClaims } from '../component-state';
import { describeObject, VOLUME_TYPE_LOCAL } from '../manifest';
import { GuardRule, GuardSeverity } from '../report';
import { nsFlag, RuleDefinition, RuleFinding } from './rule';

/** Names of the shared claims a stateless component uses (its PVC objects and mounted claims). */
function sharedClaims(state: ComponentState): string[] {
  return [...new Set([...state.claims.map(c => c.metadata.name), ...mountedClaimNames(state.workload)])].sort();
}

function workloadRef(state: ComponentState): string {
  return describeObject(state.workload?.kind ?? (state.stateful ? 'StatefulSet' : 'Deployment'), state.namespace, state.workload?.metadata.name ?? state.name);
}

function statefulToStateless(before: ComponentState, after: ComponentState): RuleFinding {
  const orphaned = perInstanceClaims(before, 0, Math.max(before.replicas, 1));
  const fresh = sharedClaims(after).filter(n => !orphaned.includes(n));
  const ns = nsFlag(after.namespace);
  const local = before.claimTemplates.filter(t => t.volumeType === VOLUME_TYPE_LOCAL).map(t => t.name);
  const localNote = local.length > 0
    ? `; the volume${local.length === 1 ? '' : 's'} ${local.join(', ')} ${local.length === 1 ? 'is' : 'are'} of type local (node-local, single writer), `
      + 'which a stateless component can\'t have (Rainbond refuses local volumes on stateless types): give it a share-file volume instead'
    : '';
  return {
    rule: GuardRule.DEPLOY_TYPE_SWITCH,
    objects: [workloadRef(before), workloadRef(after), ...orphaned.map(n => describeObject('PersistentVolumeClaim', before.namespace, n)),
      ...fresh.map(n => describeObject('PersistentVolumeClaim', after.namespace, n))],
    message: `deploy type changes from ${before.deployType} (StatefulSet) to ${after.deployType} (Deployment): `
      + `the per-instance claims ${orphaned.join(', ') || '(none)'} would be orphaned with their data, `
      + `and the Deployment would start on ${fresh.length ? `the new, empty claim ${fresh.join(', ')}` : 'no persistent volume at all'}${localNote}`,
    steps: [
      `Stop the component first (Rainbond only switches a stopped component): kubectl scale statefulset ${before.workload?.metadata.name ?? before.name}${ns} --replicas=0, and wait until its pods are gone`,
      `Back up the data of ${orphaned.join(', ') || 'the per-instance claims'}`,
      fresh.length
        ? `Create ${fresh.join(', ')} (apply only that PersistentVolumeClaim) and copy the data into it from ${orphaned[0] ?? 'the old claim'}, e.g. with a one-off pod that mounts both claims`
        : 'Add a volume to the stateless component if it must keep the data, then copy the data into its claim',
      `Apply the new manifests and delete the old StatefulSet if your pipeline does not prune: kubectl delete statefulset ${before.workload?.metadata.name ?? before.name}${ns}`,
      `Once the component runs on the migrated data, delete the orphaned claims: kubectl delete pvc${ns} ${orphaned.join(' ')}`,
      `Then acknowledge the switch with --allow ${GuardRule.DEPLOY_TYPE_SWITCH}`,
    ],
  };
}

function statelessToStateful(before: ComponentState, after: ComponentState): RuleFinding {
  const orphaned = sharedClaims(before);
  const fresh = perInstanceClaims(after, 0, Math.max(after.replicas, 1));
  const ns = nsFlag(after.namespace);
  const sts = after.workload?.metadata.name ?? after.name;
  return {
    rule: GuardRule.DEPLOY_TYPE_SWITCH,
    objects: [workloadRef(before), workloadRef(after), ...orphaned.map(n => describeObject('PersistentVolumeClaim', before.namespace, n)),
      ...fresh.map(n => describeObject('PersistentVolumeClaim', after.namespace, n))],
    message: `deploy type changes from ${before.deployType} (Deployment) to ${after.deployType} (StatefulSet): `
      + `the shared claim ${orphaned.join(', ') || '(none)'} would be orphaned with its data, `
      + `and the StatefulSet would start on ${fresh.length ? `new, empty per-instance claims ${fresh.join(', ')}` : 'no persistent volume at all'}`,
    steps: [
      `Stop the component first (Rainbond only switches a stopped component): kubectl scale deployment ${before.workload?.metadata.name ?? before.name}${ns} --replicas=0, and wait until its pods are gone`,
      `Back up the data of ${orphaned.join(', ') || 'the shared claim'}`,
      fresh.length
        ? `Pre-create ${fresh[0]} with the StatefulSet's claim template spec and copy the data into it (the StatefulSet controller adopts an existing claim of that name); decide how the other instances get their data`
        : 'Add a volume to the stateful component if it must keep the data, then copy the data into the claim of ordinal 0',
      `Apply the new manifests (StatefulSet ${sts}) and delete the old Deployment if your pipeline does not prune: kubectl delete deployment ${before.workload?.metadata.name ?? before.name}${ns}`
        + ` (a pruning apply also deletes ${orphaned.join(', ') || 'the old claim'} and, with reclaim policy Delete, its volume: copy the data first)`,
      `Once the component runs on the migrated data, delete the orphaned claim: kubectl delete pvc${ns} ${orphaned.join(' ')}`,
      `Then acknowledge the switch with --allow ${GuardRule.DEPLOY_TYPE_SWITCH}`,
    ],
  };
}

/**
 * A switch between stateful and stateless on a component that keeps data in persistent volumes.
 * Only claims count: Rainbond's memoryfs (emptyDir) and config-file (ConfigMap) volumes never block a switch.
 */
function check(change: ComponentChange): RuleFinding[] {
  const { before, after } = change;
  if (!before || !after || before.stateful === after.stateful) return [];
  if (!hasPersistentStorage(before) && !hasPersistentStorage(after)) return [];
  return [before.stateful ? statefulToStateless(before, after) : statelessToStateful(before, after)];
}

export const DEPLOY_TYPE_SWITCH: RuleDefinition = {
  id: GuardRule.DEPLOY_TYPE_SWITCH,
  severity: GuardSeverity.BLOCKING,
  description: 'stateful <-> stateless switch of a component with persistent storage (orphans claims, starts on an empty volume)',
  check,
};
