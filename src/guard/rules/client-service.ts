import { ComponentChange, ComponentState } from '../component-state';
import { describeObject, KubeObject } from '../manifest';
import { GuardRule, GuardSeverity } from '../report';
import { RuleDefinition, RuleFinding } from './rule';

function services(state: ComponentState): KubeObject[] {
  return [...state.objects.values()].filter(o => o.kind === 'Service');
}

/** Services clients connect to: not headless, not ExternalName. */
function clientServiceNames(state: ComponentState): string[] {
  return services(state)
    .filter(s => s.spec?.clusterIP !== 'None' && s.spec?.type !== 'ExternalName')
    .map(s => s.metadata.name)
    .sort();
}

function address(name: string, namespace: string): string {
  return namespace ? `${name}.${namespace}.svc` : name;
}

/**
 * The client (cluster IP) Service of a component gets another name, e.g. `<name>` -> `<name>-client`
 * when a stateless component moves to a release that names every client Service `<name>-client`,
 * or when a deploy-type switch changes the naming.
 */
function check(change: ComponentChange): RuleFinding[] {
  const { before, after } = change;
  if (!before || !after) return [];
  const was = clientServiceNames(before);
  const now = clientServiceNames(after);
  const gone = was.filter(n => !now.includes(n));
  const added = now.filter(n => !was.includes(n));
  if (gone.length === 0 || added.length === 0) return [];
  const ns = after.namespace;
  const reusedAsHeadless = gone.filter(n => services(after).some(s => s.metadata.name === n && s.spec?.clusterIP === 'None'));
  const oldRef = gone.map(n => address(n, before.namespace)).join(', ');
  const newRef = added.map(n => address(n, ns)).join(', ');
  const steps: string[] = [];
  if (reusedAsHeadless.length > 0) {
    steps.push(`${reusedAsHeadless.join(', ')} becomes the headless governing Service: its DNS name now returns pod IPs instead of one virtual IP, `
      + `so clients that need the cluster IP must move to ${newRef} before the apply`);
  }
  const aliasable = gone.filter(n => !reusedAsHeadless.includes(n));
  if (aliasable.length > 0) {
    steps.push(`Keep the old address working: add a Service named ${aliasable.join(', ')} with the same selector and ports to your chart (an alias of ${added[0]}); `
      + 'without a pruning apply the old Service also stays in place and keeps selecting the same pods, but nothing manages it any more');
  }
  steps.push(`Move every client and dependant (connection strings, environment, config) from ${oldRef} to ${newRef}`);
  if (aliasable.length > 0) steps.push(`Once nothing uses ${aliasable.join(', ')}, remove the alias`);
  steps.push(`Then acknowledge with --allow ${GuardRule.CLIENT_SERVICE_RENAMED}`);
  return [{
    rule: GuardRule.CLIENT_SERVICE_RENAMED,
    objects: [...gone.map(n => describeObject('Service', before.namespace, n)), ...added.map(n => describeObject('Service', ns, n))],
    message: `the client Service of ${after.name} is renamed from ${gone.join(', ')} to ${added.join(', ')}: `
      + `clients and dependants that connect to ${oldRef} break once the old Service is gone (a pruning apply deletes it)`,
    steps,
  }];
}

export const CLIENT_SERVICE_RENAMED: RuleDefinition = {
  id: GuardRule.CLIENT_SERVICE_RENAMED,
  severity: GuardSeverity.BLOCKING,
  description: 'the client (cluster IP) Service of a component changes its name (clients using the old name break)',
  check,
};
