import { isDeepStrictEqual } from 'util';
import { parseQuantity } from '../../_quantity';
import { ComponentChange } from '../component-state';
import { describe, KubeObject } from '../manifest';
import { GuardRule, GuardSeverity } from '../report';
import { nsFlag, RuleDefinition, RuleFinding } from './rule';

/** StatefulSet spec fields the API server lets an update change. */
const STATEFULSET_MUTABLE = new Set([
  'replicas', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds', 'ordinals', 'revisionHistoryLimit',
]);

/** Values the API server fills in, so leaving them out and writing them out is the same spec. */
const STATEFULSET_DEFAULTS: Record<string, unknown> = { podManagementPolicy: 'OrderedReady' };

/** A claim template as the API server stores it: no apiVersion/kind/status, volumeMode defaulted. */
function normalizeClaimTemplate(template: any): unknown {
  if (!template || typeof template !== 'object') return template;
  const { apiVersion: _a, kind: _k, status: _s, ...rest } = template;
  return { ...rest, spec: { volumeMode: 'Filesystem', ...(rest.spec ?? {}) } };
}

function normalizeStatefulSetField(field: string, value: unknown): unknown {
  if (value === undefined) return STATEFULSET_DEFAULTS[field];
  if (field === 'volumeClaimTemplates' && Array.isArray(value)) return value.map(normalizeClaimTemplate);
  return value;
}

/** Spec fields an update would change although the API server forbids it. */
export function changedImmutableStatefulSetFields(before: KubeObject, after: KubeObject): string[] {
  const b = before.spec ?? {};
  const a = after.spec ?? {};
  return [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter(f => !STATEFULSET_MUTABLE.has(f))
    .filter(f => !isDeepStrictEqual(normalizeStatefulSetField(f, b[f]), normalizeStatefulSetField(f, a[f])))
    .sort();
}

function claimTemplateNames(sts: KubeObject): string[] {
  return (sts.spec?.volumeClaimTemplates ?? []).map((t: any) => t?.metadata?.name).filter(Boolean);
}

function statefulSetFinding(before: KubeObject, after: KubeObject): RuleFinding[] {
  const fields = changedImmutableStatefulSetFields(before, after);
  if (fields.length === 0) return [];
  const name = after.metadata.name;
  const ns = nsFlag(after.metadata.namespace ?? '');
  const steps: string[] = [];
  if (fields.includes('selector')) {
    steps.push(`The running pods will not match the new selector, so they can't be adopted: stop the StatefulSet (kubectl delete statefulset ${name}${ns}; its claims are kept), then apply; expect downtime`);
  } else {
    steps.push(`Delete the StatefulSet but keep its pods and claims: kubectl delete statefulset ${name}${ns} --cascade=orphan`);
    steps.push('Apply the new manifests right away; the new StatefulSet adopts the running pods and rolls them to the new spec');
  }
  if (fields.includes('volumeClaimTemplates')) {
    const b = claimTemplateNames(before);
    const a = claimTemplateNames(after);
    const added = a.filter(n => !b.includes(n));
    const removed = b.filter(n => !a.includes(n));
    steps.push('A claim template only shapes claims created later: existing claims keep their size, class and access mode'
      + ' (grow a claim in place with kubectl patch pvc <claim> -p \'{"spec":{"resources":{"requests":{"storage":"<size>"}}}}\' if its StorageClass allows expansion)');
    if (added.length) steps.push(`New template(s) ${added.join(', ')}: each pod gets an empty claim when it is recreated`);
    if (removed.length) steps.push(`Dropped template(s) ${removed.join(', ')}: their claims stay behind with their data; delete them once no longer needed`);
  }
  if (fields.includes('serviceName')) {
    steps.push(`Pods get the new DNS subdomain only when recreated: kubectl rollout restart statefulset ${name}${ns}; update peers that address members by the old names`);
  }
  steps.push(`Then acknowledge with --allow ${GuardRule.IMMUTABLE_FIELD}`);
  return [{
    rule: GuardRule.IMMUTABLE_FIELD,
    objects: [describe(after)],
    message: `StatefulSet ${name}: the API server refuses an update of spec.${fields.join(', spec.')}`
      + ' (only replicas, template, updateStrategy, persistentVolumeClaimRetentionPolicy, minReadySeconds, ordinals and revisionHistoryLimit may change)',
    steps,
  }];
}

function deploymentFinding(before: KubeObject, after: KubeObject): RuleFinding[] {
  if (isDeepStrictEqual(before.spec?.selector, after.spec?.selector)) return [];
  const name = after.metadata.name;
  const ns = nsFlag(after.metadata.namespace ?? '');
  return [{
    rule: GuardRule.IMMUTABLE_FIELD,
    objects: [describe(after)],
    message: `Deployment ${name}: spec.selector is immutable; the API server refuses the update`,
    steps: [
      `Either delete and recreate it (downtime): kubectl delete deployment ${name}${ns}, then apply`,
      'or roll out a Deployment under a new name, move traffic, then delete the old one',
      `Then acknowledge with --allow ${GuardRule.IMMUTABLE_FIELD}`,
    ],
  }];
}

function isHeadless(service: KubeObject): boolean {
  return service.spec?.clusterIP === 'None';
}

function serviceFinding(before: KubeObject, after: KubeObject): RuleFinding[] {
  const b = before.spec?.clusterIP;
  const a = after.spec?.clusterIP;
  const switched = isHeadless(before) !== isHeadless(after);
  const repinned = !switched && b && a && b !== a;
  if (!switched && !repinned) return [];
  const name = after.metadata.name;
  const ns = nsFlag(after.metadata.namespace ?? '');
  const what = switched
    ? `switches between headless (clusterIP: None) and a cluster IP (${isHeadless(before) ? 'None -> cluster IP' : 'cluster IP -> None'})`
    : `changes spec.clusterIP from ${b} to ${a}`;
  return [{
    rule: GuardRule.IMMUTABLE_FIELD,
    objects: [describe(after)],
    message: `Service ${name} ${what}; spec.clusterIP is immutable, the API server refuses the update`,
    steps: [
      `Delete the Service and apply right after: kubectl delete service ${name}${ns} (clients can't resolve or reach it in between)`,
      `Then acknowledge with --allow ${GuardRule.IMMUTABLE_FIELD}`,
    ],
  }];
}

function claimFinding(before: KubeObject, after: KubeObject): RuleFinding[] {
  const { resources: br, volumeAttributesClassName: _bv, ...bSpec } = before.spec ?? {};
  const { resources: ar, volumeAttributesClassName: _av, ...aSpec } = after.spec ?? {};
  const problems: string[] = [];
  const fields = [...new Set([...Object.keys(bSpec), ...Object.keys(aSpec)])]
    .filter(f => !(f === 'volumeMode' && (bSpec[f] ?? 'Filesystem') === (aSpec[f] ?? 'Filesystem')))
    .filter(f => !isDeepStrictEqual(bSpec[f], aSpec[f])).sort();
  if (fields.length) problems.push(`spec.${fields.join(', spec.')} can't change after creation`);
  const bSize = parseQuantity(br?.requests?.storage);
  const aSize = parseQuantity(ar?.requests?.storage);
  if (bSize !== undefined && aSize !== undefined && aSize < bSize) {
    problems.push(`the storage request shrinks from ${br.requests.storage} to ${ar.requests.storage} (a claim can only grow)`);
  }
  if (problems.length === 0) return [];
  const name = after.metadata.name;
  return [{
    rule: GuardRule.IMMUTABLE_FIELD,
    objects: [describe(after)],
    message: `PersistentVolumeClaim ${name}: ${problems.join('; ')}; the API server refuses the update`,
    steps: [
      'Create a new claim with the new spec, stop the component, copy the data over, and point the component at the new claim',
      `Then acknowledge with --allow ${GuardRule.IMMUTABLE_FIELD}`,
    ],
  }];
}

const CHECKS: Record<string, (before: KubeObject, after: KubeObject) => RuleFinding[]> = {
  StatefulSet: statefulSetFinding,
  Deployment: deploymentFinding,
  Service: serviceFinding,
  PersistentVolumeClaim: claimFinding,
};

/** Changes to objects present on both sides that the API server refuses on apply. */
function check(change: ComponentChange): RuleFinding[] {
  if (!change.before || !change.after) return [];
  const findings: RuleFinding[] = [];
  for (const [key, after] of change.after.objects) {
    const before = change.before.objects.get(key);
    const fn = CHECKS[after.kind];
    if (before && fn) findings.push(...fn(before, after));
  }
  return findings;
}

export const IMMUTABLE_FIELD: RuleDefinition = {
  id: GuardRule.IMMUTABLE_FIELD,
  severity: GuardSeverity.BLOCKING,
  description: 'a change the API server refuses (StatefulSet volumeClaimTemplates/serviceName/selector/podManagementPolicy, Deployment selector, Service clusterIP None <-> IP, claim spec)',
  check,
};
