import { evenMemberCountProblem } from '../../_quorum';
import { ComponentChange, ComponentState, perInstanceClaims } from '../component-state';
import { describeObject } from '../manifest';
import { membershipSteps } from '../membership';
import { GuardRule, GuardSeverity } from '../report';
import { nsFlag, RuleDefinition, RuleFinding } from './rule';

const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The cluster domain the preset rendered into member addresses (`<pod>.<sts>.<ns>.svc.<domain>`), else cluster.local. */
export function clusterDomainOf(state: ComponentState): string {
  const sts = state.workload?.metadata.name ?? state.name;
  const text = JSON.stringify([...state.objects.values()]);
  const pattern = new RegExp(`${escapeRegExp(sts)}-\\d+\\.${escapeRegExp(sts)}\\.${escapeRegExp(state.namespace)}\\.svc\\.([a-z0-9][a-z0-9.-]*[a-z0-9])`);
  return pattern.exec(text)?.[1] ?? DEFAULT_CLUSTER_DOMAIN;
}

/** `https` when the rendered etcd member list (ETCD_INITIAL_CLUSTER) uses TLS peer URLs, else `http`. */
function peerSchemeOf(state: ComponentState): string {
  const containers: any[] = state.workload?.spec?.template?.spec?.containers ?? [];
  const list = containers.flatMap(c => c?.env ?? []).find((e: any) => e?.name === 'ETCD_INITIAL_CLUSTER')?.value;
  return typeof list === 'string' && list.includes('https://') ? 'https' : 'http';
}

/** Both sides run the same preset as a StatefulSet. */
function presetPair(change: ComponentChange): { before: ComponentState; after: ComponentState } | undefined {
  const { before, after } = change;
  if (!before || !after || !before.stateful || !after.stateful || !after.preset) return undefined;
  if (before.autoscaler || after.autoscaler) return undefined; // replicas owned by an autoscaler are not a membership change in the manifests
  return { before, after };
}

function workloadRef(state: ComponentState): string {
  return describeObject('StatefulSet', state.namespace, state.workload?.metadata.name ?? state.name);
}

function isZookeeper(state: ComponentState): boolean {
  const system = (state.preset ?? '').toLowerCase();
  return system.includes('zookeeper') || system === 'zk';
}

/** A one-member ZooKeeper runs standalone unless its zoo.cfg says standaloneEnabled=false (ZooKeeper's default is true). */
function runsStandalone(state: ComponentState): boolean {
  return state.replicas === 1 && !/standaloneEnabled\s*=\s*false/.test(JSON.stringify([...state.objects.values()]));
}

/**
 * ZooKeeper growing from a standalone server. A standalone server never joins an ensemble; the new,
 * empty members form a quorum of their own and the old server, restarted as a follower, is truncated
 * to their state. Sources: ZooKeeper Dynamic Reconfiguration guide (zookeeperReconfig.html, "The
 * standaloneEnabled flag": a standalone server can't grow; "rolling restarts ... caused data loss").
 */
function standaloneGrowth(before: ComponentState, after: ComponentState): RuleFinding {
  const sts = after.workload?.metadata.name ?? after.name;
  const ns = nsFlag(after.namespace);
  const oldClaims = perInstanceClaims(before, 0, 1);
  const newClaims = perInstanceClaims(after, 1, after.replicas);
  return {
    rule: GuardRule.QUORUM_MEMBER_CHANGE,
    objects: [workloadRef(after), ...[...oldClaims, ...newClaims].map(c => describeObject('PersistentVolumeClaim', after.namespace, c))],
    message: `zookeeper cluster ${after.name} grows from 1 to ${after.replicas} members while its only server runs standalone: a standalone server does not join an ensemble, `
      + `so the new, empty members form a quorum of their own (${Math.floor(after.replicas / 2) + 1} of ${after.replicas}) and the old server, restarted as a follower, `
      + `is truncated to their empty state: the data in ${oldClaims.join(', ') || 'its volume'} is lost`,
    steps: [
      `Back up the only copy of the data: the version-2 directory (snapshots and transaction logs) of ${sts}-0's data volume, e.g. kubectl cp${ns} ${sts}-0:<dataDir>/version-2 ./zk-backup`,
      `Stop the server: kubectl scale statefulset ${sts}${ns} --replicas=0, and wait until ${sts}-0 is gone`,
      `Seed every new member with the same data before it first starts: pre-create ${newClaims.join(', ') || 'the claims of the new members'} with the claim template's spec `
        + `and copy the version-2 directory of ${oldClaims[0] ?? 'the old claim'} into each (a one-off pod mounting the claims; leave out myid, the start script writes it), `
        + 'so whichever members form the first quorum hold every transaction',
      `Apply the new manifests (${after.replicas} members, acknowledged with --allow ${GuardRule.QUORUM_MEMBER_CHANGE}); check that echo srvr | nc localhost 2181 `
        + 'shows one leader and followers only, with the Node count of the backup',
      'To grow without a stop next time, run even a single server replicated (standaloneEnabled=false with reconfigEnabled=true) and add members with zkCli.sh reconfig -add',
    ],
  };
}

/** A member-count change of a clustered preset: members join and leave one at a time, through the system. */
function checkMemberChange(change: ComponentChange): RuleFinding[] {
  const pair = presetPair(change);
  if (!pair || pair.before.replicas === pair.after.replicas) return [];
  const { before, after } = pair;
  if (isZookeeper(after) && after.replicas > before.replicas && runsStandalone(before)) return [standaloneGrowth(before, after)];
  const target = {
    system: after.preset!,
    statefulSet: after.workload?.metadata.name ?? after.name,
    namespace: after.namespace,
    clusterDomain: clusterDomainOf(after),
    dynamicReconfig: /reconfigEnabled\s*=\s*true/.test(JSON.stringify([...after.objects.values()])),
    container: after.workload?.spec?.template?.spec?.containers?.[0]?.name,
    peerScheme: peerSchemeOf(after),
  };
  return [{
    rule: GuardRule.QUORUM_MEMBER_CHANGE,
    objects: [workloadRef(after)],
    message: `${after.preset} cluster ${after.name} changes from ${before.replicas} to ${after.replicas} members; `
      + `applying it in one step ${after.replicas > before.replicas ? 'starts members the cluster has not admitted' : 'drops members the cluster still counts in its quorum'}`
      + '; members must be added or removed one at a time through the system\'s own membership command',
    steps: membershipSteps(target, before.replicas, after.replicas),
  }];
}

/** Scaling a clustered preset to an even member count. */
function checkEvenCount(change: ComponentChange): RuleFinding[] {
  const pair = presetPair(change);
  if (!pair || pair.before.replicas === pair.after.replicas) return [];
  const problem = pair.after.replicas > 0 ? evenMemberCountProblem(pair.after.replicas) : undefined;
  if (!problem) return [];
  return [{
    rule: GuardRule.EVEN_MEMBER_COUNT,
    objects: [workloadRef(pair.after)],
    message: `${pair.after.preset} cluster ${pair.after.name}: ${problem}`,
    steps: [
      `Set replicas to ${pair.after.replicas - 1} or ${pair.after.replicas + 1} instead`,
      `Or acknowledge a deliberate even count with --allow ${GuardRule.EVEN_MEMBER_COUNT}`,
    ],
  }];
}

export const QUORUM_MEMBER_CHANGE: RuleDefinition = {
  id: GuardRule.QUORUM_MEMBER_CHANGE,
  severity: GuardSeverity.BLOCKING,
  description: 'member-count change of a clustered preset (add/remove members one at a time through the system; prints the steps)',
  check: checkMemberChange,
};

export const EVEN_MEMBER_COUNT: RuleDefinition = {
  id: GuardRule.EVEN_MEMBER_COUNT,
  severity: GuardSeverity.BLOCKING,
  description: 'a clustered preset scaled to an even member count (no extra fault tolerance, split-brain risk)',
  check: checkEvenCount,
};
