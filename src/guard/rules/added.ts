import { ComponentChange, perInstanceClaims } from '../component-state';
import { describe } from '../manifest';
import { GuardRule, GuardSeverity } from '../report';
import { RuleDefinition, RuleFinding } from './rule';

/** A component that is not deployed yet (every component of a first deployment). */
function check(change: ComponentChange): RuleFinding[] {
  const { before, after } = change;
  if (before || !after || change.renamedFrom) return [];
  const objects = [...after.objects.values()].map(describe).sort();
  const claims = after.stateful ? perInstanceClaims(after, 0, Math.max(after.replicas, 1)) : after.claims.map(c => c.metadata.name).sort();
  return [{
    rule: GuardRule.COMPONENT_ADDED,
    objects,
    message: `new component ${after.name}: the apply creates ${objects.length} object(s)`
      + (claims.length > 0 ? `; its claims ${claims.join(', ')} start empty` : ''),
    steps: claims.length > 0
      ? [`If its data should come from an earlier deployment, restore it into ${claims.join(', ')} before the first start `
        + '(pre-create the claims with the same spec; the workload uses an existing claim of that name)']
      : ['Nothing to do before the apply'],
  }];
}

export const COMPONENT_ADDED: RuleDefinition = {
  id: GuardRule.COMPONENT_ADDED,
  severity: GuardSeverity.NOTICE,
  description: 'notice: a component that is not deployed yet (every component of a first deployment); its claims start empty',
  check,
};
