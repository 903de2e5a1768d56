/**
 * Running a command inside a running container, as `kubectl exec` or an exec
 * probe does: `nsenter` into the container process's mount, UTS and network
 * namespaces, then `setpriv` to the container user, with the container's env.
 */
import { joinCgroupArgv, LaunchPrivileges, LaunchUser, setprivArgs } from './launcher';
import { ExecResult, run } from './system';

/** Where and as whom to run. */
export interface ContainerTarget {
  /** A pid of the container (its main process). */
  readonly pid: number;
  readonly user?: LaunchUser;
  /** @default no restrictions */
  readonly privileges?: LaunchPrivileges;
  /** The container's memory cgroup (exec'd processes count against its limit). @default none */
  readonly cgroupProcs?: string;
  readonly workingDir: string;
  readonly env: Record<string, string>;
}

/** The full argv of an exec into `target`. */
export function containerExecArgv(target: ContainerTarget, argv: string[]): string[] {
  return joinCgroupArgv(target.cgroupProcs, [
    '/usr/bin/nsenter', `--target=${target.pid}`, '--mount', '--uts', '--net', `--wd=${target.workingDir}`, '--',
    ...setprivArgs(target.user, target.privileges), ...argv,
  ]);
}

/** Runs `argv` in the container; never throws for a non-zero exit. */
export function execInContainer(
  target: ContainerTarget,
  argv: string[],
  opts: { timeoutMs?: number; input?: string; env?: Record<string, string> } = {},
): Promise<ExecResult> {
  if (argv.length === 0) throw new Error('harness: exec needs a command (argv is empty).');
  const full = containerExecArgv(target, argv);
  return run(full[0], full.slice(1), { env: { ...target.env, ...(opts.env ?? {}) }, timeoutMs: opts.timeoutMs ?? 30000, input: opts.input });
}
