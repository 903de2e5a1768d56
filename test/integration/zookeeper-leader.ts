/**
 * Who leads a ZooKeeper ensemble run by the harness, for the ZooKeeper integration tests and the
 * operations benchmark.
 */
import { PodCluster } from './harness';

/** The member's `srvr` Mode (e.g. 'leader', 'follower'); undefined when it does not run or serve. */
export async function zookeeperMode(cluster: PodCluster, ordinal: number): Promise<string | undefined> {
  if (!cluster.isRunning(ordinal)) return undefined;
  const r = await cluster.exec(ordinal, ['bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/2181; printf srvr >&3; timeout 3 cat <&3'], { timeoutMs: 5000 });
  return /^Mode: (\w+)/m.exec(r.stdout)?.[1];
}

/** The member that says Mode: leader, when exactly one of `members` does. */
export async function zookeeperLeader(cluster: PodCluster, members: number[]): Promise<number | undefined> {
  const modes = await Promise.all(members.map(i => zookeeperMode(cluster, i)));
  const leaders = members.filter((_, k) => modes[k] === 'leader');
  return leaders.length === 1 ? leaders[0] : undefined;
}
