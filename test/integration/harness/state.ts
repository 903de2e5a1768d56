/**
 * On-disk state of harness runs under /var/lib/rbit-harness: one directory per
 * run (claimed atomically by mkdir, named by its subnet index, holding the
 * owner pid, pods' volumes, claims, logs, scripts and command shims), and
 * markers of the mount points the harness had to create on the host.
 */
import { promises as fs, readFileSync } from 'fs';
import * as path from 'path';
import { NAME_PREFIX, SUBNET_COUNT } from './addressing';

/**
 * Base of all run directories. Not under /tmp: containers commonly mount an
 * emptyDir at /tmp, which would hide volume sources from the launcher.
 */
export const STATE_BASE = '/var/lib/rbit-harness';

/** The directory of run `index`. */
export function runDir(index: number): string {
  return path.join(STATE_BASE, `${NAME_PREFIX}${index}`);
}

/** Claims a free run index (random start, so concurrent jest processes don't collide). */
export async function claimRun(): Promise<{ index: number; dir: string }> {
  await fs.mkdir(STATE_BASE, { recursive: true, mode: 0o755 });
  await fs.chmod(STATE_BASE, 0o755);
  const start = Math.floor(Math.random() * SUBNET_COUNT);
  for (let k = 0; k < SUBNET_COUNT; k++) {
    const index = (start + k) % SUBNET_COUNT;
    const dir = runDir(index);
    try {
      await fs.mkdir(dir, { mode: 0o755 });
    } catch (e: any) {
      if (e.code === 'EEXIST') continue;
      throw e;
    }
    await fs.chmod(dir, 0o755);
    await fs.writeFile(path.join(dir, 'owner'), `${process.pid}\n`);
    return { index, dir };
  }
  throw new Error(`harness: all ${SUBNET_COUNT} run slots under ${STATE_BASE} are taken; run the global teardown.`);
}

/** Run indexes that have a state directory. */
export async function listRuns(): Promise<number[]> {
  let names: string[] = [];
  try {
    names = await fs.readdir(STATE_BASE);
  } catch {
    return [];
  }
  return names.map((n) => /^rbit-(\d+)$/.exec(n)).filter((m): m is RegExpExecArray => !!m).map((m) => Number(m[1]));
}

/** Pid that owns run `index`, or undefined when unknown. */
export function runOwner(index: number): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(runDir(index), 'owner'), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** True when process `pid` exists. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: any) {
    return e.code === 'EPERM';
  }
}

/** Parent pid of `pid` (from /proc), or undefined. */
export function parentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[1]);
  } catch {
    return undefined;
  }
}

/** One marker file per created path (no shared file to rewrite: concurrent runs can't lose entries). */
const CREATED_DIR = path.join(STATE_BASE, 'created-paths');

function markerOf(p: string): string {
  return path.join(CREATED_DIR, encodeURIComponent(p));
}

/** Records host paths the harness created as mount points. */
export async function recordCreatedPaths(paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  await fs.mkdir(CREATED_DIR, { recursive: true, mode: 0o755 });
  for (const p of paths) await fs.writeFile(markerOf(p), '');
}

/** Recorded created paths not yet removed. */
export async function createdPaths(): Promise<string[]> {
  try {
    return (await fs.readdir(CREATED_DIR)).map((m) => decodeURIComponent(m)).filter((p) => p.startsWith('/'));
  } catch {
    return [];
  }
}

/**
 * Removes the recorded mount points that are empty (deepest first) and
 * forgets them. Only call when no other run is live: removing a directory
 * that is a mount point in another run's mount namespace would detach it.
 */
export async function removeCreatedPaths(): Promise<void> {
  const all = await createdPaths();
  all.sort((a, b) => b.split('/').length - a.split('/').length || b.length - a.length);
  for (const p of all) {
    try {
      const st = await fs.lstat(p);
      if (st.isDirectory()) {
        await fs.rmdir(p);
      } else if (st.isFile() && st.size === 0) {
        await fs.unlink(p);
      } else {
        continue;
      }
    } catch (e: any) {
      if (e.code !== 'ENOENT') continue;
    }
    await fs.rm(markerOf(p), { force: true });
  }
}
