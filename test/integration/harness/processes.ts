/**
 * Long-running container processes: each in its own process group with its
 * output appended to a log file. Every process spawned here is remembered and
 * SIGKILLed (whole group) when the Node process exits.
 */
import { ChildProcess, spawn } from 'child_process';
import { closeSync, openSync, writeSync } from 'fs';
import { killGroup } from './system';

const live = new Set<ChildProcess>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const child of live) killGroup(child.pid, 'SIGKILL');
  });
}

/** Options of {@link spawnLogged}. */
export interface SpawnLoggedOptions {
  readonly env: Record<string, string>;
  /** File stdout and stderr are appended to. */
  readonly logFile: string;
  /** Line written to the log before the process starts. */
  readonly banner: string;
}

/** Starts `cmd args` detached (own process group), tracked until it exits. */
export function spawnLogged(cmd: string, args: string[], opts: SpawnLoggedOptions): ChildProcess {
  hookExit();
  const fd = openSync(opts.logFile, 'a');
  try {
    writeSync(fd, `${opts.banner}\n`);
    const child = spawn(cmd, args, { env: opts.env, detached: true, stdio: ['ignore', fd, fd] });
    live.add(child);
    child.on('exit', () => live.delete(child));
    child.on('error', () => live.delete(child));
    return child;
  } finally {
    closeSync(fd);
  }
}

/** Number of tracked processes still alive (for tests of the harness). */
export function liveProcessCount(): number {
  return live.size;
}
