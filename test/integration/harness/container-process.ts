/**
 * One container of a pod as the kubelet runs it: spawned through its launcher
 * (netns, mount + UTS namespaces, memory cgroup), restarted with backoff when
 * it exits (restartPolicy Always), its postStart hook run, its startup and
 * liveness probes acted on and its readiness probed on the kubelet's schedule.
 */
import { ChildProcess } from 'child_process';
import { appendFileSync, readFileSync } from 'fs';
import { constants } from 'os';
import { oomKills } from './cgroups';
import { ContainerTarget } from './container-exec';
import { joinCgroupArgv, LaunchPrivileges, LaunchUser } from './launcher';
import { ResolvedContainer, ResolvedProbe } from './pod-spec';
import { probeOnce } from './probes';
import { spawnLogged } from './processes';
import { ExecResult, killGroup, sleep } from './system';

/** Everything prepared on the host for a container. */
export interface ContainerLaunchConfig {
  readonly spec: ResolvedContainer;
  /** The launcher script (see launcher.ts). */
  readonly script: string;
  readonly logFile: string;
  readonly env: Record<string, string>;
  /** @default root */
  readonly user?: LaunchUser;
  readonly privileges: LaunchPrivileges;
  readonly workingDir: string;
  /** The memory cgroup's cgroup.procs. @default no memory limit */
  readonly cgroupProcs?: string;
}

/** What a container needs to know about its pod. */
export interface ContainerPod {
  readonly name: string;
  readonly netns: string;
  readonly ip: string;
  /** terminationGracePeriodSeconds in ms. */
  graceMs(): number;
}

/** How a main container is supervised. */
export interface SuperviseOptions {
  /** Restart after exit (backoff 1s, 2s, 4s .. 10s). */
  readonly restart: boolean;
  /** Act on startup and liveness probes. */
  readonly probes: boolean;
}

/** A container and its current process (instance). */
export class ContainerProcess {
  public child?: ChildProcess;
  public exited = false;
  public exitCode: number | null = null;
  public restarts = 0;
  public startedAt = 0;
  /** False until postStart and the startupProbe succeeded (readiness and liveness wait for it). */
  public startupDone = false;
  /**
   * The readiness probe's result for the current instance, as the kubelet keeps it: false from the
   * start until successThreshold successes in a row, false again after failureThreshold failures.
   */
  public readinessResult = false;
  /** When the current instance last became ready (0 before that, and after its readiness turned false). */
  public readySince = 0;
  /** Output of the last failed readiness probe (for error messages). */
  public lastReadinessFailure = '';
  /** A status change while not ready: the kubelet probes readiness at once and restarts its ticker. */
  private readinessTriggered = false;
  /** Resolves once the launcher has exec'd the command (mounts in place), or the process is gone. */
  public launched: Promise<void> = Promise.resolve();
  private restartTimer?: NodeJS.Timeout;
  private oomKillsAtStart = 0;

  constructor(public readonly config: ContainerLaunchConfig, private readonly pod: ContainerPod) {}

  public get spec(): ResolvedContainer {
    return this.config.spec;
  }

  public get name(): string {
    return this.config.spec.name;
  }

  /** True while the current instance runs. */
  public get running(): boolean {
    return !!this.child?.pid && !this.exited;
  }

  /** The container's `ready` status: running, started, and its readiness probe (if any) passed. */
  public get ready(): boolean {
    return this.running && this.startupDone && (!this.spec.readinessProbe || this.readinessResult);
  }

  /** Why the container is not ready, for error messages. */
  public notReadyReason(): string {
    if (!this.running) return `container '${this.name}' is not running (last exit code ${this.exitCode}, restarts ${this.restarts})`;
    if (!this.startupDone) return `container '${this.name}' startup probe has not succeeded yet`;
    const probe = this.spec.readinessProbe;
    if (probe && Date.now() - this.startedAt < probe.initialDelaySeconds * 1000) return `container '${this.name}' readiness probe waits for initialDelaySeconds`;
    return `container '${this.name}' readiness ${probe?.kind} probe ${this.lastReadinessFailure ? `failed: ${this.lastReadinessFailure}` : 'has not run since it started'}`;
  }

  /** Where exec, probes and hooks run for the current instance. */
  public target(): ContainerTarget {
    const c = this.config;
    return { pid: this.child!.pid!, user: c.user, privileges: c.privileges, workingDir: c.workingDir, env: c.env, cgroupProcs: c.cgroupProcs };
  }

  /** Runs a probe or lifecycle handler against the current instance; never throws. */
  public async probe(probe: ResolvedProbe): Promise<ExecResult> {
    return probeOnce(probe, { netns: this.pod.netns, podIP: this.pod.ip, container: this.target() })
      .catch((e) => ({ code: 1, stdout: '', stderr: String(e) }));
  }

  /** Runs an init container to completion; resolves its exit code as a runtime reports it (null on timeout, then killed). */
  public async runToCompletion(timeoutMs: number): Promise<number | null> {
    const child = this.spawn(`init container '${this.name}' started`);
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        killGroup(child.pid, 'SIGKILL');
        resolve(null);
      }, timeoutMs);
      child.on('exit', (c, signal) => {
        clearTimeout(timer);
        resolve(containerExitCode(c, signal));
      });
      child.on('error', () => {
        clearTimeout(timer);
        resolve(127);
      });
    });
    this.exited = true;
    this.exitCode = code;
    return code;
  }

  /**
   * Starts a main container. `live()` tells whether the pod still wants it
   * (false once the pod is stopping): exits are then not restarted.
   */
  public start(live: () => boolean, options: SuperviseOptions): void {
    const child = this.spawn(`container '${this.name}' started (restart ${this.restarts})`);
    const onExit = (code: number | null, signal?: NodeJS.Signals | null) => {
      if (this.child !== child) return;
      this.exited = true;
      this.exitCode = containerExitCode(code, signal);
      if (!live()) return;
      const oom = this.config.cgroupProcs && oomKills(this.config.cgroupProcs) > this.oomKillsAtStart ? ', OOMKilled: memory limit exceeded' : '';
      this.note(`container '${this.name}' exited (code ${this.exitCode}${signal ? `, signal ${signal}` : ''}${oom})`);
      if (!options.restart) return;
      const delay = Math.min(10000, 1000 * 2 ** this.restarts);
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (!live()) return;
        this.restarts += 1;
        this.start(live, options);
      }, delay);
    };
    child.on('exit', onExit);
    child.on('error', () => onExit(127));
    this.startupDone = false;
    this.readinessResult = false;
    this.readySince = 0;
    this.lastReadinessFailure = '';
    this.readinessTriggered = false;
    void this.supervise(child, live, options);
    void this.probeReadiness(child, live);
  }

  /** Cancels a pending restart (the pod is stopping). */
  public cancelRestart(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  /** Appends a `--- [harness] ... ---` line to the container's log. */
  public note(text: string): void {
    appendFileSync(this.config.logFile, `--- [harness] ${new Date().toISOString()} ${text} ---\n`);
  }

  private spawn(banner: string): ChildProcess {
    this.exited = false;
    this.exitCode = null;
    this.startedAt = Date.now();
    this.oomKillsAtStart = this.config.cgroupProcs ? oomKills(this.config.cgroupProcs) : 0;
    const argv = joinCgroupArgv(this.config.cgroupProcs, [
      '/usr/sbin/ip', 'netns', 'exec', this.pod.netns,
      '/usr/bin/unshare', '--mount', '--uts', '--propagation', 'private',
      '/bin/sh', this.config.script,
    ]);
    const child = spawnLogged(argv[0], argv.slice(1), {
      env: this.config.env,
      logFile: this.config.logFile,
      banner: `--- [harness] ${new Date().toISOString()} ${banner} ---`,
    });
    this.child = child;
    this.launched = this.watchLaunch(child);
    return child;
  }

  /**
   * Every stage before the command (cgroup join, ip netns exec, unshare, the
   * launcher script) has the script path in its command line; the command
   * has not. Exec, probes and hooks must wait for this, or they would see the
   * host's files instead of the container's mounts.
   */
  private async watchLaunch(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + 30000;
    while (this.child === child && !this.exited && child.pid && Date.now() < deadline) {
      let cmdline: string;
      try {
        cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8');
      } catch {
        return;
      }
      if (cmdline !== '' && !cmdline.includes(this.config.script)) return;
      await sleep(10);
    }
  }

  /**
   * What the kubelet does for one instance after starting it: the postStart
   * hook (failure kills the container), then startup and liveness probing at
   * the probes' own periods; failureThreshold consecutive failures kill the
   * container (SIGTERM, SIGKILL after the grace period) so it is restarted.
   */
  private async supervise(child: ChildProcess, live: () => boolean, options: SuperviseOptions): Promise<void> {
    const alive = () => this.child === child && !this.exited && live();
    const pause = async (ms: number) => {
      const until = Date.now() + ms;
      while (alive() && Date.now() < until) await sleep(Math.min(200, until - Date.now()));
    };
    const kill = async (why: string) => {
      this.note(`${why}; killing container`);
      killGroup(child.pid, 'SIGTERM');
      await pause(this.pod.graceMs());
      if (alive()) killGroup(child.pid, 'SIGKILL');
    };
    const output = (r: ExecResult) => (r.stdout + r.stderr).trim().slice(-300);
    const watch = async (probe: ResolvedProbe, kind: string, untilSuccess: boolean): Promise<boolean> => {
      await pause(probe.initialDelaySeconds * 1000);
      let failures = 0;
      while (alive()) {
        const r = await this.probe(probe);
        if (!alive()) return false;
        if (r.code === 0) {
          failures = 0;
          if (untilSuccess) return true;
        } else if (++failures >= probe.failureThreshold) {
          await kill(`${kind} probe failed ${failures} times (${output(r)})`);
          return false;
        }
        await pause(probe.periodSeconds * 1000);
      }
      return false;
    };

    await this.launched;
    if (this.spec.postStart) {
      const r = await this.probe({ ...this.spec.postStart, timeoutSeconds: 120 });
      if (!alive()) return;
      if (r.code !== 0) return kill(`postStart hook failed (exit ${r.code}: ${output(r)})`);
    }
    if (options.probes && this.spec.startupProbe) {
      if (!(await watch(this.spec.startupProbe, 'startup', true))) return;
    }
    this.startupDone = true;
    if (!this.spec.readinessProbe) this.readySince = Date.now();
    this.readinessTriggered = true; // the status now says started, not ready
    if (options.probes && this.spec.livenessProbe) await watch(this.spec.livenessProbe, 'liveness', false);
  }

  /**
   * The kubelet's readiness worker (pkg/kubelet/prober/worker.go) for one instance: it probes on
   * a ticker of periodSeconds, skipped while the container is younger than initialDelaySeconds or
   * not yet started; a status change while the container is not ready (it started, its startup
   * probe passed, its readiness turned false) probes at once and restarts the ticker
   * (prober_manager.go, UpdatePodStatus). So a readiness initialDelaySeconds of 5 with a period
   * of 10 first probes about 10 s after the start, not 5.
   */
  private async probeReadiness(child: ChildProcess, live: () => boolean): Promise<void> {
    const probe = this.spec.readinessProbe;
    if (!probe) return;
    const alive = () => this.child === child && !this.exited && live();
    const periodMs = probe.periodSeconds * 1000;
    let tick = this.startedAt + periodMs; // the start's status update triggered a (skipped) probe
    let successes = 0;
    let failures = 0;
    await this.launched;
    while (alive()) {
      while (alive() && !this.readinessTriggered && Date.now() < tick) await sleep(Math.min(50, tick - Date.now()));
      if (!alive()) return;
      if (this.readinessTriggered) {
        this.readinessTriggered = false;
        tick = Date.now() + periodMs;
      } else {
        tick = Math.max(tick + periodMs, Date.now()); // a tick missed while probing is taken at once, as Go's ticker does
      }
      if (!this.startupDone || Date.now() - this.startedAt < probe.initialDelaySeconds * 1000) continue;
      const r = await this.probe(probe);
      if (!alive()) return;
      if (r.code === 0) {
        failures = 0;
        if (!this.readinessResult && ++successes >= probe.successThreshold) {
          this.readinessResult = true;
          this.readySince = Date.now();
        }
      } else {
        successes = 0;
        this.lastReadinessFailure = `exit ${r.code}: ${(r.stdout + r.stderr).trim().slice(-500)}`;
        if (this.readinessResult && ++failures >= probe.failureThreshold) {
          this.readinessResult = false;
          this.readySince = 0;
          failures = 0;
          this.readinessTriggered = true;
        }
      }
    }
  }
}

/**
 * The exit code a container runtime reports: the process's own code, or 128 plus the signal's
 * number when a signal ended it (137 for SIGKILL, whichever process of the container the kernel's
 * OOM killer chose).
 */
export function containerExitCode(code: number | null, signal?: NodeJS.Signals | null): number | null {
  if (code !== null) return code;
  return signal ? 128 + constants.signals[signal] : null;
}
