import { claimMountPaths, ComponentChange, componentId, ComponentState, imagesOf, perInstanceClaims } from '../component-state';
import { describeObject } from '../manifest';
import { GuardRule, GuardSeverity } from '../report';
import { nsFlag, RuleDefinition, RuleFinding } from './rule';

function stsName(state: ComponentState): string {
  return state.workload?.metadata.name ?? state.name;
}

/** `whenDeleted` of the StatefulSet's claim retention policy (Kubernetes defaults it to Retain). */
function whenDeleted(state: ComponentState): string {
  return state.workload?.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted ?? 'Retain';
}

function claimRefs(state: ComponentState, claims: string[]): string[] {
  return claims.map(c => describeObject('PersistentVolumeClaim', state.namespace, c));
}

/** Removed (and not renamed): with Retain a notice, the claims stay behind. */
function checkRemoved(change: ComponentChange): RuleFinding[] {
  const { before, after } = change;
  if (!before || after || change.renamedTo || !before.stateful || before.claimTemplates.length === 0) return [];
  if (whenDeleted(before) === 'Delete') return [];
  const claims = perInstanceClaims(before, 0, Math.max(before.replicas, 1));
  return [{
    rule: GuardRule.STATEFUL_COMPONENT_REMOVED,
    objects: [describeObject('StatefulSet', before.namespace, stsName(before)), ...claimRefs(before, claims)],
    message: `stateful component ${before.name} is no longer in the manifests: once its StatefulSet is deleted, the claims ${claims.join(', ')} stay behind with their data `
      + '(claim retention whenDeleted: Retain)',
    steps: [
      'If it was removed by accident, keep it in the manifests',
      `If it was removed on purpose, back up and delete the claims once no longer needed: kubectl delete pvc${nsFlag(before.namespace)} ${claims.join(' ')}`,
    ],
  }];
}

/** Removed with `whenDeleted: Delete`: the StatefulSet controller deletes the claims with the StatefulSet (Kubernetes 1.27+). */
function checkClaimsDeleted(change: ComponentChange): RuleFinding[] {
  const { before, after } = change;
  if (!before || after || change.renamedTo || !before.stateful || before.claimTemplates.length === 0) return [];
  if (whenDeleted(before) !== 'Delete') return [];
  const claims = perInstanceClaims(before, 0, Math.max(before.replicas, 1));
  const sts = stsName(before);
  const ns = nsFlag(before.namespace);
  return [{
    rule: GuardRule.STATEFUL_CLAIMS_DELETED,
    objects: [describeObject('StatefulSet', before.namespace, sts), ...claimRefs(before, claims)],
    message: `stateful component ${before.name} is no longer in the manifests and its StatefulSet has persistentVolumeClaimRetentionPolicy whenDeleted: Delete: `
      + `deleting the StatefulSet deletes the claims ${claims.join(', ')} and, with the usual reclaim policy Delete, their volumes and data`,
    steps: [
      'If it was removed by accident, keep it in the manifests',
      `To keep the data: first set whenDeleted: Retain on the live StatefulSet: kubectl patch statefulset ${sts}${ns} --type merge -p '{"spec":{"persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Retain"}}}'`,
      `Back up the data of ${claims.join(', ')} before the apply if it matters`,
      `Then acknowledge with --allow ${GuardRule.STATEFUL_CLAIMS_DELETED}`,
    ],
  }];
}

/** A stateful component renamed (same namespace) or moved (same name, another namespace). */
function checkRenamed(change: ComponentChange): RuleFinding[] {
  const { before, renamedTo: to } = change;
  if (!before || !to) return [];
  const moved = before.name === to.name;
  const oldClaims = perInstanceClaims(before, 0, Math.max(before.replicas, 1));
  const newClaims = perInstanceClaims(to, 0, Math.max(to.replicas, 1));
  const oldSts = stsName(before);
  const oldNs = nsFlag(before.namespace);
  const what = moved
    ? `moves from namespace ${before.namespace || '(none)'} to ${to.namespace || '(none)'}`
    : `is renamed to ${to.name}`;
  const deleted = whenDeleted(before) === 'Delete';
  const mounts = claimMountPaths(before);
  const templates = before.claimTemplates.map(t => {
    const paths = mounts.filter(m => m.startsWith(`${t.name}=`)).map(m => m.slice(t.name.length + 1));
    return `${t.name}${t.storage ? ` (${t.storage})` : ''}${paths.length ? ` at ${paths.join(', ')}` : ''}`;
  });
  const why = moved ? '' : ` (matched by what it stores, whatever the name and image: deploy type ${before.deployType}${before.preset ? `, preset ${before.preset}` : ''}, `
    + `claim template${templates.length === 1 ? '' : 's'} ${templates.join(', ')})`;
  const oldImages = imagesOf(before).join(', ');
  const newImages = imagesOf(to).join(', ');
  const image = !moved && oldImages !== newImages ? `; the image also changes (${oldImages} -> ${newImages}), which does not carry the data over` : '';
  const dependants = moved ? '' : `; dependants that follow the new name connect to ${to.name}, a new, empty database`;
  return [{
    rule: GuardRule.STATEFUL_COMPONENT_RENAMED,
    objects: [describeObject('StatefulSet', before.namespace, oldSts), describeObject('StatefulSet', to.namespace, stsName(to)),
      ...claimRefs(before, oldClaims), ...claimRefs(to, newClaims)],
    message: `stateful component ${before.name} ${what}: the new StatefulSet starts on new, empty claims ${newClaims.join(', ')} `
      + `while the data stays in ${oldClaims.join(', ')}`
      + (deleted ? ' (and the old claims are deleted with the old StatefulSet: whenDeleted: Delete)' : '')
      + `${why}${image}${dependants}`,
    steps: [
      moved ? 'If the move is not intended, keep the namespace' : `If the rename is not intended, keep the old name (componentName: '${before.name}')`,
      `Stop the old component: kubectl scale statefulset ${oldSts}${oldNs} --replicas=0, and wait until its pods are gone`,
      ...(deleted ? [`Keep its claims when it is deleted: kubectl patch statefulset ${oldSts}${oldNs} --type merge -p '{"spec":{"persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Retain"}}}'`] : []),
      moved
        ? `Claims can't be mounted across namespaces: back up ${oldClaims.join(', ')} and restore into ${newClaims.join(', ')}, or re-bind each volume: `
          + 'set its PersistentVolume to persistentVolumeReclaimPolicy: Retain, delete the old claim, remove the volume\'s spec.claimRef, '
          + `and create the new claim in ${to.namespace || 'the new namespace'} with spec.volumeName set to that volume`
        : `Pre-create ${newClaims.join(', ')} with the claim template's spec and copy the data from ${oldClaims.join(', ')} (ordinal by ordinal, e.g. a one-off pod mounting both); `
          + 'the StatefulSet controller adopts an existing claim of that name',
      'Apply the new manifests, check the data, and delete the old StatefulSet if your pipeline does not prune',
      `Once the component runs on the migrated data, delete the old claims: kubectl delete pvc${oldNs} ${oldClaims.join(' ')}`,
      `Then acknowledge with --allow ${GuardRule.STATEFUL_COMPONENT_RENAMED}:${componentId(before.namespace, before.name)}`,
      ...(moved ? [] : [`If ${before.name} and ${to.name} are different systems (${before.name} retired with its data kept, ${to.name} new and meant to start empty), `
        + `acknowledge with --allow ${GuardRule.STATEFUL_COMPONENT_RENAMED}:${componentId(before.namespace, before.name)} without migrating`]),
    ],
  }];
}

/** A stateless component's claim object disappears (component removed, or volume dropped). */
function checkSharedClaimRemoved(change: ComponentChange): RuleFinding[] {
  const { before, after } = change;
  if (!before || before.stateful) return [];
  // a stateless -> stateful switch names the orphaned claim in its own finding
  if (after?.stateful && after.claimTemplates.length > 0) return [];
  const remaining = new Set(after?.claims.map(c => c.metadata.name) ?? []);
  const gone = before.claims.map(c => c.metadata.name).filter(n => !remaining.has(n)).sort();
  if (gone.length === 0) return [];
  const ns = nsFlag(before.namespace);
  return [{
    rule: GuardRule.SHARED_CLAIM_REMOVED,
    objects: claimRefs(before, gone),
    message: `the claim ${gone.join(', ')} of ${after ? '' : 'removed '}stateless component ${before.name} is no longer in the manifests: `
      + 'a pruning apply (kubectl apply --prune, Argo CD with prune, Flux) deletes it, and a dynamically provisioned volume '
      + '(reclaim policy Delete, the default) is deleted with its data',
    steps: [
      `Back up the data of ${gone.join(', ')} if it matters`,
      `To keep the volume whatever happens to the claim: kubectl patch pv $(kubectl get pvc${ns} ${gone[0]} -o jsonpath='{.spec.volumeName}') -p '{"spec":{"persistentVolumeReclaimPolicy":"Retain"}}'`
        + (gone.length > 1 ? ' (likewise for each claim)' : ''),
      'Or keep the claim out of pruning: annotate it argocd.argoproj.io/sync-options: Prune=false (Argo CD) or kustomize.toolkit.fluxcd.io/prune: disabled (Flux)',
      `Without a pruning apply the claim stays: delete it later with kubectl delete pvc${ns} ${gone.join(' ')}`,
      `Then acknowledge with --allow ${GuardRule.SHARED_CLAIM_REMOVED}`,
    ],
  }];
}

export const STATEFUL_COMPONENT_REMOVED: RuleDefinition = {
  id: GuardRule.STATEFUL_COMPONENT_REMOVED,
  severity: GuardSeverity.NOTICE,
  description: 'notice: a stateful component disappears and its claims stay behind (whenDeleted: Retain)',
  check: checkRemoved,
};

export const STATEFUL_CLAIMS_DELETED: RuleDefinition = {
  id: GuardRule.STATEFUL_CLAIMS_DELETED,
  severity: GuardSeverity.BLOCKING,
  description: 'a stateful component disappears with claim retention whenDeleted: Delete (its claims and data are deleted)',
  check: checkClaimsDeleted,
};

export const STATEFUL_COMPONENT_RENAMED: RuleDefinition = {
  id: GuardRule.STATEFUL_COMPONENT_RENAMED,
  severity: GuardSeverity.BLOCKING,
  description: 'a stateful component is renamed or moved to another namespace (starts on new, empty claims; the data stays behind)',
  check: checkRenamed,
};

export const SHARED_CLAIM_REMOVED: RuleDefinition = {
  id: GuardRule.SHARED_CLAIM_REMOVED,
  severity: GuardSeverity.BLOCKING,
  description: 'a stateless component\'s claim disappears (pruning applies delete it and its dynamically provisioned volume)',
  check: checkSharedClaimRemoved,
};
