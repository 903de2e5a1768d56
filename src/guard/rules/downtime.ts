import { ComponentChange } from '../component-state';
import { describeObject } from '../manifest';
import { GuardRule, GuardSeverity } from '../report';
import { semanticEqual } from '../semantic';
import { CDK8S_ADDR_LABEL, changedTemplateFields, constructAddress, withServerDefaults } from '../template-diff';
import { RuleDefinition, RuleFinding } from './rule';

/** Changed fields named in the message; the rest are counted. */
const MAX_FIELDS = 5;

/** An update of a single-instance stateful component: the only pod is stopped, then started again. */
function check(change: ComponentChange): RuleFinding[] {
  const { before, after } = change;
  if (!before?.stateful || !after?.stateful || before.replicas !== 1 || after.replicas !== 1 || before.autoscaler || after.autoscaler) return [];
  // server defaults on both sides: a live StatefulSet (kubectl get -o yaml) as the before has them filled in
  const beforeTemplate = withServerDefaults(before.workload?.spec?.template);
  const afterTemplate = withServerDefaults(after.workload?.spec?.template);
  if (semanticEqual(beforeTemplate, afterTemplate)) return [];
  const sts = after.workload?.metadata.name ?? after.name;
  const fields = changedTemplateFields(beforeTemplate, afterTemplate);
  const shown = fields.length > MAX_FIELDS ? [...fields.slice(0, MAX_FIELDS), `and ${fields.length - MAX_FIELDS} more`] : fields;
  const oldAddr = constructAddress(before.workload?.spec?.template);
  const newAddr = constructAddress(after.workload?.spec?.template);
  const moved = oldAddr !== undefined && newAddr !== undefined && oldAddr !== newAddr;
  const onlyMoved = moved && fields.length === 1;
  const why = moved
    ? `; the label ${CDK8S_ADDR_LABEL} changes from ${oldAddr} to ${newAddr}: cdk8s-plus derives it from the construct path, `
      + 'so the component was moved to another construct (or its construct id changed) under the same componentName'
    : '';
  return [{
    rule: GuardRule.SINGLE_INSTANCE_DOWNTIME,
    objects: [describeObject('StatefulSet', after.namespace, sts)],
    message: `single-instance stateful component ${after.name}: the pod template changes (${shown.join(', ')}), so ${sts}-0 is stopped and then started again; `
      + `the component is unavailable in between (a StatefulSet never runs two pods of one ordinal)${why}`,
    steps: [
      ...(moved ? [`${onlyMoved ? 'To avoid the restart' : `To keep ${CDK8S_ADDR_LABEL} unchanged`}, move the construct back to where it was `
        + `(the path that gives ${oldAddr}), or accept one restart`] : []),
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
