/**
 * Steps shared by the quorum scenarios of the preset integration tests
 * (form, lose faultTolerance members, lose quorum, recover).
 */
import { PodCluster } from './harness';

/** Ordinals 0..members-1. */
export function ordinals(members: number): number[] {
  return Array.from({ length: members }, (_, i) => i);
}

/**
 * Stops `count` members at once, the leader first, and returns who is down and who still serves.
 */
export async function stopLeaderFirst(cluster: PodCluster, members: number, leader: number, count: number):
Promise<{ stopped: number[]; survivors: number[] }> {
  const all = ordinals(members);
  const stopped = [leader, ...all.filter(i => i !== leader)].slice(0, count);
  await Promise.all(stopped.map(i => cluster.stopPod(i)));
  return { stopped, survivors: all.filter(i => !stopped.includes(i)) };
}

/** Polls `check` every 500 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}
