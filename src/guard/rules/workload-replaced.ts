import { ComponentChange, ComponentState, hasPersistentStorage } from '../component-state';
import { describeObject, KubeObject } from '../manifest';
import { GuardRule, GuardSeverity } from '../report';
import { nsFlag, RuleDefinition, RuleFinding } from './rule';

function kindOf(state: ComponentState): string {
  return state.workload?.kind ?? (state.stateful ? 'StatefulSet' : 'Deployment');
}

function workloadName(state: ComponentState): string {
  return state.workload?.metadata.name ?? state.name;
}

function services(state: ComponentState): KubeObject[] {
  return [...state.objects.values()].filter(o => o.kind === 'Service');
}

/** Client Services (cluster IP) that keep their name across the switch. */
function keptClientServices(before: ComponentState, after: ComponentState): string[] {
  const was = new Set(services(before).filter(s => s.spec?.clusterIP !== 'None').map(s => s.metadata.name));
  return services(after).filter(s => s.spec?.clusterIP !== 'None' && was.has(s.metadata.name)).map(s => s.metadata.name).sort();
}

/** Headless Services (a StatefulSet's governing Service) that the new manifests no longer have as headless. */
function droppedHeadless(before: ComponentState, after: ComponentState): string[] {
  const headlessNow = new Set(services(after).filter(s => s.spec?.clusterIP === 'None').map(s => s.metadata.name));
  return services(before).filter(s => s.spec?.clusterIP === 'None' && !headlessNow.has(s.metadata.name)).map(s => s.metadata.name).sort();
}

/**
 * A stateful <-> stateless switch of a component without persistent storage: nothing is lost, but the
 * workload is replaced, not rolled (a StatefulSet and a Deployment are different objects), and Rainbond
 * stops a component before it switches its type. A switch with storage is `deploy-type-switch`.
 */
function check(change: ComponentChange): RuleFinding[] {
  const { before, after } = change;
  if (!before || !after || before.stateful === after.stateful) return [];
  if (hasPersistentStorage(before) || hasPersistentStorage(after)) return [];
  const oldKind = kindOf(before);
  const newKind = kindOf(after);
  const oldName = workloadName(before);
  const ns = nsFlag(before.namespace);
  const kept = keptClientServices(before, after);
  const headless = droppedHeadless(before, after);
  const podNames = before.stateful ? ` (per-pod DNS names such as ${oldName}-0.${headless[0] ?? oldName} stop resolving)` : '';
  return [{
    rule: GuardRule.WORKLOAD_REPLACED,
    objects: [describeObject(oldKind, before.namespace, oldName), describeObject(newKind, after.namespace, workloadName(after)),
      ...kept.map(n => describeObject('Service', after.namespace, n))],
    message: `deploy type changes from ${before.deployType} (${oldKind}) to ${after.deployType} (${newKind}): ${oldKind} ${oldName} is deleted and `
      + `${newKind} ${workloadName(after)} is created, so all pods are replaced at once, not rolled one by one`
      + (kept.length ? `; the client Service ${kept.join(', ')} keeps its name, so clients keep their address` : '')
      + (headless.length ? `; the headless Service ${headless.join(', ')} goes away${podNames}` : '')
      + '; no persistent storage, so no data is lost',
    steps: [
      `Stop the component first, as Rainbond does before a switch: kubectl scale ${oldKind.toLowerCase()} ${oldName}${ns} --replicas=0, and wait until its pods are gone`,
      `Apply the new manifests; without a pruning apply also delete the old workload: kubectl delete ${oldKind.toLowerCase()} ${oldName}${ns} `
        + `(until then it keeps running${kept.length ? ` and ${kept.join(', ')} sends traffic to the pods of both` : ''})`,
      'Expect the component to be unavailable from the stop until the new pods are ready: apply in a maintenance window',
    ],
  }];
}

export const WORKLOAD_REPLACED: RuleDefinition = {
  id: GuardRule.WORKLOAD_REPLACED,
  severity: GuardSeverity.NOTICE,
  description: 'notice: stateful <-> stateless switch without persistent storage (the workload is deleted and recreated, all pods replaced at once)',
  check,
};
