/**
 * Jest globalTeardown of the integration suite: removes every harness
 * leftover (processes, netns, veths, /etc/netns dirs, state dirs, created
 * mount points) of this jest process and of dead ones; runs of other live
 * jest processes are kept.
 */
import { removeLeftovers } from './cleanup';

export default async function globalTeardown(): Promise<void> {
  if (process.getuid && process.getuid() !== 0) return;
  const removed = await removeLeftovers(false);
  if (removed.length > 0) {
    console.warn(`[harness] global teardown removed leftovers of runs ${removed.join(', ')} (a test did not dispose its PodCluster?)`);
  }
}
