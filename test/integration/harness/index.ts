/**
 * Integration-test harness: runs the pods of a synthesized StatefulSet as real
 * host processes, one network namespace per pod, as the kubelet would.
 *
 * ```ts
 * const cluster = await startPodCluster({ manifests: Testing.synth(chart), statefulSetName: 'etcd' });
 * try {
 *   await cluster.startAll();                       // honours podManagementPolicy
 *   const r = await cluster.exec(0, ['etcdctl', 'endpoint', 'health']);
 *   expect(r.code).toBe(0);
 * } finally {
 *   await cluster.dispose();
 * }
 * ```
 *
 * What is emulated (see harness/README.md for details): pod FQDNs through
 * per-netns hosts files, pod hostname (UTS ns), env with downward API,
 * secret/configMap refs, service-link vars and `$(VAR)` expansion, command/args
 * expansion, volumes (configMap, secret, downwardAPI, projected, emptyDir,
 * volumeClaimTemplates, persistentVolumeClaim) bind-mounted in a private mount
 * namespace with subPath/readOnly, readOnlyRootFilesystem, runAsUser/runAsGroup/
 * fsGroup via setpriv, init containers, restartPolicy Always, readiness probes.
 * Needs root.
 */
import type { ExecResult } from './system';
import type { ImageFacts } from '../../../src/presets/_image-facts';

export type { ExecResult } from './system';
export { startPodCluster } from './cluster';

/** Options of {@link startPodCluster}. */
export interface PodClusterOptions {
  /** Testing.synth output: the StatefulSet, its ConfigMaps, Services (and Secrets, if any). */
  readonly manifests: any[];
  /** metadata.name of the StatefulSet to run. */
  readonly statefulSetName: string;
  /** Number of pods (ordinals 0..replicas-1). @default the StatefulSet's spec.replicas */
  readonly replicas?: number;
  /**
   * Deployments (by name, same namespace) whose pods run in the same network as
   * the StatefulSet's, e.g. a proxy in front of the members. They get the
   * ordinals after the StatefulSet's (see `companionOrdinals`), resolve the
   * members' FQDNs, are not published in DNS and are not started by `startAll`.
   * @default []
   */
  readonly companions?: string[];
  /** secretName -> key -> value, for secretKeyRef, envFrom secretRef and secret volumes. @default {} */
  readonly secrets?: Record<string, Record<string, string>>;
  /**
   * Command name used in the manifest -> host executable. Bare names become
   * shims (`exec <host executable> "$@"`) in a directory that comes first on
   * the containers' PATH; for absolute names the shim is bind-mounted at that
   * path inside the containers.
   * @default {}
   */
  readonly commands?: Record<string, string>;
  /**
   * Run every container under the recorded facts of its image (see
   * src/presets/_image-facts.ts): the image's user when the pod spec sets
   * none, `runAsNonRoot` refused for an image that runs as root, and a PATH of
   * shims at the image's paths for exactly the image's binaries (each runs the
   * host binary that `commands` names, else the host binary of the same name);
   * absolute command paths the image lacks fail with exit 127. `commands` may
   * then only name binaries of the image. Every container's `image` must be
   * this image (tag, with or without digest).
   * @default none: host PATH, root when the pod spec sets no user
   */
  readonly image?: ImageFacts;
  /**
   * Companion Deployment name (one of `companions`) -> the image facts its
   * pods run under, like `image` for the StatefulSet's pods, with the
   * `commands` for that image (the run's `commands` do not apply to them).
   * Companions not listed here run in the StatefulSet pods' mode.
   * @default {}
   */
  readonly companionImages?: Record<string, { readonly image: ImageFacts; readonly commands?: Record<string, string> }>;
  /** Run containers as root instead of their securityContext user. @default false */
  readonly runAsRoot?: boolean;
  /** Cluster domain of the pod FQDNs. @default the suffix of pod FQDNs found in the manifests, else 'cluster.local' */
  readonly clusterDomain?: string;
  /** Restart exited containers like restartPolicy Always (backoff 1s, 2s, 4s .. 10s). @default true */
  readonly restartContainers?: boolean;
  /** How long an init container may run. @default 120000 */
  readonly initTimeoutMs?: number;
  /**
   * Act on startupProbe and livenessProbe like the kubelet (at their own
   * periods; failureThreshold consecutive failures kill the container, which
   * is then restarted). Readiness waits for a startupProbe to succeed.
   * @default true
   */
  readonly livenessProbes?: boolean;
  /**
   * Put each container with resources.limits.memory in a memory cgroup with
   * that hard limit and no swap, so exceeding it OOM-kills the container (the
   * exit is logged as OOMKilled). CPU limits are not enforced.
   * @default true
   */
  readonly enforceMemoryLimits?: boolean;
}

/** Options of {@link PodCluster.exec}. */
export interface PodExecOptions {
  /** @default 30000 */
  readonly timeoutMs?: number;
  /** Written to the command's stdin. @default none */
  readonly input?: string;
  /** Extra env on top of the container's env. @default {} */
  readonly env?: Record<string, string>;
  /** Container to exec in. @default the first container */
  readonly container?: string;
}

/** A running (or stoppable) set of pods of one StatefulSet. */
export interface PodCluster {
  /** `<sts>-0` .. `<sts>-(replicas-1)`. */
  readonly podNames: string[];
  /** Namespace of the StatefulSet. */
  readonly namespace: string;
  /** Governing Service (spec.serviceName). */
  readonly serviceName: string;
  /** Cluster domain used in the hosts files. */
  readonly clusterDomain: string;
  /**
   * Which peers the hosts files publish, like cluster DNS: 'all' (headless
   * governing Service with publishNotReadyAddresses), 'ready' (ready pods only,
   * tracked about once a second) or 'none' (no matching headless Service:
   * each pod knows only itself).
   */
  readonly dnsMode: 'all' | 'ready' | 'none';
  /** Why dnsMode is what it is. */
  readonly dnsReason: string;
  /** The StatefulSet's spec.minReadySeconds (0 when unset). */
  readonly minReadySeconds: number;
  /** `<pod>.<svc>.<ns>.svc.<clusterDomain>`. */
  fqdn(ordinal: number): string;
  /** Ordinals of the pods (`<deployment>-0`, `-1`, ...) of a companion Deployment. */
  companionOrdinals(deployment: string): number[];
  /** The pod's IP. */
  address(ordinal: number): string;
  /** The pod's network namespace (for `ip netns exec`). */
  netns(ordinal: number): string;
  /** Init containers sequentially to completion, then all containers. Throws if the pod is not stopped. */
  startPod(ordinal: number): Promise<void>;
  /** OrderedReady: start N, wait until ready, then N+1. Parallel: start all at once. */
  startAll(): Promise<void>;
  /** SIGTERM every process of the pod, SIGKILL after `graceMs`. Claims are kept; no-op if stopped. @default graceMs terminationGracePeriodSeconds */
  stopPod(ordinal: number, graceMs?: number): Promise<void>;
  /** True when the pod is started and all its containers are alive. */
  isRunning(ordinal: number): boolean;
  /** The pod's Ready condition now: running, every container started and its readiness probe passed (the kubelet's schedule). */
  isReady(ordinal: number): boolean;
  /** Waits for the pod's Ready condition; throws with the last probe output and log tails on timeout. @default timeoutMs 120000 */
  waitReady(ordinal: number, timeoutMs?: number): Promise<void>;
  /** Ready for at least minReadySeconds: what the StatefulSet controller waits for in OrderedReady starts and rolling updates. */
  isAvailable(ordinal: number): boolean;
  /** Waits until the pod is available (Ready for minReadySeconds). @default timeoutMs 120000 */
  waitAvailable(ordinal: number, timeoutMs?: number): Promise<void>;
  /** Runs argv in the container's namespaces as its user, with its env (like kubectl exec). */
  exec(ordinal: number, argv: string[], opts?: PodExecOptions): Promise<ExecResult>;
  /** Log (stdout+stderr) of the container since the pod's last start. @default container the first container */
  logs(ordinal: number, container?: string): string;
  /** Sends `signal` to the container's process group (simulates a crash; restartPolicy then restarts it). @default container the first, signal SIGKILL */
  killContainer(ordinal: number, container?: string, signal?: NodeJS.Signals): void;
  /** How often the container was restarted since the pod's last start. @default container the first */
  restartCount(ordinal: number, container?: string): number;
  /** Host directory of a volumeClaimTemplate's claim of pod `ordinal` (survives stopPod). */
  claimPath(ordinal: number, template: string): string;
  /** Stops everything, deletes netns, veths, /etc/netns dirs, state dirs and created mount points; idempotent. */
  dispose(): Promise<void>;
}
