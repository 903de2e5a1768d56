/**
 * Runs the pods that the real StatefulSet and Deployment controllers create as real server
 * processes: the integration harness's PodCluster (one network namespace per pod, the claims on the
 * host) starts a pod when its object appears, stops it (preStop, SIGTERM, grace) when the API server
 * marks it for deletion, and the fake kubelet (kube.ts) reports its address and Ready condition back.
 * So the order of a cold start and of a rolling update is the controller's decision, and the pods it
 * waits for are real servers.
 *
 * A StatefulSet pod runs as the harness pod of its ordinal; a pod of a companion Deployment (e.g. the
 * Redis primary proxy) as a free companion pod of the harness. The harness runs the pod templates it
 * was started with (the synthesized manifests): a change of a template in the API server rolls the
 * pods, but a changed container is not run as changed.
 */
import { PodRunner } from './kube';
import { PodCluster } from '../integration/harness';

export class HarnessRunner implements PodRunner {
  /** Errors of starts and stops, for the test to show. */
  readonly errors: string[] = [];
  /** The pod object (uid) each harness pod runs for. */
  private readonly runsFor = new Map<number, string>();
  private readonly starting = new Map<number, Promise<void>>();

  constructor(
    private readonly cluster: PodCluster,
    private readonly namespace: string,
    private readonly statefulSet: string,
    private readonly companions: string[] = [],
  ) {}

  public owns(pod: any): boolean {
    return pod.metadata.namespace === this.namespace && this.workloadOf(pod) !== undefined;
  }

  public sync(pod: any): { running: boolean; ready: boolean; podIP: string } {
    const uid = pod.metadata.uid;
    const ordinal = this.harnessPod(pod) ?? this.freeCompanion(pod);
    if (ordinal === undefined) return { running: false, ready: false, podIP: '' };
    if (this.runsFor.get(ordinal) !== uid && !this.starting.has(ordinal) && !this.cluster.isRunning(ordinal)) {
      this.runsFor.set(ordinal, uid);
      this.starting.set(ordinal, this.cluster.startPod(ordinal)
        .catch((e) => { this.errors.push(`start ${pod.metadata.name}: ${(e as Error).message}`); })
        .finally(() => this.starting.delete(ordinal)));
    }
    const running = this.runsFor.get(ordinal) === uid && !this.starting.has(ordinal) && this.cluster.isRunning(ordinal);
    return { running, ready: running && this.cluster.isReady(ordinal), podIP: this.cluster.address(ordinal) };
  }

  public async stop(pod: any): Promise<void> {
    const ordinal = this.harnessPod(pod);
    if (ordinal === undefined) return;
    await this.starting.get(ordinal);
    if (this.runsFor.get(ordinal) !== pod.metadata.uid) return;
    const grace = pod.spec.terminationGracePeriodSeconds ?? 30;
    await this.cluster.stopPod(ordinal, grace * 1000);
    this.runsFor.delete(ordinal);
  }

  /** The StatefulSet (its name) or companion Deployment (`deployment`) the pod belongs to. */
  private workloadOf(pod: any): { statefulSet: string } | { deployment: string } | undefined {
    const owner = (pod.metadata.ownerReferences ?? [])[0];
    if (owner?.kind === 'StatefulSet' && owner.name === this.statefulSet) return { statefulSet: owner.name };
    // a ReplicaSet of Deployment d is named d-<hash>
    const deployment = owner?.kind === 'ReplicaSet' ? this.companions.find(d => owner.name.startsWith(`${d}-`)) : undefined;
    return deployment ? { deployment } : undefined;
  }

  /** The harness pod running `pod`: its ordinal for a StatefulSet pod, the companion pod that runs it for a Deployment pod. */
  private harnessPod(pod: any): number | undefined {
    const workload = this.workloadOf(pod);
    if (!workload) return undefined;
    if ('statefulSet' in workload) {
      const ordinal = Number(pod.metadata.name.slice(this.statefulSet.length + 1));
      if (!Number.isInteger(ordinal)) throw new Error(`harness runner: pod ${pod.metadata.name} is not a pod of StatefulSet ${this.statefulSet}`);
      return ordinal;
    }
    return this.cluster.companionOrdinals(workload.deployment).find(o => this.runsFor.get(o) === pod.metadata.uid);
  }

  /** A companion pod of the Deployment that runs no pod object yet. */
  private freeCompanion(pod: any): number | undefined {
    const workload = this.workloadOf(pod);
    if (!workload || !('deployment' in workload)) return undefined;
    const free = this.cluster.companionOrdinals(workload.deployment)
      .find(o => !this.runsFor.has(o) && !this.starting.has(o) && !this.cluster.isRunning(o));
    if (free === undefined) this.errors.push(`no free harness pod of ${workload.deployment} for ${pod.metadata.name}`);
    return free;
  }
}
