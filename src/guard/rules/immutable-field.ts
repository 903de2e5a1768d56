import { compareQuantities } from '../../_quantity';
import { ComponentChange } from '../component-state';
import { describe, KubeObject } from '../manifest';
import { GuardRule, GuardSeverity } from '../report';
import { semanticEqual } from '../semantic';
import { nsFlag, RuleDefinition, RuleFinding } from './rule';

/**
 * StatefulSet spec fields the API server lets an update change, exactly as Kubernetes 1.28 decides it:
 * kubernetes/kubernetes release-1.28, pkg/apis/apps/validation/validation.go, ValidateStatefulSetUpdate
 * copies replicas, template, updateStrategy, minReadySeconds, ordinals and
 * persistentVolumeClaimRetentionPolicy from the old object into a clone of the new one, then refuses
 * any remaining difference with `apiequality.Semantic.DeepEqual` ("updates to statefulset spec for
 * fields other than 'replicas', 'ordinals', 'template', 'updateStrategy',
 * 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden").
 * Everything else, `revisionHistoryLimit` included, can't change (1.28 has no exception for it).
 */
export const STATEFULSET_MUTABLE: ReadonlySet<string> = new Set([
  'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds',
]);

/**
 * StatefulSet spec fields outside `STATEFULSET_MUTABLE` that a later Kubernetes lets an update change, with
 * that version: from 1.33, ValidateStatefulSetUpdate no longer refuses a new revisionHistoryLimit (1.37
 * refuses only selector, volumeClaimTemplates, serviceName and podManagementPolicy). The guard blocks
 * what any supported version refuses, and says which versions accept it.
 */
export const STATEFULSET_MUTABLE_FROM: Readonly<Record<string, string>> = { revisionHistoryLimit: '1.33' };

/**
 * Values the API server fills in (pkg/apis/apps/v1/defaults.go SetDefaults_StatefulSet),
 * so leaving them out and writing them out is the same spec.
 */
const STATEFULSET_DEFAULTS: Record<string, unknown> = { podManagementPolicy: 'OrderedReady', revisionHistoryLimit: 10 };

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

/** Spec fields an update would change although the API server forbids it (quantities compare by value). */
export function changedImmutableStatefulSetFields(before: KubeObject, after: KubeObject): string[] {
  const b = before.spec ?? {};
  const a = after.spec ?? {};
  return [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter(f => !STATEFULSET_MUTABLE.has(f))
    .filter(f => !semanticEqual(normalizeStatefulSetField(f, b[f]), normalizeStatefulSetField(f, a[f])))
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
  const acknowledge = `Then acknowledge with --allow ${GuardRule.IMMUTABLE_FIELD}`;
  const always = fields.filter(f => STATEFULSET_MUTABLE_FROM[f] === undefined);
  const later = fields.filter(f => STATEFULSET_MUTABLE_FROM[f] !== undefined);
  if (always.length === 0) {
    return [{
      rule: GuardRule.IMMUTABLE_FIELD,
      objects: [describe(after)],
      message: `StatefulSet ${name}: ${later.map(f => `Kubernetes before ${STATEFULSET_MUTABLE_FROM[f]} refuses an update of spec.${f}, `
        + `${STATEFULSET_MUTABLE_FROM[f]} and later accept it`).join('; ')}`,
      steps: [
        `On a cluster of a version that accepts it the apply goes through as it is (kubectl version prints the server's); on an earlier one: ${steps[0]}`,
        ...steps.slice(1),
        acknowledge,
      ],
    }];
  }
  return [{
    rule: GuardRule.IMMUTABLE_FIELD,
    objects: [describe(after)],
    message: `StatefulSet ${name}: the API server refuses an update of spec.${always.join(', spec.')}`
      + later.map(f => `, and before Kubernetes ${STATEFULSET_MUTABLE_FROM[f]} of spec.${f}`).join('')
      + ` (only ${[...STATEFULSET_MUTABLE].join(', ')} may change`
      + `${Object.entries(STATEFULSET_MUTABLE_FROM).map(([f, version]) => `, and ${f} from ${version}`).join('')})`,
    steps: [...steps, acknowledge],
  }];
}

/**
 * RollingUpdate -> Recreate while the deployed manifest never wrote spec.strategy.rollingUpdate: the API
 * server defaulted it (maxSurge/maxUnavailable 25%), a server-side apply keeps a field its manager never
 * owned, and validation refuses rollingUpdate under Recreate (checked on Kubernetes 1.37). A client-side
 * kubectl apply drops it: the strategy's patch strategy is retainKeys (kubernetes/kubernetes#24198).
 */
function keepsDefaultedRollingUpdate(before: KubeObject, after: KubeObject): boolean {
  const b = before.spec?.strategy;
  const a = after.spec?.strategy;
  return (b?.type ?? 'RollingUpdate') === 'RollingUpdate' && b?.rollingUpdate === undefined
    && a?.type === 'Recreate' && a?.rollingUpdate === undefined;
}

function deploymentFinding(before: KubeObject, after: KubeObject): RuleFinding[] {
  const name = after.metadata.name;
  const ns = nsFlag(after.metadata.namespace ?? '');
  const findings: RuleFinding[] = [];
  if (!semanticEqual(before.spec?.selector, after.spec?.selector)) {
    findings.push({
      rule: GuardRule.IMMUTABLE_FIELD,
      objects: [describe(after)],
      message: `Deployment ${name}: spec.selector is immutable; the API server refuses the update`,
      steps: [
        `Either delete and recreate it (downtime): kubectl delete deployment ${name}${ns}, then apply`,
        'or roll out a Deployment under a new name, move traffic, then delete the old one',
        `Then acknowledge with --allow ${GuardRule.IMMUTABLE_FIELD}`,
      ],
    });
  }
  if (keepsDefaultedRollingUpdate(before, after)) {
    findings.push({
      rule: GuardRule.IMMUTABLE_FIELD,
      objects: [describe(after)],
      message: `Deployment ${name}: spec.strategy changes from RollingUpdate to Recreate, but the deployed Deployment holds the server-defaulted `
        + 'spec.strategy.rollingUpdate, which a server-side apply (kubectl apply --server-side, Flux, Argo CD with ServerSideApply) keeps because the '
        + 'manifests never wrote it; the API server refuses that update (spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy '
        + '`type` is \'Recreate\'). A client-side kubectl apply drops the field and goes through',
      steps: [
        'With a client-side kubectl apply (no --server-side), apply as it is',
        `Switch the live strategy first: kubectl patch deployment ${name}${ns} --type json -p '[{"op":"remove","path":"/spec/strategy/rollingUpdate"},{"op":"replace","path":"/spec/strategy/type","value":"Recreate"}]'`,
        'Then apply the new manifests',
        `Then acknowledge with --allow ${GuardRule.IMMUTABLE_FIELD}`,
      ],
    });
  }
  return findings;
}

function isHeadless(service: KubeObject): boolean {
  return service.spec?.clusterIP === 'None';
}

/** The cluster IPs a manifest pins (`clusterIPs`, else `clusterIP`); empty when the API server allocates them. */
function pinnedClusterIPs(spec: any): string[] {
  if (Array.isArray(spec?.clusterIPs) && spec.clusterIPs.length > 0) return spec.clusterIPs.map(String);
  return typeof spec?.clusterIP === 'string' && spec.clusterIP !== '' ? [spec.clusterIP] : [];
}

/**
 * What the API server does with a Service update (Kubernetes 1.28, pkg/apis/core/validation
 * validateUpgradeDowngradeClusterIPs / validateUpgradeDowngradeIPFamilies, and the Service REST
 * storage, which copies the allocated clusterIP(s) into an update that leaves them out).
 */
function serviceProblems(before: KubeObject, after: KubeObject): { refused: string[]; ignored: string[]; pinnedVsAllocated?: string } {
  const refused: string[] = [];
  const ignored: string[] = [];
  const b = before.spec ?? {};
  const a = after.spec ?? {};
  if (b.type === 'ExternalName' || a.type === 'ExternalName') return { refused, ignored };
  const bIPs = pinnedClusterIPs(b);
  const aIPs = pinnedClusterIPs(a);
  if (isHeadless(before) && isHeadless(after)) return { refused, ignored };
  if (isHeadless(before) && aIPs.length === 0) {
    ignored.push('switches from headless (clusterIP: None) to a cluster IP without pinning one: the API server copies the live clusterIP (None) into the update, '
      + 'so the apply succeeds but the Service silently stays headless (clients resolve pod IPs, there is no virtual IP)');
    return { refused, ignored };
  }
  if (bIPs.length > 0 && aIPs.length > 0) {
    if (bIPs[0] !== aIPs[0]) {
      refused.push(isHeadless(before) !== isHeadless(after)
        ? `switches between headless (clusterIP: None) and a cluster IP (${isHeadless(before) ? 'None -> cluster IP' : 'cluster IP -> None'}); spec.clusterIP may not change once set`
        : `changes spec.clusterIP from ${bIPs[0]} to ${aIPs[0]}; spec.clusterIP may not change once set`);
    } else if (bIPs.length >= 2 && aIPs.length >= 2 && bIPs[1] !== aIPs[1]) {
      refused.push(`changes the secondary cluster IP from ${bIPs[1]} to ${aIPs[1]}; spec.clusterIPs may not change once set`);
    } else if (bIPs.length >= 2 && aIPs.length === 1 && a.ipFamilyPolicy !== 'SingleStack') {
      refused.push('releases the secondary cluster IP without ipFamilyPolicy: SingleStack');
    }
  }
  let pinnedVsAllocated: string | undefined;
  if (bIPs.length === 0 && aIPs.length > 0) {
    if (isHeadless(after)) {
      refused.push('switches from a cluster IP to headless (cluster IP -> None); spec.clusterIP may not change once set');
    } else {
      pinnedVsAllocated = aIPs[0];
      refused.push(`pins spec.clusterIP ${aIPs[0]} while the deployed Service has an allocated one; the API server refuses it unless the allocated IP is exactly ${aIPs[0]}`);
    }
  }
  const bFamilies: string[] = Array.isArray(b.ipFamilies) ? b.ipFamilies : [];
  const aFamilies: string[] = Array.isArray(a.ipFamilies) ? a.ipFamilies : [];
  if (!isHeadless(before) && !isHeadless(after) && bFamilies.length > 0 && aFamilies.length > 0) {
    const changed = bFamilies[0] !== aFamilies[0] || (bFamilies.length === aFamilies.length && bFamilies.some((f, i) => f !== aFamilies[i]));
    if (changed) refused.push(`changes spec.ipFamilies from [${bFamilies.join(', ')}] to [${aFamilies.join(', ')}]; the IP families of a non-headless Service may not change once set`);
  }
  return { refused, ignored, pinnedVsAllocated };
}

function serviceFinding(before: KubeObject, after: KubeObject): RuleFinding[] {
  const { refused, ignored, pinnedVsAllocated } = serviceProblems(before, after);
  if (refused.length === 0 && ignored.length === 0) return [];
  const name = after.metadata.name;
  const ns = nsFlag(after.metadata.namespace ?? '');
  const recreate = `Delete the Service and apply right after: kubectl delete service ${name}${ns} (clients can't resolve or reach it in between)`;
  const steps = pinnedVsAllocated
    ? [`Check the allocated IP: kubectl get service ${name}${ns} -o jsonpath='{.spec.clusterIP}'; if it is ${pinnedVsAllocated}, the apply is accepted`, `Otherwise: ${recreate}`]
    : [recreate];
  steps.push(`Then acknowledge with --allow ${GuardRule.IMMUTABLE_FIELD}`);
  const message = refused.length > 0
    ? `Service ${name} ${refused.join('; ')}; the API server refuses the update`
    : `Service ${name} ${ignored.join('; ')}`;
  return [{ rule: GuardRule.IMMUTABLE_FIELD, objects: [describe(after)], message, steps }];
}

/** The data of a ConfigMap or Secret as the API server stores it (a Secret's stringData merged into data). */
function storedData(obj: KubeObject): { data: Record<string, string>; binaryData: Record<string, string> } {
  if (obj.kind === 'Secret') {
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj.data ?? {})) data[k] = Buffer.from(String(v), 'base64').toString('base64');
    for (const [k, v] of Object.entries(obj.stringData ?? {})) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    return { data, binaryData: {} };
  }
  return { data: { ...(obj.data ?? {}) }, binaryData: { ...(obj.binaryData ?? {}) } };
}

/** Changed keys of two string maps, sorted. */
function changedKeys(b: Record<string, string>, a: Record<string, string>): string[] {
  return [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(k => b[k] !== a[k]).sort();
}

/** ConfigMap/Secret: `immutable: true` freezes data (pkg/apis/core/validation ValidateConfigMapUpdate / ValidateSecretUpdate). */
function configDataFinding(before: KubeObject, after: KubeObject): RuleFinding[] {
  const problems: string[] = [];
  if (after.kind === 'Secret' && (before.type ?? 'Opaque') !== (after.type ?? 'Opaque')) {
    problems.push(`type changes from ${before.type ?? 'Opaque'} to ${after.type ?? 'Opaque'} (a Secret's type never changes)`);
  }
  if (before.immutable === true) {
    if (after.immutable !== true) problems.push('immutable: true can\'t be unset');
    const b = storedData(before);
    const a = storedData(after);
    const keys = [...changedKeys(b.data, a.data).map(k => `data.${k}`), ...changedKeys(b.binaryData, a.binaryData).map(k => `binaryData.${k}`)];
    if (keys.length > 0) problems.push(`it is immutable: true and its ${keys.join(', ')} change${keys.length === 1 ? 's' : ''}`);
  }
  if (problems.length === 0) return [];
  const name = after.metadata.name;
  const ns = nsFlag(after.metadata.namespace ?? '');
  const kind = after.kind;
  return [{
    rule: GuardRule.IMMUTABLE_FIELD,
    objects: [describe(after)],
    message: `${kind} ${name}: ${problems.join('; ')}; the API server refuses the update`,
    steps: [
      `Give the new content a new name (e.g. a content hash in the ${kind} name) and point the pods at it, so running pods keep the old one until they roll`,
      `Or delete and recreate it: kubectl delete ${kind.toLowerCase()} ${name}${ns}, then apply (running pods keep the content they mounted until they restart)`,
      `Then acknowledge with --allow ${GuardRule.IMMUTABLE_FIELD}`,
    ],
  }];
}

/**
 * Claim fields the cluster fills in on a live claim: the binder sets `volumeName`, the DefaultStorageClass
 * admission `storageClassName`. A manifest that leaves them out keeps them on a server-side apply (its
 * field manager never owned them), so against a live claim (read back with `kubectl get -o yaml`) their
 * absence is no change.
 */
const CLAIM_FIELDS_SET_BY_THE_CLUSTER = ['volumeName', 'storageClassName'];

function isLiveObject(o: KubeObject): boolean {
  return typeof o.metadata?.uid === 'string' || typeof o.metadata?.resourceVersion === 'string';
}

/** A claim's spec is immutable except `resources.requests.storage` (grow only) and volumeAttributesClassName. */
function claimFinding(before: KubeObject, after: KubeObject): RuleFinding[] {
  const beforeSpec = { ...(before.spec ?? {}) };
  if (isLiveObject(before)) {
    for (const f of CLAIM_FIELDS_SET_BY_THE_CLUSTER) if (after.spec?.[f] === undefined) delete beforeSpec[f];
  }
  const { resources: br, volumeAttributesClassName: _bv, ...bSpec } = beforeSpec;
  const { resources: ar, volumeAttributesClassName: _av, ...aSpec } = after.spec ?? {};
  const problems: string[] = [];
  const fields = [...new Set([...Object.keys(bSpec), ...Object.keys(aSpec)])]
    .filter(f => !(f === 'volumeMode' && (bSpec[f] ?? 'Filesystem') === (aSpec[f] ?? 'Filesystem')))
    .filter(f => !semanticEqual(bSpec[f], aSpec[f]));
  const { storage: _bs, ...bRequests } = br?.requests ?? {};
  const { storage: _as, ...aRequests } = ar?.requests ?? {};
  if (!semanticEqual(bRequests, aRequests)) fields.push('resources.requests (other than storage)');
  if (!semanticEqual(br?.limits ?? {}, ar?.limits ?? {})) fields.push('resources.limits');
  if (fields.length) problems.push(`spec.${fields.sort().join(', spec.')} can't change after creation`);
  const bSize = br?.requests?.storage;
  const aSize = ar?.requests?.storage;
  const shrinks = compareQuantities(aSize, bSize) === -1;
  if (shrinks) {
    problems.push(`the storage request shrinks from ${bSize} to ${aSize} (a claim can only grow)`);
  }
  if (problems.length === 0) return [];
  const name = after.metadata.name;
  const steps = [
    'Create a new claim with the new spec, stop the component, copy the data over, and point the component at the new claim',
    `Then acknowledge with --allow ${GuardRule.IMMUTABLE_FIELD}`,
  ];
  if (shrinks && fields.length === 0) {
    // ValidatePersistentVolumeClaimUpdate with RecoverVolumeExpansionFailure (on by default from 1.32, GA in 1.34)
    steps.unshift(`If the claim's expansion to ${bSize} failed and never completed, Kubernetes 1.32 and later accept a request above its current capacity `
      + `(kubectl get pvc ${after.metadata.name}${nsFlag(after.metadata.namespace ?? '')} -o jsonpath='{.status.capacity.storage}'), to recover; otherwise:`);
  }
  // a class set where the deployed manifest left it out: the cluster may already have given the claim that very class
  // (its default StorageClass at creation), or none, and then the API server accepts it (validateStorageClassUpgradeFromNil)
  const newClass = bSpec.storageClassName === undefined ? aSpec.storageClassName : undefined;
  if (fields.length === 1 && fields[0] === 'storageClassName' && problems.length === 1 && typeof newClass === 'string') {
    const ns = nsFlag(after.metadata.namespace ?? '');
    return [{
      rule: GuardRule.IMMUTABLE_FIELD,
      objects: [describe(after)],
      message: `PersistentVolumeClaim ${name}: spec.storageClassName is set to ${newClass} where the deployed manifests left it to the cluster; `
        + `the API server refuses the update unless the claim has no class yet or already has ${newClass} (the default StorageClass when it was created)`,
      steps: [
        `Check the class the claim has: kubectl get pvc ${name}${ns} -o jsonpath='{.spec.storageClassName}'; if it prints ${newClass} or nothing, the apply goes through`,
        `Otherwise: ${steps[0]}`,
        steps[1],
      ],
    }];
  }
  return [{
    rule: GuardRule.IMMUTABLE_FIELD,
    objects: [describe(after)],
    message: `PersistentVolumeClaim ${name}: ${problems.join('; ')}; the API server refuses the update`,
    steps,
  }];
}

const CHECKS: Record<string, (before: KubeObject, after: KubeObject) => RuleFinding[]> = {
  StatefulSet: statefulSetFinding,
  Deployment: deploymentFinding,
  Service: serviceFinding,
  PersistentVolumeClaim: claimFinding,
  ConfigMap: configDataFinding,
  Secret: configDataFinding,
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
  description: 'a change the API server refuses or ignores (StatefulSet fields outside its 1.28 mutable list, Deployment selector/strategy, '
    + 'Service clusterIP(s)/ipFamilies, claim spec, immutable ConfigMap/Secret data)',
  check,
};
