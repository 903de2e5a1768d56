/**
 * How members join and leave each clustered system, one member at a time.
 * Used to spell out the steps of a quorum member-count change.
 */

/** Where the members of a preset component live. */
export interface MembershipTarget {
  /** The clustered system (`rainbond.io/cluster-preset`). */
  readonly system: string;
  readonly statefulSet: string;
  readonly namespace: string;
  /** Cluster DNS domain, used in member addresses. */
  readonly clusterDomain: string;
  /** ZooKeeper only: the ensemble runs with `reconfigEnabled=true` (dynamic membership). */
  readonly dynamicReconfig?: boolean;
  /** The member container (for `kubectl set env -c`). */
  readonly container?: string;
  /** etcd only: scheme of the peer URLs (`https` with peer TLS). */
  readonly peerScheme?: string;
}

function ns(target: MembershipTarget): string {
  return target.namespace ? ` -n ${target.namespace}` : '';
}

function pod(target: MembershipTarget, ordinal: number): string {
  return `${target.statefulSet}-${ordinal}`;
}

function fqdn(target: MembershipTarget, ordinal: number): string {
  return `${pod(target, ordinal)}.${target.statefulSet}.${target.namespace}.svc.${target.clusterDomain}`;
}

function scale(target: MembershipTarget, replicas: number): string {
  return `kubectl scale statefulset ${target.statefulSet}${ns(target)} --replicas=${replicas}`;
}

function peerUrl(target: MembershipTarget, ordinal: number): string {
  return `${target.peerScheme ?? 'http'}://${fqdn(target, ordinal)}:2380`;
}

/** Pods from `ordinal` up take template changes; lower ordinals keep theirs. */
function partition(target: MembershipTarget, ordinal: number): string {
  return `kubectl patch statefulset ${target.statefulSet}${ns(target)} --type merge -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":${ordinal}}}}}'`;
}

function exec(target: MembershipTarget, ordinal: number, command: string): string {
  return `kubectl exec${ns(target)} ${pod(target, ordinal)} -- ${command}`;
}

type Family = 'etcd' | 'zookeeper' | 'mysql' | 'redis' | 'other';

function family(system: string): Family {
  const s = system.toLowerCase();
  if (s.includes('etcd')) return 'etcd';
  if (s.includes('zookeeper') || s === 'zk') return 'zookeeper';
  if (s.includes('mysql')) return 'mysql';
  if (s.includes('redis') || s.includes('sentinel')) return 'redis';
  return 'other';
}

/** Steps to add member `ordinal` (the cluster has `ordinal` members before). */
function addSteps(t: MembershipTarget, ordinal: number): string[] {
  switch (family(t.system)) {
    case 'etcd': {
      // A joining member must start with a member list of exactly the current members plus itself
      // ("member count is unequal" otherwise, etcd runtime reconfiguration docs), so each member gets
      // its own list through the pod template; the partition keeps running members from restarting.
      const members = Array.from({ length: ordinal + 1 }, (_, i) => `${pod(t, i)}=${peerUrl(t, i)}`).join(',');
      return [
        `admit it: ${exec(t, 0, `etcdctl member add ${pod(t, ordinal)} --peer-urls=${peerUrl(t, ordinal)}`)}`,
        `start it with a member list of exactly ${ordinal + 1} members, leaving the running members alone: ${partition(t, ordinal)}; `
          + `kubectl set env statefulset/${t.statefulSet}${ns(t)}${t.container ? ` -c ${t.container}` : ''} ETCD_INITIAL_CLUSTER_STATE=existing ETCD_INITIAL_CLUSTER=${members}; `
          + `${scale(t, ordinal + 1)}`,
        `wait until ${exec(t, 0, 'etcdctl endpoint health --cluster')} reports all ${ordinal + 1} members healthy before the next member`,
      ];
    }
    case 'zookeeper':
      return t.dynamicReconfig ? [
        `${scale(t, ordinal + 1)} and wait until ${pod(t, ordinal)} is ready`,
        `${exec(t, 0, `zkCli.sh reconfig -add "server.${ordinal + 1}=${fqdn(t, ordinal)}:2888:3888;2181"`)}`,
        `check ${exec(t, 0, 'zkCli.sh config')} lists server.${ordinal + 1}`,
      ] : [
        `static membership (reconfigEnabled=false): start ${pod(t, ordinal)} with a server list of ${ordinal + 1} servers (server.${ordinal + 1}=${fqdn(t, ordinal)}:2888:3888)`,
        'then restart the other servers one at a time with that list, followers first and the leader last (echo srvr | nc localhost 2181 shows the mode)',
      ];
    case 'mysql':
      return [
        `${scale(t, ordinal + 1)}; ${pod(t, ordinal)} joins with START GROUP_REPLICATION and recovers from a donor`,
        `wait until SELECT MEMBER_HOST, MEMBER_STATE FROM performance_schema.replication_group_members shows ${pod(t, ordinal)} ONLINE`,
      ];
    case 'redis':
      return [
        `${scale(t, ordinal + 1)}; ${pod(t, ordinal)} starts as a replica of the current primary and its Sentinel joins`,
        `check SENTINEL REPLICAS <master> and SENTINEL SENTINELS <master> on ${pod(t, 0)} list the new member`,
      ];
    default:
      return [
        `add ${pod(t, ordinal)} with ${t.system}'s own membership command, then ${scale(t, ordinal + 1)}`,
        'wait until the cluster reports the new member healthy',
      ];
  }
}

/** Steps to remove member `ordinal` (the highest one; the cluster has `ordinal + 1` members before). */
function removeSteps(t: MembershipTarget, ordinal: number): string[] {
  switch (family(t.system)) {
    case 'etcd':
      return [
        `find the ID of ${pod(t, ordinal)} with ${exec(t, 0, 'etcdctl member list')}, then ${exec(t, 0, 'etcdctl member remove <id>')}`,
        `${scale(t, ordinal)}`,
        `wait until ${exec(t, 0, 'etcdctl endpoint health --cluster')} reports the remaining ${ordinal} members healthy before the next member`,
      ];
    case 'zookeeper':
      return t.dynamicReconfig ? [
        `${exec(t, 0, `zkCli.sh reconfig -remove ${ordinal + 1}`)}`,
        `${scale(t, ordinal)}`,
      ] : [
        `static membership (reconfigEnabled=false): ${scale(t, ordinal)}`,
        `then restart the remaining servers one at a time with a server list without server.${ordinal + 1}, followers first and the leader last`,
      ];
    case 'mysql':
      return [
        `if ${pod(t, ordinal)} is the primary, move the primary first: SELECT group_replication_set_as_primary('<uuid of another member>')`,
        `on ${pod(t, ordinal)}: STOP GROUP_REPLICATION; then ${scale(t, ordinal)}`,
      ];
    case 'redis':
      return [
        `if ${pod(t, ordinal)} is the primary, fail over first: SENTINEL FAILOVER <master>`,
        `${scale(t, ordinal)}`,
        'send SENTINEL RESET <master> to every remaining Sentinel, one at a time, waiting for each to rediscover the others',
      ];
    default:
      return [
        `remove ${pod(t, ordinal)} with ${t.system}'s own membership command, then ${scale(t, ordinal)}`,
      ];
  }
}

/**
 * The ordered steps to go from `from` to `to` members, one member at a time,
 * ending with the apply of the new manifests.
 */
export function membershipSteps(target: MembershipTarget, from: number, to: number): string[] {
  const steps: string[] = [];
  const etcdGrowth = family(target.system) === 'etcd' && to > from;
  if (etcdGrowth) {
    steps.push('Set initialClusterState: EtcdInitialClusterState.EXISTING in the new manifests (ETCD_INITIAL_CLUSTER_STATE=existing; members with data ignore it), '
      + 'so a member that starts on an empty volume joins the cluster instead of bootstrapping one of its own');
  }
  if (family(target.system) === 'zookeeper' && !target.dynamicReconfig) {
    steps.push('The rendered server list only has odd member counts, so the one-at-a-time lists below are written by hand; '
      + `the simpler safe alternative is a full stop: ${scale(target, 0)}, wait until every pod is gone, apply the new manifests (downtime, but never two majorities)`);
  }
  if (to > from) {
    for (let ordinal = from; ordinal < to; ordinal++) {
      steps.push(`${ordinal} -> ${ordinal + 1} members: ${addSteps(target, ordinal).join('; then ')}`);
    }
  } else {
    for (let ordinal = from - 1; ordinal >= to; ordinal--) {
      steps.push(`${ordinal + 1} -> ${ordinal} members: ${removeSteps(target, ordinal).join('; then ')}`);
    }
  }
  if (etcdGrowth) {
    // Reset the partition before the apply: the manifests render partition 0 themselves, and a server-side apply
    // would otherwise conflict with the field manager of the kubectl patch.
    steps.push(`Let the older members take the new member list one at a time: ${partition(target, 0)}, and wait for kubectl rollout status statefulset ${target.statefulSet}${ns(target)}; `
      + `then apply the new manifests (${to} members, acknowledged with --allow quorum-member-change): their member list matches the cluster`);
  } else {
    steps.push(`Apply the new manifests once the cluster runs ${to} healthy members (the rendered member list must match), and acknowledge with --allow quorum-member-change`);
  }
  return steps;
}
