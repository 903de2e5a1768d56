/**
 * Removing what harness runs leave behind: their processes, network
 * namespaces, /etc/netns dirs, memory cgroups, state dirs and created mount points. A run is
 * removed when its owner process is gone or is this process (or its child);
 * runs of other live jest processes are left alone.
 */
import { promises as fs, statSync } from 'fs';
import { runIndexOfNetns } from './addressing';
import { cgroupRunIndexes, removeCgroups } from './cgroups';
import { deleteNetns, listNetns, NETNS_ETC } from './network';
import { listRuns, parentPid, pidAlive, removeCreatedPaths, runDir, runOwner } from './state';

/** True when run `index` belongs to a live process other than this one (and its children). */
export function ownedByOtherLiveProcess(index: number): boolean {
  const owner = runOwner(index);
  if (owner === undefined) {
    // A run being claimed right now has its dir but not yet its owner file.
    try {
      return Date.now() - statSync(runDir(index)).mtimeMs < 60000;
    } catch {
      return false;
    }
  }
  if (owner === process.pid || parentPid(owner) === process.pid) return false;
  return pidAlive(owner);
}

/** Deletes every netns, /etc/netns dir and the state dir of run `index`. */
export async function removeRun(index: number): Promise<void> {
  const names = (await listNetns()).filter((n) => runIndexOfNetns(n) === index);
  // Pods first, the hub (holding the bridge) last.
  names.sort((a, b) => Number(a.endsWith('-hub')) - Number(b.endsWith('-hub')));
  for (const n of names) await deleteNetns(n);
  try {
    for (const n of await fs.readdir(NETNS_ETC)) {
      if (runIndexOfNetns(n) === index) await fs.rm(`${NETNS_ETC}/${n}`, { recursive: true, force: true });
    }
  } catch {
    // no /etc/netns
  }
  await removeCgroups(index);
  await fs.rm(runDir(index), { recursive: true, force: true });
}

/**
 * Removes all runs not owned by another live process, then the created mount
 * points if no run is left. `onlyDead` keeps this process's own runs too.
 */
export async function removeLeftovers(onlyDead = false): Promise<number[]> {
  const removed: number[] = [];
  const indexes = new Set<number>(await listRuns());
  for (const n of await listNetns()) {
    const i = runIndexOfNetns(n);
    if (i !== undefined) indexes.add(i);
  }
  for (const i of await cgroupRunIndexes()) indexes.add(i);
  for (const index of indexes) {
    if (ownedByOtherLiveProcess(index)) continue;
    const owner = runOwner(index);
    if (onlyDead && owner !== undefined && pidAlive(owner)) continue;
    await removeRun(index);
    removed.push(index);
  }
  if ((await listRuns()).length === 0) {
    await removeCreatedPaths();
    // /etc/netns only holds harness dirs here; drop it when empty.
    await fs.rmdir(NETNS_ETC).catch(() => undefined);
  }
  return removed;
}
