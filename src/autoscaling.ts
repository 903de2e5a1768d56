/**
 * Horizontal autoscaling of a STATELESS_MULTIPLE or STATEFUL_MULTIPLE component (without a preset):
 * a HorizontalPodAutoscaler (autoscaling/v2) named like the component, targeting its workload.
 * The workload then leaves `spec.replicas` to the autoscaler.
 */
export interface AutoscalingOptions {
  /** Most instances the autoscaler may run (at most 100, Rainbond's limit). */
  readonly maxReplicas: number;

  /**
   * Fewest instances the autoscaler keeps.
   * @default - the component's `replicas`, 1 when not given
   */
  readonly minReplicas?: number;

  /**
   * Target average CPU use, in percent of the containers' CPU requests.
   * @default - 80 when no memory target is given, otherwise no CPU target
   */
  readonly cpuUtilization?: number;

  /**
   * Target average memory use, in percent of the containers' memory requests.
   * @default - no memory target
   */
  readonly memoryUtilization?: number;
}
