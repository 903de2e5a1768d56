/**
 * Applying an image's recorded facts (src/presets/_image-facts.ts) to a
 * container the harness runs with host binaries: the image's user when the
 * pod spec sets none, a PATH of shims at the image's own paths for exactly
 * the image's binaries (each shim execs the Debian binary doing that job),
 * absolute command paths resolved only inside the image, and the kubelet's
 * refusal of `runAsNonRoot` for an image that would run as root.
 * Pure: builds plans and text only; cluster.ts writes the shims.
 */
import * as path from 'path';
import { ImageFacts, resolveImageCommand } from '../../../src/presets/_image-facts';

/** Where host executables are looked for when `commands` does not name one. */
const HOST_DIRS = ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin'];

/** One shim: an image path and the host executable it runs. */
export interface ImageShim {
  /** Path inside the image, e.g. `/usr/local/bin/redis-cli`. */
  readonly imagePath: string;
  /** Host executable. */
  readonly target: string;
}

/** The shims of an image and the binaries the host cannot stand in for. */
export interface ImageShimPlan {
  readonly shims: ImageShim[];
  /** Image binaries without a host equivalent (calling them fails: not found). */
  readonly missing: string[];
}

/**
 * Plans one shim per image binary. `commands` (name or image path → host
 * executable) wins; otherwise a host binary of the same name is used.
 * A `commands` key that is no binary of the image is an error: only the
 * image's binaries may be on its PATH.
 */
export function imageShimPlan(facts: ImageFacts, commands: Record<string, string>, exists: (file: string) => boolean): ImageShimPlan {
  for (const key of Object.keys(commands)) {
    if (!resolveImageCommand(facts, key)) {
      throw new Error(`harness: commands['${key}']: the image ${facts.image} has no such binary (its binaries: ${Object.keys(facts.binaries).sort().join(', ')}). `
        + 'Map only binaries the image has, or fix the image facts with their source.');
    }
  }
  const shims: ImageShim[] = [];
  const missing: string[] = [];
  for (const [name, file] of Object.entries(facts.binaries)) {
    const target = commands[file] ?? commands[name] ?? HOST_DIRS.map(d => `${d}/${name}`).find(exists);
    if (target) shims.push({ imagePath: file, target });
    else missing.push(name);
  }
  return { shims, missing };
}

/** The container PATH: the image's PATH directories under the shim root. */
export function imagePath(facts: ImageFacts, shimRoot: string): string {
  return facts.path.map(d => path.posix.join(shimRoot, d)).join(':');
}

/** Host file of the shim for `imageFile` (merged /usr: /bin/x and /usr/bin/x are one file). */
export function shimFile(shimRoot: string, imageFile: string): string {
  return path.posix.join(shimRoot, imageFile);
}

/**
 * The argv to run for `argv` in the image: a bare name stays (PATH finds its
 * shim, or fails as in the image); an absolute path the image has becomes its
 * shim; any other absolute path fails like the runtime's "no such file".
 */
export function imageArgv(facts: ImageFacts, shimRoot: string, argv: string[]): string[] {
  const exe = argv[0];
  if (exe === undefined || !exe.startsWith('/')) return argv;
  const known = resolveImageCommand(facts, exe);
  if (!known) {
    return ['/bin/sh', '-c', `echo "exec: ${exe.replace(/["\\$`]/g, '')}: no such file or directory (not in image ${facts.image})" >&2; exit 127`];
  }
  const merged = Object.values(facts.binaries).includes(known) ? known : known.replace(/^\/bin\//, '/usr/bin/').replace(/^\/sbin\//, '/usr/sbin/');
  return [shimFile(shimRoot, merged), ...argv.slice(1)];
}

/** The user a container runs as: its pod spec's, else the image's (root = undefined). */
export function imageUser(facts: ImageFacts, runAsUser?: number, runAsGroup?: number): { uid?: number; gid?: number } {
  if (runAsUser !== undefined || runAsGroup !== undefined) return { uid: runAsUser, gid: runAsGroup };
  return facts.defaultUser.uid === 0 && facts.defaultUser.gid === 0 ? {} : { uid: facts.defaultUser.uid, gid: facts.defaultUser.gid };
}

/** The kubelet's check: `runAsNonRoot` with no user and an image that runs as root cannot start. */
export function nonRootProblem(facts: ImageFacts, runAsNonRoot: boolean, runAsUser?: number): string | undefined {
  if (!runAsNonRoot) return undefined;
  const uid = runAsUser ?? facts.defaultUser.uid;
  return uid === 0 ? `container has runAsNonRoot and image ${facts.image} will run as root (no runAsUser in the pod spec)` : undefined;
}
