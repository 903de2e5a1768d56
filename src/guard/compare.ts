import { isAllowed, parseAllow } from './allow';
import { ComponentChange, ComponentState, groupByComponent, linkRenames, pairComponents } from './component-state';
import { GuardInputError, optionsObject } from './load';
import { describe, KNOWN_KINDS, KubeObject, ManifestSet, objectKey } from './manifest';
import { GuardComponentReport, GuardFinding, GuardOptions, GuardReport, GuardSeverity } from './report';
import { RULES } from './rules';

function replicaSummary(state: ComponentState): string {
  if (state.autoscaler) return `autoscaled ${state.autoscaler.minReplicas}-${state.autoscaler.maxReplicas} replicas (HorizontalPodAutoscaler ${state.autoscaler.name})`;
  return `${state.replicas} replica${state.replicas === 1 ? '' : 's'}`;
}

function stateSummary(state: ComponentState): string {
  return `${state.deployType}, ${replicaSummary(state)}`;
}

/** One line on how the component changes, e.g. `state_multiple, 3 -> 5 replicas, preset etcd`. */
export function describeChange(change: ComponentChange): string {
  const { before, after } = change;
  if (!before) return `added (${stateSummary(after!)})`;
  if (!after) return `removed (was ${stateSummary(before)})`;
  const type = before.deployType === after.deployType ? after.deployType : `${before.deployType} -> ${after.deployType}`;
  const preset = after.preset ?? before.preset;
  const suffix = preset ? `, preset ${preset}` : '';
  if (before.autoscaler || after.autoscaler) {
    const b = replicaSummary(before);
    const a = replicaSummary(after);
    return `${type}, ${b === a ? a : `${b} -> ${a}`}${suffix}`;
  }
  const replicas = before.replicas === after.replicas ? `${after.replicas}` : `${before.replicas} -> ${after.replicas}`;
  return `${type}, ${replicas} replica${replicas === '1' ? '' : 's'}${suffix}`;
}

/** Objects of components that the guard does not know the kind of. */
function unknownKinds(changes: ComponentChange[]): string[] {
  const seen = new Map<string, string>();
  for (const change of changes) {
    for (const state of [change.before, change.after]) {
      for (const obj of state?.objects.values() ?? []) {
        if (!KNOWN_KINDS.has(obj.kind)) seen.set(objectKey(obj), `${describe(obj)}: unknown kind ${obj.kind}, not checked`);
      }
    }
  }
  return [...seen.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, reason]) => reason);
}

/** Objects not made by cdk8s-rainbond, from both sides. */
function foreignObjects(foreign: KubeObject[]): string[] {
  const seen = new Map<string, string>();
  for (const obj of foreign) seen.set(objectKey(obj), `${describe(obj)}: not made by cdk8s-rainbond (no rainbond.io/component annotation)`);
  return [...seen.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, reason]) => reason);
}

/**
 * Compares what is deployed now (`before`) with what is about to be applied
 * (`after`), component by component, and reports every rule violation.
 */
export function compareManifests(before: ManifestSet, after: ManifestSet, options: GuardOptions | null = {}): GuardReport {
  const allow = parseAllow(optionsObject<GuardOptions>(options, 'options (GuardOptions)', '{ allow: [\'<rule>:<component>\'] }').allow ?? []);
  const b = groupByComponent(before);
  const a = groupByComponent(after);
  if (b.components.size === 0 && a.components.size === 0) {
    throw new GuardInputError(`neither ${before.source} nor ${after.source} contains objects made by cdk8s-rainbond`
      + ' (annotation rainbond.io/component); the guard has nothing to check');
  }
  const changes = linkRenames(pairComponents(b.components, a.components));
  const components: GuardComponentReport[] = changes.map(change => {
    const findings: GuardFinding[] = RULES.flatMap(rule => rule.check(change).map(f => {
      const severity = f.severity ?? rule.severity;
      return {
        ...f,
        severity,
        namespace: change.namespace,
        component: change.name,
        acknowledged: severity === GuardSeverity.BLOCKING && isAllowed(allow, rule.id, change.namespace, change.name),
      };
    }));
    findings.sort((x, y) => rank(x) - rank(y));
    return { namespace: change.namespace, component: change.name, change: describeChange(change), findings };
  });
  const all = components.flatMap(c => c.findings);
  const blockingCount = all.filter(f => f.severity === GuardSeverity.BLOCKING && !f.acknowledged).length;
  return {
    components,
    blocked: blockingCount > 0,
    blockingCount,
    noticeCount: all.filter(f => f.severity === GuardSeverity.NOTICE).length,
    acknowledgedCount: all.filter(f => f.acknowledged).length,
    skipped: unknownKinds(changes),
    foreign: foreignObjects([...b.foreign, ...a.foreign]),
  };
}

/** Blocking first, then acknowledged, then notices. */
function rank(finding: GuardFinding): number {
  if (finding.severity === GuardSeverity.NOTICE) return 2;
  return finding.acknowledged ? 1 : 0;
}
