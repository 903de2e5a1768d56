/**
 * Running host commands with a timeout, and small waiting helpers.
 */
import { spawn } from 'child_process';

/** The outcome of a finished command. */
export interface ExecResult {
  /** Exit code; null when killed by a signal (e.g. on timeout). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link run}. */
export interface RunOptions {
  /** @default 30000 */
  readonly timeoutMs?: number;
  /** Written to stdin, which is then closed. @default no input */
  readonly input?: string;
  /** Full environment of the command. @default process.env */
  readonly env?: Record<string, string>;
  /** @default process.cwd() */
  readonly cwd?: string;
}

/**
 * Runs `cmd args` in its own process group; on timeout the whole group gets
 * SIGKILL and the result has `code: null` and a note in stderr.
 */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<ExecResult> {
  const timeoutMs = opts.timeoutMs ?? 30000;
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdin.on('error', () => undefined);
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: stderr + String(err) });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: timedOut ? null : code, stdout, stderr: timedOut ? `${stderr}\n[harness] timed out after ${timeoutMs} ms` : stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Like {@link run} but throws with the command's output unless it exits 0. */
export async function runOk(cmd: string, args: string[], opts: RunOptions = {}): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    throw new Error(`harness: '${[cmd, ...args].join(' ')}' failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  }
  return r.stdout;
}

/** Sends `signal` to the process group led by `pid`; ignores missing groups. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Polls `check` every `intervalMs` until it returns true; throws
 * `describe()` after `timeoutMs`.
 */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => string, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(describe());
    await sleep(intervalMs);
  }
}
