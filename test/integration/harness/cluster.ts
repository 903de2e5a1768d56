/**
 * The PodCluster implementation: pods of one StatefulSet as host processes.
 */
import { existsSync, promises as fs, readFileSync, renameSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { podAddress, podNetns } from './addressing';
import { memoryCgroup } from './cgroups';
import { removeLeftovers, removeRun } from './cleanup';
import { execInContainer } from './container-exec';
import { ContainerLaunchConfig, ContainerProcess } from './container-process';
import { DnsPublication, dnsPublication } from './dns';
import { hostsFile, podDnsNames, resolvConf } from './hosts';
import { imageArgv, imagePath, imageShimPlan, imageUser, nonRootProblem, shimFile } from './image';
import type { PodCluster, PodClusterOptions, PodExecOptions } from './index';
import { LaunchMount, LaunchPrivileges, LaunchUser, launcherScript, shq } from './launcher';
import { companionFacts, statefulSetFacts, StatefulSetFacts } from './manifest';
import { createNetwork, destroyNetwork, netnsPids, NETNS_ETC, PodNetwork, writeNetnsEtc } from './network';
import { ResolvedContainer, ResolvedPod, ResolvedProbe, resolvePod } from './pod-spec';
import { claimRun, recordCreatedPaths } from './state';
import { ExecResult, killGroup, sleep, waitFor } from './system';
import { containerMounts, createHostMountPoints, HostVolume, materializeVolumes } from './volumes';
import type { ImageFacts } from '../../../src/presets/_image-facts';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Creates namespaces, network, hosts files and state dirs; starts no pod. */
export async function startPodCluster(options: PodClusterOptions): Promise<PodCluster> {
  if (process.getuid && process.getuid() !== 0) {
    throw new Error('harness: the integration harness needs root (network namespaces, mounts, setpriv). Run the integration tests as root.');
  }
  const facts = statefulSetFacts(options.manifests, options.statefulSetName);
  const replicas = options.replicas ?? facts.replicas;
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 200) {
    throw new Error(`harness: replicas must be an integer in 1..200, got ${replicas}.`);
  }
  const clusterDomain = options.clusterDomain ?? facts.clusterDomainHint ?? 'cluster.local';
  // Resolve pod 0 once up front so bad manifests fail before anything is created.
  resolvePod({ manifests: options.manifests, facts, secrets: options.secrets }, { ordinal: 0, podIP: '198.18.0.10' });

  await removeLeftovers(true);
  const claimed = await claimRun();
  const cluster = new Cluster(options, facts, replicas, clusterDomain, claimed.index, claimed.dir);
  try {
    await cluster.init();
  } catch (e) {
    await cluster.dispose();
    throw e;
  }
  return cluster;
}

interface PodRun {
  readonly ordinal: number;
  /** The workload the pod belongs to (the StatefulSet, or a companion Deployment). */
  readonly facts: StatefulSetFacts;
  /** Index of the pod within its workload. */
  readonly local: number;
  readonly companion: boolean;
  readonly name: string;
  readonly netns: string;
  readonly ip: string;
  readonly dir: string;
  state: 'stopped' | 'starting' | 'running' | 'stopping';
  resolved?: ResolvedPod;
  containers: ContainerProcess[];
  /** Incremented on every start and stop, so stale exit handlers do nothing. */
  generation: number;
}

class Cluster implements PodCluster {
  public readonly podNames: string[];
  public readonly namespace: string;
  public readonly serviceName: string;
  private readonly pods: PodRun[];
  private readonly shimDir: string;
  private network?: PodNetwork;
  private disposing?: Promise<void>;
  /** How cluster DNS publishes the pods (see dns.ts). */
  public readonly dnsMode: DnsPublication;
  public readonly dnsReason: string;
  /** Ordinals currently ready, as tracked for 'ready' DNS publication. */
  private readonly readyForDns = new Set<number>();

  constructor(
    private readonly options: PodClusterOptions,
    private readonly facts: StatefulSetFacts,
    replicas: number,
    public readonly clusterDomain: string,
    private readonly index: number,
    private readonly dir: string,
  ) {
    this.namespace = facts.namespace;
    this.serviceName = facts.serviceName;
    this.podNames = Array.from({ length: replicas }, (_, i) => `${facts.name}-${i}`);
    this.shimDir = path.join(dir, 'bin');
    const dns = dnsPublication(options.manifests, facts);
    this.dnsMode = dns.mode;
    this.dnsReason = dns.reason;
    const workloads = [
      { facts, count: replicas, companion: false },
      ...(options.companions ?? []).map((name) => {
        const f = companionFacts(options.manifests, name, facts);
        return { facts: f, count: f.replicas, companion: true };
      }),
    ];
    const members = workloads.flatMap((w) => Array.from({ length: w.count }, (_, local) => ({ ...w, local })));
    this.pods = members.map((m, ordinal) => ({
      ordinal,
      facts: m.facts,
      local: m.local,
      companion: m.companion,
      name: `${m.facts.name}-${m.local}`,
      netns: podNetns(index, ordinal),
      ip: podAddress(index, ordinal),
      dir: path.join(dir, 'pods', `${m.facts.name}-${m.local}`),
      state: 'stopped',
      containers: [],
      generation: 0,
    }));
  }

  /** Network, hosts files, command shims. */
  public async init(): Promise<void> {
    this.network = await createNetwork(this.index, this.pods.map((p) => p.ordinal));
    for (const p of this.pods) {
      await writeNetnsEtc(p.netns, this.hostsOf(p), resolvConf(this.namespace, this.clusterDomain));
      await fs.mkdir(path.join(p.dir, 'logs'), { recursive: true, mode: 0o755 });
    }
    if (this.dnsMode === 'ready') void this.trackReadinessForDns();
    await fs.mkdir(this.shimDir, { recursive: true, mode: 0o755 });
    for (const [deployment, run] of Object.entries(this.options.companionImages ?? {})) {
      if (!(this.options.companions ?? []).includes(deployment)) {
        throw new Error(`harness: companionImages['${deployment}']: '${deployment}' is not in options.companions.`);
      }
      await this.writeImageShims(run.image, run.commands ?? {}, this.imageRootOf(run.image));
    }
    if (this.options.image) return this.writeImageShims(this.options.image, this.options.commands ?? {}, this.imageRootOf(this.options.image));
    for (const [name, target] of Object.entries(this.options.commands ?? {})) {
      if (!name.startsWith('/') && name.includes('/')) {
        throw new Error(`harness: commands key '${name}' must be a bare command name or an absolute path.`);
      }
      if (!existsSync(target)) {
        throw new Error(`harness: commands['${name}'] = '${target}' does not exist on this host (is the package installed? run test/integration/setup.sh).`);
      }
      const shim = this.shimPath(name);
      await fs.mkdir(path.dirname(shim), { recursive: true, mode: 0o755 });
      await fs.writeFile(shim, `#!/bin/sh\nexec ${shq(target)} "$@"\n`);
      await fs.chmod(shim, 0o755);
    }
  }

  /**
   * Root of an image's shim tree: `<root>/<image path>` runs the host binary standing in for it
   * (`<run>/image` for `options.image`, `<run>/image-<n>` for the n-th of `options.companionImages`).
   */
  private imageRootOf(facts: ImageFacts): string {
    if (facts === this.options.image) return path.join(this.dir, 'image');
    const n = Object.values(this.options.companionImages ?? {}).findIndex((r) => r.image === facts);
    return path.join(this.dir, `image-${n}`);
  }

  /** The image facts a pod runs under: its companion Deployment's, else `options.image` (undefined: host mode). */
  private imageOf(pod: PodRun): ImageFacts | undefined {
    return (pod.companion ? this.options.companionImages?.[pod.facts.name]?.image : undefined) ?? this.options.image;
  }

  /** One shim per image binary at its image path; /bin and /sbin are the /usr ones (merged /usr). */
  private async writeImageShims(facts: ImageFacts, commands: Record<string, string>, root: string): Promise<void> {
    for (const [name, target] of Object.entries(commands)) {
      if (!existsSync(target)) {
        throw new Error(`harness: commands['${name}'] = '${target}' does not exist on this host (is the package installed? run test/integration/setup.sh).`);
      }
    }
    const plan = imageShimPlan(facts, commands, existsSync);
    for (const shim of plan.shims) {
      const file = shimFile(root, shim.imagePath);
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
      await fs.writeFile(file, `#!/bin/sh\nexec ${shq(shim.target)} "$@"\n`);
      await fs.chmod(file, 0o755);
    }
    for (const dir of ['bin', 'sbin']) {
      const link = path.join(root, dir);
      if (!existsSync(link)) await fs.symlink(`usr/${dir}`, link);
    }
    await fs.mkdir(path.join(root, 'usr', 'bin'), { recursive: true, mode: 0o755 });
    await fs.mkdir(path.join(root, 'usr', 'sbin'), { recursive: true, mode: 0o755 });
  }

  /** The container as it runs in the image: absolute commands of probes and hooks resolved in the image. */
  private inImage(pod: PodRun, c: ResolvedContainer): ResolvedContainer {
    const facts = this.imageOf(pod);
    if (!facts) return c;
    const root = this.imageRootOf(facts);
    if (c.image !== undefined && c.image !== facts.image && !c.image.startsWith(`${facts.image}@`)) {
      throw new Error(`harness: container '${c.name}' runs image '${c.image}', not ${facts.image} whose facts the cluster applies.`);
    }
    const problem = nonRootProblem(facts, c.runAsNonRoot, c.runAsUser);
    if (problem) throw new Error(`harness: container '${c.name}': ${problem} (the kubelet refuses to start it: CreateContainerConfigError).`);
    const probe = (p?: ResolvedProbe) => p?.kind === 'exec' && p.command ? { ...p, command: imageArgv(facts, root, p.command) } : p;
    const user = imageUser(facts, c.runAsUser, c.runAsGroup);
    return {
      ...c,
      argv: imageArgv(facts, root, c.argv),
      runAsUser: user.uid,
      runAsGroup: user.gid,
      readinessProbe: probe(c.readinessProbe),
      livenessProbe: probe(c.livenessProbe),
      startupProbe: probe(c.startupProbe),
      postStart: probe(c.postStart),
      preStop: probe(c.preStop),
    };
  }

  /** Shim of a `commands` key: on PATH for bare names, bind-mounted at the path for absolute ones. */
  private shimPath(name: string): string {
    return name.startsWith('/')
      ? path.join(this.dir, 'abs-bin', name.replace(/\//g, '%'))
      : path.join(this.shimDir, name);
  }

  public fqdn(ordinal: number): string {
    return podDnsNames(this.pod(ordinal).name, this.serviceName, this.namespace, this.clusterDomain)[0];
  }

  public companionOrdinals(deployment: string): number[] {
    const found = this.pods.filter((p) => p.companion && p.facts.name === deployment).map((p) => p.ordinal);
    if (found.length === 0) throw new Error(`harness: '${deployment}' is not a companion Deployment of this run (options.companions).`);
    return found;
  }

  public address(ordinal: number): string {
    return this.pod(ordinal).ip;
  }

  public netns(ordinal: number): string {
    return this.pod(ordinal).netns;
  }

  public claimPath(ordinal: number, template: string): string {
    if (!this.facts.claimTemplates.includes(template)) {
      throw new Error(`harness: StatefulSet '${this.facts.name}' has no volumeClaimTemplate '${template}' (has: ${this.facts.claimTemplates.join(', ') || 'none'}).`);
    }
    return path.join(this.dir, 'claims', `${template}-${this.pod(ordinal).name}`);
  }

  public async startPod(ordinal: number): Promise<void> {
    const pod = this.pod(ordinal);
    if (this.disposing) throw new Error('harness: the cluster is disposed.');
    if (pod.state !== 'stopped') throw new Error(`harness: pod '${pod.name}' is ${pod.state}; stop it before starting it again.`);
    pod.state = 'starting';
    const generation = ++pod.generation;
    try {
      const resolved = resolvePod(
        { manifests: this.options.manifests, facts: pod.facts, secrets: this.options.secrets },
        { ordinal: pod.local, podIP: pod.ip, nodeCpu: os.cpus().length, nodeMemoryBytes: os.totalmem() },
      );
      pod.resolved = resolved;
      const volumes = await materializeVolumes(resolved, path.join(pod.dir, 'volumes'), path.join(this.dir, 'claims'));
      const logsDir = path.join(pod.dir, 'logs');
      for (const f of await fs.readdir(logsDir)) {
        if (f.endsWith('.log')) renameSync(path.join(logsDir, f), path.join(logsDir, `${f}.previous`));
      }
      pod.containers = [];
      const all: ContainerProcess[] = [];
      for (const c of [...resolved.initContainers, ...resolved.containers]) {
        all.push(new ContainerProcess(await this.prepareContainer(pod, resolved, c, volumes), {
          name: pod.name,
          netns: pod.netns,
          ip: pod.ip,
          graceMs: () => resolved.terminationGracePeriodSeconds * 1000,
        }));
      }
      const timeoutMs = this.options.initTimeoutMs ?? 120000;
      for (const init of all.filter((c) => c.spec.init)) {
        const code = await init.runToCompletion(timeoutMs);
        if (code !== 0) {
          const what = code === null ? `did not finish within ${timeoutMs} ms` : `exited with ${code}`;
          throw new Error(`harness: pod '${pod.name}' init container '${init.name}' ${what}.\n${tail(readLog(init.config.logFile))}`);
        }
      }
      pod.containers = all.filter((c) => !c.spec.init);
      const live = () => pod.generation === generation && (pod.state === 'running' || pod.state === 'starting');
      const supervise = { restart: this.options.restartContainers !== false, probes: this.options.livenessProbes !== false };
      for (const c of pod.containers) c.start(live, supervise);
      await Promise.all(pod.containers.map((c) => c.launched));
      pod.state = 'running';
    } catch (e) {
      await this.killPod(pod, 0);
      pod.state = 'stopped';
      throw e;
    }
  }

  public async startAll(): Promise<void> {
    const members = this.pods.filter((p) => !p.companion);
    if (this.facts.podManagementPolicy === 'Parallel') {
      await Promise.all(members.map((p) => this.startPod(p.ordinal)));
      return;
    }
    for (const p of members) {
      await this.startPod(p.ordinal);
      await this.waitAvailable(p.ordinal); // OrderedReady waits for Running and available
    }
  }

  public async stopPod(ordinal: number, graceMs?: number): Promise<void> {
    const pod = this.pod(ordinal);
    if (pod.state === 'stopped') return;
    const grace = graceMs ?? (pod.resolved?.terminationGracePeriodSeconds ?? 30) * 1000;
    await this.killPod(pod, grace);
  }

  public isRunning(ordinal: number): boolean {
    const pod = this.pod(ordinal);
    return pod.state === 'running' && pod.containers.length > 0 && pod.containers.every((c) => !c.exited);
  }

  public isReady(ordinal: number): boolean {
    return this.readyOnce(this.pod(ordinal)).ready;
  }

  public get minReadySeconds(): number {
    return this.facts.minReadySeconds;
  }

  public isAvailable(ordinal: number): boolean {
    const pod = this.pod(ordinal);
    if (!this.readyOnce(pod).ready) return false;
    const since = Math.max(...pod.containers.map((c) => c.readySince));
    return Date.now() - since >= this.facts.minReadySeconds * 1000;
  }

  public async waitAvailable(ordinal: number, timeoutMs = 120000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.waitReady(ordinal, Math.max(1, deadline - Date.now()));
      if (this.isAvailable(ordinal)) return;
      if (Date.now() > deadline) {
        throw new Error(`harness: pod '${this.pod(ordinal).name}' not available (Ready for minReadySeconds ${this.facts.minReadySeconds}) after ${timeoutMs} ms`);
      }
      await sleep(50);
    }
  }

  public async waitReady(ordinal: number, timeoutMs = 120000): Promise<void> {
    const pod = this.pod(ordinal);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (pod.state !== 'running' && pod.state !== 'starting') {
        throw new Error(`harness: pod '${pod.name}' is ${pod.state}; start it before waiting for readiness.\n${this.logTails(pod)}`);
      }
      const check = this.readyOnce(pod);
      if (check.ready) return;
      if (Date.now() > deadline) {
        throw new Error(`harness: pod '${pod.name}' not ready after ${timeoutMs} ms: ${check.why}\n${this.logTails(pod)}`);
      }
      await sleep(50);
    }
  }

  /** The pod's Ready condition: running, every container ready (their readiness as the kubelet probes it). */
  private readyOnce(pod: PodRun): { ready: boolean; why: string } {
    if (pod.state !== 'running') return { ready: false, why: `pod is ${pod.state}` };
    const notReady = pod.containers.find((c) => !c.ready);
    return notReady ? { ready: false, why: notReady.notReadyReason() } : { ready: true, why: 'ready' };
  }

  /** The hosts file of `p` given the current DNS publication. */
  private hostsOf(p: PodRun): string {
    const peers = this.pods
      .filter((o) => !o.companion)
      .filter((o) => this.dnsMode === 'all' || (this.dnsMode === 'ready' && this.readyForDns.has(o.ordinal)))
      .map((o) => ({ podName: o.name, ip: o.ip }));
    return hostsFile({ podName: p.name, ip: p.ip }, peers, this.serviceName, this.namespace, this.clusterDomain);
  }

  /**
   * For a governing Service without publishNotReadyAddresses: looks at every
   * pod's Ready condition about once a second and publishes only ready ones in all hosts files.
   */
  private async trackReadinessForDns(): Promise<void> {
    while (!this.disposing) {
      let changed = false;
      for (const p of this.pods.filter((o) => !o.companion)) {
        const ready = this.readyOnce(p).ready;
        if (ready !== this.readyForDns.has(p.ordinal)) {
          changed = true;
          if (ready) this.readyForDns.add(p.ordinal);
          else this.readyForDns.delete(p.ordinal);
        }
      }
      if (changed && !this.disposing) {
        // In place (same inode): the file is bind-mounted into running pods.
        for (const p of this.pods) await fs.writeFile(path.join(NETNS_ETC, p.netns, 'hosts'), this.hostsOf(p)).catch(() => undefined);
      }
      await sleep(1000);
    }
  }

  public async exec(ordinal: number, argv: string[], opts: PodExecOptions = {}): Promise<ExecResult> {
    const pod = this.pod(ordinal);
    const c = this.container(pod, opts.container);
    if (pod.state !== 'running' || !c || !c.running) {
      throw new Error(`harness: cannot exec in pod '${pod.name}' container '${opts.container ?? c?.spec.name ?? '?'}': it is not running.`);
    }
    await c.launched;
    if (c.exited) throw new Error(`harness: cannot exec in pod '${pod.name}' container '${c.name}': it exited.`);
    const facts = this.imageOf(pod);
    return execInContainer(c.target(), facts ? imageArgv(facts, this.imageRootOf(facts), argv) : argv, opts);
  }

  public logs(ordinal: number, container?: string): string {
    const pod = this.pod(ordinal);
    const name = container ?? pod.facts.template.spec.containers[0].name;
    const file = path.join(pod.dir, 'logs', `${name}.log`);
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  public killContainer(ordinal: number, container?: string, signal: NodeJS.Signals = 'SIGKILL'): void {
    const pod = this.pod(ordinal);
    const c = this.container(pod, container);
    if (!c || c.exited) throw new Error(`harness: pod '${pod.name}' container '${container ?? '(first)'}' is not running.`);
    killGroup(c.child?.pid, signal);
  }

  public restartCount(ordinal: number, container?: string): number {
    return this.container(this.pod(ordinal), container)?.restarts ?? 0;
  }

  public dispose(): Promise<void> {
    if (!this.disposing) this.disposing = this.doDispose();
    return this.disposing;
  }

  private async doDispose(): Promise<void> {
    await Promise.all(this.pods.map((p) => this.killPod(p, Math.min(2000, (p.resolved?.terminationGracePeriodSeconds ?? 2) * 1000))));
    const keep = process.env.RBIT_HARNESS_LOG_DIR;
    if (keep) {
      // Debugging aid: keep every pod's logs (current and previous start) after the run.
      for (const p of this.pods) {
        await fs.cp(path.join(p.dir, 'logs'), path.join(keep, `${this.facts.name}-run${this.index}`, p.name), { recursive: true }).catch(() => undefined);
      }
    }
    if (this.network) await destroyNetwork(this.network);
    await removeRun(this.index);
    await removeLeftovers(true);
  }

  private pod(ordinal: number): PodRun {
    const pod = this.pods[ordinal];
    if (!Number.isInteger(ordinal) || !pod) {
      throw new Error(`harness: ordinal ${ordinal} is outside 0..${this.pods.length - 1} of StatefulSet '${this.facts.name}'.`);
    }
    return pod;
  }

  private container(pod: PodRun, name?: string): ContainerProcess | undefined {
    if (name === undefined) return pod.containers[0];
    const c = pod.containers.find((x) => x.name === name);
    if (!c && pod.state === 'running') {
      throw new Error(`harness: pod '${pod.name}' has no container '${name}' (has: ${pod.containers.map((x) => x.name).join(', ')}).`);
    }
    return c;
  }

  /** Absolute `commands` keys: their shim bind-mounted read-only at that path. */
  private commandMounts(pod: PodRun): LaunchMount[] {
    if (this.imageOf(pod)) return [];
    return Object.keys(this.options.commands ?? {})
      .filter((name) => name.startsWith('/'))
      .map((name) => ({ source: this.shimPath(name), target: name, readOnly: true, file: true }));
  }

  private async prepareContainer(
    pod: PodRun,
    resolved: ResolvedPod,
    resolvedContainer: ResolvedContainer,
    volumes: Map<string, HostVolume>,
  ): Promise<ContainerLaunchConfig> {
    const c = this.inImage(pod, resolvedContainer);
    const where = `StatefulSet '${this.facts.name}' pod '${pod.name}'`;
    const mounts: LaunchMount[] = [...await containerMounts(c, volumes, where), ...this.commandMounts(pod)];
    const created = await createHostMountPoints(mounts);
    await recordCreatedPaths(created);
    const user: LaunchUser | undefined = this.options.runAsRoot || (c.runAsUser === undefined && c.runAsGroup === undefined)
      ? undefined
      : {
        uid: c.runAsUser ?? 0,
        gid: c.runAsGroup ?? 0,
        groups: [...(resolved.fsGroup !== undefined ? [resolved.fsGroup] : []), ...resolved.supplementalGroups],
      };
    const env: Record<string, string> = { HOME: '/', ...c.env };
    const facts = this.imageOf(pod);
    env.PATH = facts ? imagePath(facts, this.imageRootOf(facts)) : `${this.shimDir}:${c.env.PATH ?? DEFAULT_PATH}`;
    const workingDir = c.workingDir ?? '/';
    const privileges: LaunchPrivileges = { noNewPrivs: c.noNewPrivs, dropAllCaps: c.dropAllCaps };
    const cgroupProcs = c.memoryLimitBytes !== undefined && this.options.enforceMemoryLimits !== false
      ? await memoryCgroup(this.index, pod.name, `${c.init ? 'init-' : ''}${c.name}`, c.memoryLimitBytes)
      : undefined;
    const script = path.join(pod.dir, `launch-${c.init ? 'init-' : ''}${c.name}.sh`);
    await fs.writeFile(script, launcherScript({
      hostname: pod.name,
      mounts,
      readOnlyRoot: c.readOnlyRootFilesystem,
      user,
      privileges,
      workingDir,
      argv: c.argv,
    }), { mode: 0o700 });
    return {
      spec: c,
      script,
      env,
      user,
      privileges,
      workingDir,
      logFile: path.join(pod.dir, 'logs', `${c.name}.log`),
      cgroupProcs,
    };
  }

  /** SIGTERM to every container group and pod process, SIGKILL after `graceMs`. */
  private async killPod(pod: PodRun, graceMs: number): Promise<void> {
    if (pod.state === 'stopped' && pod.containers.every((c) => c.exited || !c.child)) return;
    pod.state = 'stopping';
    pod.generation++;
    for (const c of pod.containers) c.cancelRestart();
    const alive = () => pod.containers.filter((c) => c.running);
    const signalAll = async (signal: NodeJS.Signals) => {
      for (const c of alive()) killGroup(c.child!.pid, signal);
      for (const pid of await netnsPids(pod.netns)) {
        try {
          process.kill(pid, signal);
        } catch {
          // gone
        }
      }
    };
    const gone = async () => alive().length === 0 && (await netnsPids(pod.netns)).length === 0;
    if (graceMs > 0) {
      const deadline = Date.now() + graceMs;
      // preStop hooks run first, within the grace period (the kubelet adds 2 s for SIGTERM if they use it up).
      await Promise.all(alive().filter((c) => c.spec.preStop).map(async (c) => {
        const hook = { ...c.spec.preStop!, timeoutSeconds: Math.max(1, Math.ceil(graceMs / 1000)) };
        const r = await c.probe(hook);
        if (r.code !== 0) c.note(`preStop hook failed (exit ${r.code}): ${(r.stdout + r.stderr).trim().slice(-300)}`);
      }));
      await signalAll('SIGTERM');
      try {
        await waitFor(gone, Math.max(2000, deadline - Date.now()), () => 'grace period over', 100);
      } catch {
        // fall through to SIGKILL
      }
    }
    if (!(await gone())) {
      await signalAll('SIGKILL');
      await waitFor(gone, 15000, () => `harness: processes of pod '${pod.name}' survived SIGKILL for 15 s.`, 100);
    }
    pod.state = 'stopped';
  }

  private logTails(pod: PodRun): string {
    return pod.containers.map((c) => `--- log tail of ${pod.name}/${c.name} ---\n${tail(readLog(c.config.logFile))}`).join('\n');
  }
}

function readLog(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}
