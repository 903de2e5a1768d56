/**
 * Memory limits like the kubelet's: each container in its own memory cgroup
 * with `resources.limits.memory` as hard limit (no swap), so exceeding it
 * gets the container OOM-killed. cgroup v1 (memory controller) or v2.
 */
import { existsSync, promises as fs, readFileSync } from 'fs';
import * as path from 'path';
import { NAME_PREFIX } from './addressing';

const V1 = '/sys/fs/cgroup/memory';
const V2 = '/sys/fs/cgroup';

/** Which cgroup layout can limit memory here, if any. */
export function memoryCgroupVersion(): 'v1' | 'v2' | undefined {
  if (existsSync(path.join(V1, 'memory.limit_in_bytes'))) return 'v1';
  try {
    if (readFileSync(path.join(V2, 'cgroup.subtree_control'), 'utf8').split(/\s+/).includes('memory')) return 'v2';
  } catch {
    // no v2 hierarchy
  }
  return undefined;
}

/** The cgroup directory of a container of run `index`. */
export function cgroupDir(version: 'v1' | 'v2', index: number, pod: string, container: string): string {
  return path.join(version === 'v1' ? V1 : V2, `${NAME_PREFIX}${index}-${pod}-${container}`);
}

/**
 * Creates (or reuses) the container's cgroup with `limitBytes`; returns the
 * file a process writes its pid to in order to join, or undefined when
 * memory cgroups are unavailable.
 */
export async function memoryCgroup(index: number, pod: string, container: string, limitBytes: number): Promise<string | undefined> {
  const version = memoryCgroupVersion();
  if (!version) return undefined;
  const dir = cgroupDir(version, index, pod, container);
  await fs.mkdir(dir, { recursive: true });
  const limit = String(Math.floor(limitBytes));
  if (version === 'v1') {
    // memsw >= limit must hold at every step: raise memsw first when growing.
    const memsw = path.join(dir, 'memory.memsw.limit_in_bytes');
    if (existsSync(memsw)) await fs.writeFile(memsw, '-1').catch(() => undefined);
    await fs.writeFile(path.join(dir, 'memory.limit_in_bytes'), limit);
    if (existsSync(memsw)) await fs.writeFile(memsw, limit).catch(() => undefined);
  } else {
    await fs.writeFile(path.join(dir, 'memory.max'), limit);
    await fs.writeFile(path.join(dir, 'memory.swap.max'), '0').catch(() => undefined);
  }
  return path.join(dir, 'cgroup.procs');
}

/** How many times the kernel OOM-killed in the container's cgroup. */
export function oomKills(procsFile: string): number {
  const dir = path.dirname(procsFile);
  for (const file of ['memory.oom_control', 'memory.events']) {
    try {
      const m = /oom_kill (\d+)/.exec(readFileSync(path.join(dir, file), 'utf8'));
      if (m) return Number(m[1]);
    } catch {
      // not this layout
    }
  }
  return 0;
}

/** Removes the cgroups of run `index` (they must be empty; busy ones are left). */
export async function removeCgroups(index: number): Promise<void> {
  const version = memoryCgroupVersion();
  if (!version) return;
  const base = version === 'v1' ? V1 : V2;
  let names: string[] = [];
  try {
    names = await fs.readdir(base);
  } catch {
    return;
  }
  for (const n of names.filter((x) => x.startsWith(`${NAME_PREFIX}${index}-`))) {
    // Killed tasks leave the cgroup a moment after they die.
    for (let attempt = 0; attempt < 40; attempt++) {
      const ok = await fs.rmdir(path.join(base, n)).then(() => true, (e) => e.code === 'ENOENT');
      if (ok) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Run indexes that still have memory cgroups. */
export async function cgroupRunIndexes(): Promise<number[]> {
  const version = memoryCgroupVersion();
  if (!version) return [];
  const names = await fs.readdir(version === 'v1' ? V1 : V2).catch(() => [] as string[]);
  return names.map((n) => /^rbit-(\d+)-/.exec(n)).filter((m): m is RegExpExecArray => !!m).map((m) => Number(m[1]));
}
