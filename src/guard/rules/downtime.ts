import { ComponentChange } from '../component-state';
import { describeObject } from '../manifest';
import { GuardRule, GuardSeverity } from '../report';
import { semanticEqual } from '../semantic';
import { RuleDefinition, RuleFinding } from './rule';

/** An update of a single-instance stateful component: the only pod is stopped, then started again. */
function check(change: ComponentChange): RuleFinding[] {
  const { before, after } = change;
  if (!before?.stateful || !after?.stateful || before.replicas !== 1 || after.replicas !== 1 || before.autoscaler || after.autoscaler) return [];
  if (semanticEqual(before.workload?.spec?.template, after.workload?.spec?.template)) return [];
  const sts = after.workload?.metadata.name ?? after.name;
  return [{
    rule: GuardRule.SINGLE_INSTANCE_DOWNTIME,
    objects: [describeObject('StatefulSet', after.namespace, sts)],
    message: `single-instance stateful component ${after.name}: the pod template changes, so ${sts}-0 is stopped and then started again; `
      + 'the component is unavailable in between (a StatefulSet never runs two pods of one ordinal)',
    steps: [
      'Apply in a maintenance window, or',
      'run the component with several instances (a multiple deploy type) before updating',
    ],
  }];
}

export const SINGLE_INSTANCE_DOWNTIME: RuleDefinition = {
  id: GuardRule.SINGLE_INSTANCE_DOWNTIME,
  severity: GuardSeverity.NOTICE,
  description: 'notice: an update of a single-instance stateful component is a full stop, then start (downtime)',
  check,
};
