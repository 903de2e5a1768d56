import { ComponentChange } from '../component-state';
import { describeObject } from '../manifest';
import { GuardRule, GuardSeverity } from '../report';
import { nsFlag, RuleDefinition, RuleFinding } from './rule';

/**
 * A workload with a fixed replica count is handed to a HorizontalPodAutoscaler: the new manifests leave
 * spec.replicas out, and an apply that drops a field it wrote before resets it to its default of 1, so all
 * pods but one terminate until the autoscaler scales back up (Kubernetes docs, Horizontal Pod Autoscaling,
 * "Migrating Deployments and StatefulSets to horizontal autoscaling").
 */
function check(change: ComponentChange): RuleFinding[] {
  const { before, after } = change;
  if (!before?.workload || !after?.workload || before.autoscaler || !after.autoscaler) return [];
  if (typeof before.workload.spec?.replicas !== 'number' || before.replicas <= 1) return [];
  const kind = after.workload.kind;
  const name = after.workload.metadata.name;
  const ns = nsFlag(after.namespace);
  return [{
    rule: GuardRule.AUTOSCALER_HANDOVER,
    objects: [describeObject(kind, after.namespace, name), describeObject('HorizontalPodAutoscaler', after.namespace, after.autoscaler.name)],
    message: `${kind} ${name} hands its ${before.replicas} replicas to HorizontalPodAutoscaler ${after.autoscaler.name}: the apply drops spec.replicas, `
      + 'which the deployed manifests set, so it falls back to its default of 1 and all pods but one terminate until the autoscaler scales back up',
    steps: [
      'With kubectl apply (client-side, the default): first remove spec.replicas from the last applied configuration, which changes no pod count: '
        + `kubectl apply edit-last-applied ${kind.toLowerCase()}/${name}${ns} (delete the spec.replicas line, save)`,
      'With server-side apply: first hand the ownership of spec.replicas over as the server-side apply documentation describes',
      'Then apply the new manifests',
      `Then acknowledge with --allow ${GuardRule.AUTOSCALER_HANDOVER}`,
    ],
  }];
}

export const AUTOSCALER_HANDOVER: RuleDefinition = {
  id: GuardRule.AUTOSCALER_HANDOVER,
  severity: GuardSeverity.BLOCKING,
  description: 'a fixed replica count handed to a HorizontalPodAutoscaler (dropping spec.replicas resets it to 1 on apply)',
  check,
};
