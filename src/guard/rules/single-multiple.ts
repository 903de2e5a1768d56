import { ComponentChange, ComponentState, mountedClaimNames } from '../component-state';
import { describeObject, KubeObject, VOLUME_TYPE_LOCAL, volumeTypeOf } from '../manifest';
import { GuardRule, GuardSeverity } from '../report';
import { RuleDefinition, RuleFinding } from './rule';

const SINGLE_NODE_MODES = new Set(['ReadWriteOnce', 'ReadWriteOncePod']);

/** Whether a claim can be mounted read-write from one node (or pod) only; a Rainbond `local` volume is node-bound whatever its access modes. */
function isSingleNodeClaim(claim: KubeObject): boolean {
  if (volumeTypeOf(claim) === VOLUME_TYPE_LOCAL) return true;
  const modes: string[] = claim.spec?.accessModes ?? [];
  return modes.length > 0 && modes.every(m => SINGLE_NODE_MODES.has(m));
}

/** Single-node claims the pods of a multi-replica workload share. */
export function sharedSingleNodeClaims(state: ComponentState | undefined): KubeObject[] {
  if (!state?.workload || state.replicas <= 1) return [];
  const mounted = new Set(mountedClaimNames(state.workload));
  return state.claims.filter(c => mounted.has(c.metadata.name) && isSingleNodeClaim(c));
}

/** A change that makes several replicas share a ReadWriteOnce claim. */
function checkSharedRwo(change: ComponentChange): RuleFinding[] {
  const { after } = change;
  if (!after) return [];
  const already = new Set(sharedSingleNodeClaims(change.before).map(c => c.metadata.name));
  const claims = sharedSingleNodeClaims(after).filter(c => !already.has(c.metadata.name));
  if (claims.length === 0) return [];
  const names = claims.map(c => c.metadata.name);
  const kind = after.workload!.kind;
  // nothing deployed yet (a first deployment, or a new component): no running pod breaks and no data is lost
  const notDeployed = !change.before;
  return [{
    rule: GuardRule.SHARED_RWO_VOLUME,
    ...(notDeployed ? { severity: GuardSeverity.NOTICE } : {}),
    objects: [describeObject(kind, after.namespace, after.workload!.metadata.name), ...claims.map(c => describeObject('PersistentVolumeClaim', after.namespace, c.metadata.name))],
    message: `${after.deployType} component ${after.name} ${after.autoscaler ? `may run up to ${after.replicas} replicas (HorizontalPodAutoscaler ${after.autoscaler.name})` : `runs ${after.replicas} replicas`} `
      + `that share the ${volumeTypeOf(claims[0]) === VOLUME_TYPE_LOCAL ? 'node-local (volume type local)' : (claims[0].spec.accessModes ?? []).join('/')} claim ${names.join(', ')}: `
      + 'pods scheduled on another node hang in ContainerCreating (Multi-Attach error), and Rainbond refuses a multiple type on single-writer storage'
      + (notDeployed ? `; ${after.name} is not deployed yet, so nothing running breaks and no data is lost: a notice, not a block (fix it before the first apply)` : ''),
    steps: [
      'Keep one replica (a single deploy type), or',
      'give the volume ReadWriteMany access (a new claim on a StorageClass that supports it, data copied over), or',
      'make the component stateful so every instance gets its own claim (see deploy-type-switch)',
      `Or acknowledge with --allow ${GuardRule.SHARED_RWO_VOLUME}`,
    ],
  }];
}

/** A single-instance deploy type with more than one replica. */
function checkSingleReplicas(change: ComponentChange): RuleFinding[] {
  const { before, after } = change;
  if (!after || after.autoscaler || !after.deployType.endsWith('_singleton') || after.replicas <= 1) return [];
  if (before && before.deployType === after.deployType && before.replicas > 1) return [];
  const kind = after.workload?.kind ?? (after.stateful ? 'StatefulSet' : 'Deployment');
  const multiple = after.deployType.replace('_singleton', '_multiple');
  return [{
    rule: GuardRule.SINGLE_INSTANCE_REPLICAS,
    objects: [describeObject(kind, after.namespace, after.workload?.metadata.name ?? after.name)],
    message: `component ${after.name} has the single-instance deploy type ${after.deployType} but ${after.replicas} replicas; Rainbond refuses more than one instance for it`,
    steps: [
      `Switch the deploy type to ${multiple} (stop the component first), or set replicas to 1`,
      `Or acknowledge with --allow ${GuardRule.SINGLE_INSTANCE_REPLICAS}`,
    ],
  }];
}

export const SHARED_RWO_VOLUME: RuleDefinition = {
  id: GuardRule.SHARED_RWO_VOLUME,
  severity: GuardSeverity.BLOCKING,
  description: 'a ReadWriteOnce (or volume type local) claim becomes shared by several replicas (single -> multiple, scaling up, an autoscaler); '
    + 'a notice on a component not deployed yet',
  check: checkSharedRwo,
};

export const SINGLE_INSTANCE_REPLICAS: RuleDefinition = {
  id: GuardRule.SINGLE_INSTANCE_REPLICAS,
  severity: GuardSeverity.BLOCKING,
  description: 'a single-instance deploy type (state_singleton, stateless_singleton) with more than one replica',
  check: checkSingleReplicas,
};
