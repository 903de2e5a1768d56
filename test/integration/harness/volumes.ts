/**
 * Puts a pod's volumes on the host the way the kubelet would, and turns a
 * container's volumeMounts into bind mounts for the launcher.
 */
import { existsSync, promises as fs } from 'fs';
import * as path from 'path';
import { LaunchMount } from './launcher';
import { ResolvedContainer, ResolvedPod, ResolvedVolume } from './pod-spec';
import { STATE_BASE } from './state';

/** A volume's directory on the host. */
export interface HostVolume {
  readonly volume: ResolvedVolume;
  readonly hostPath: string;
}

/**
 * Creates the pod's volumes under `podVolumesDir` (wiped first: configMap,
 * secret, downwardAPI, projected and emptyDir volumes are fresh per pod start)
 * and claims under `claimsDir` (kept across starts). With `fsGroup`, applies
 * the kubelet's ownership rule: group = fsGroup, group read/write, setgid dirs.
 */
export async function materializeVolumes(pod: ResolvedPod, podVolumesDir: string, claimsDir: string): Promise<Map<string, HostVolume>> {
  await fs.rm(podVolumesDir, { recursive: true, force: true });
  await fs.mkdir(podVolumesDir, { recursive: true, mode: 0o755 });
  await fs.mkdir(claimsDir, { recursive: true, mode: 0o755 });
  const out = new Map<string, HostVolume>();
  for (const v of pod.volumes) {
    let hostPath: string;
    if (v.kind === 'claim') {
      hostPath = path.join(claimsDir, v.claimName!);
      if (!existsSync(hostPath)) {
        await fs.mkdir(hostPath, { mode: 0o755 });
        await fs.chmod(hostPath, 0o755);
      }
      if (pod.fsGroup !== undefined) await applyFsGroup(hostPath, pod.fsGroup);
    } else if (v.kind === 'emptyDir') {
      hostPath = path.join(podVolumesDir, v.name);
      await fs.mkdir(hostPath);
      await fs.chmod(hostPath, 0o777);
      if (pod.fsGroup !== undefined) {
        await fs.chown(hostPath, 0, pod.fsGroup);
        await fs.chmod(hostPath, 0o2777);
      }
    } else {
      hostPath = path.join(podVolumesDir, v.name);
      await fs.mkdir(hostPath, { mode: 0o755 });
      await fs.chmod(hostPath, 0o755);
      for (const f of v.files) {
        const file = path.join(hostPath, f.path);
        await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
        await fs.writeFile(file, f.content);
        await fs.chmod(file, f.mode);
        if (pod.fsGroup !== undefined) {
          // The kubelet's ownership rule for read-only volumes: group fsGroup, g+r (and u+r).
          await fs.chown(file, 0, pod.fsGroup);
          await fs.chmod(file, withBits(f.mode, 0o440));
        }
      }
    }
    out.set(v.name, { volume: v, hostPath });
  }
  return out;
}

/** Recursive fsGroup ownership change (fsGroupChangePolicy Always): like the kubelet, g+rw (u+rw), dirs also ug+x and setgid. */
/* eslint-disable no-bitwise */
async function applyFsGroup(dir: string, gid: number): Promise<void> {
  const st = await fs.lstat(dir);
  if (st.isSymbolicLink()) return;
  await fs.lchown(dir, st.uid, gid);
  if (st.isDirectory()) {
    await fs.chmod(dir, withBits(st.mode, 0o2770));
    for (const name of await fs.readdir(dir)) await applyFsGroup(path.join(dir, name), gid);
  } else {
    await fs.chmod(dir, withBits(st.mode, 0o660));
  }
}

/** `mode` (permission bits only) with `bits` added. */
function withBits(mode: number, bits: number): number {
  return (mode & 0o7777) | bits;
}
/* eslint-enable no-bitwise */

/** Checks a mountPath can be emulated on this host. */
export function validateMountPath(mountPath: string, where: string): void {
  if (!mountPath.startsWith('/') || mountPath.split('/').includes('..')) {
    throw new Error(`harness: ${where}: mountPath '${mountPath}' must be absolute without '..'.`);
  }
  const norm = path.posix.normalize(mountPath).replace(/\/+$/, '') || '/';
  if (norm === '/' || STATE_BASE === norm || STATE_BASE.startsWith(norm + '/')) {
    throw new Error(`harness: ${where}: mountPath '${mountPath}' would hide the harness state under ${STATE_BASE}; the harness cannot emulate it.`);
  }
  for (const special of ['/proc', '/sys', '/dev']) {
    if (norm === special || norm.startsWith(special + '/')) {
      throw new Error(`harness: ${where}: mountPath '${mountPath}' under ${special} is not supported by the harness.`);
    }
  }
}

/**
 * The bind mounts of container `c` (subPaths created in the volume as the
 * kubelet does; configMap/secret/downwardAPI/projected always read-only).
 */
export async function containerMounts(c: ResolvedContainer, volumes: Map<string, HostVolume>, where: string): Promise<LaunchMount[]> {
  const out: LaunchMount[] = [];
  for (const m of c.mounts) {
    validateMountPath(m.mountPath, `${where} container '${c.name}'`);
    const v = volumes.get(m.volume);
    if (!v) throw new Error(`harness: ${where} container '${c.name}': volume '${m.volume}' is not defined.`);
    let source = v.hostPath;
    if (m.subPath) {
      if (m.subPath.startsWith('/') || m.subPath.split('/').includes('..')) {
        throw new Error(`harness: ${where} container '${c.name}': subPath '${m.subPath}' must be relative without '..'.`);
      }
      source = path.join(v.hostPath, m.subPath);
      if (!existsSync(source)) {
        await fs.mkdir(source, { recursive: true, mode: 0o755 });
      }
    }
    const st = await fs.stat(source);
    out.push({
      source,
      target: path.posix.normalize(m.mountPath).replace(/(.)\/+$/, '$1'),
      readOnly: m.readOnly || v.volume.kind === 'files',
      file: st.isFile(),
    });
  }
  return out;
}

/**
 * Creates on the host the mount points of `mounts` that are not inside another
 * of the same container's mounts (those the launcher creates inside the
 * volume). Returns every path it created, parents first.
 */
export async function createHostMountPoints(mounts: LaunchMount[]): Promise<string[]> {
  const created: string[] = [];
  for (const m of mounts) {
    const nested = mounts.some((o) => o !== m && m.target.startsWith(o.target.replace(/\/$/, '') + '/'));
    if (nested) continue;
    const dirTarget = m.file ? path.dirname(m.target) : m.target;
    const parts = dirTarget.split('/').filter((p) => p !== '');
    let cur = '';
    for (const part of parts) {
      cur += '/' + part;
      // Pods start in parallel: another pod may create the same path first (EEXIST).
      if (!existsSync(cur) && await fs.mkdir(cur, { mode: 0o755 }).then(() => true, ignoreExists)) created.push(cur);
    }
    if (m.file && !existsSync(m.target) && await fs.writeFile(m.target, '', { mode: 0o644, flag: 'wx' }).then(() => true, ignoreExists)) {
      created.push(m.target);
    }
  }
  return created;
}

function ignoreExists(e: any): false {
  if (e?.code === 'EEXIST') return false;
  throw e;
}
