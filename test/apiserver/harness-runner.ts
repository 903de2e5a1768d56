/**
 * Runs the pods that the real StatefulSet controller creates as real server processes: the
 * integration harness's PodCluster (one network namespace per pod, the claims on the host) starts
 * a pod when its object appears, stops it (preStop, SIGTERM, grace) when the API server marks it for
 * deletion, and the fake kubelet (kube.ts) reports its address and Ready condition back. So the
 * order of a cold start and of a rolling update is the controller's decision, and the pods it waits
 * for are real servers.
 *
 * The harness runs the pod template it was started with (the synthesized manifests): a change of
 * the template in the API server rolls the pods, but a changed container is not run as changed.
 */
import { PodRunner } from './kube';
import { PodCluster } from '../integration/harness';

export class HarnessRunner implements PodRunner {
  /** Errors of starts and stops, for the test to show. */
  readonly errors: string[] = [];
  /** The pod object (uid) each ordinal's process runs for. */
  private readonly runsFor = new Map<number, string>();
  private readonly starting = new Map<number, Promise<void>>();

  constructor(private readonly cluster: PodCluster, private readonly namespace: string, private readonly statefulSet: string) {}

  public owns(pod: any): boolean {
    return pod.metadata.namespace === this.namespace
      && (pod.metadata.ownerReferences ?? []).some((o: any) => o.kind === 'StatefulSet' && o.name === this.statefulSet);
  }

  public sync(pod: any): { running: boolean; ready: boolean; podIP: string } {
    const ordinal = this.ordinal(pod);
    const uid = pod.metadata.uid;
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
    const ordinal = this.ordinal(pod);
    await this.starting.get(ordinal);
    if (this.runsFor.get(ordinal) !== pod.metadata.uid) return;
    const grace = pod.spec.terminationGracePeriodSeconds ?? 30;
    await this.cluster.stopPod(ordinal, grace * 1000);
    this.runsFor.delete(ordinal);
  }

  private ordinal(pod: any): number {
    const ordinal = Number(pod.metadata.name.slice(this.statefulSet.length + 1));
    if (!Number.isInteger(ordinal)) throw new Error(`harness runner: pod ${pod.metadata.name} is not a pod of StatefulSet ${this.statefulSet}`);
    return ordinal;
  }
}
