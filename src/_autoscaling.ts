/**
 * Validation and rendering of a component's HorizontalPodAutoscaler.
 * Nothing here is exported from the package index.
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { isSingleDeployType, MAX_REPLICAS } from './_deploy-type-traits';
import { MAX_INT32 } from './_kube-rules';
import { ProblemList } from './_validation';
import { AutoscalingOptions } from './autoscaling';
import { DeployType } from './deploy-type';

/** CPU target when none is given (the Kubernetes default of an HPA without metrics). */
export const DEFAULT_CPU_UTILIZATION = 80;

/** The targets an autoscaler gets: CPU and/or memory utilization in percent. */
export interface UtilizationTargets {
  readonly cpu?: number;
  readonly memory?: number;
}

/** CPU and memory targets after defaults. */
export function utilizationTargets(options: AutoscalingOptions): UtilizationTargets {
  const cpu = options.cpuUtilization ?? (options.memoryUtilization === undefined ? DEFAULT_CPU_UTILIZATION : undefined);
  return { cpu, memory: options.memoryUtilization };
}

/** What the autoscaling check needs to know about the component. */
export interface AutoscalingSubject {
  readonly deployType: DeployType;
  readonly presetSystem?: string;
  readonly hasPreset: boolean;
  readonly replicas: number;
  readonly containers: kplus.ContainerProps[];
}

/** Records every rule the autoscaling options break for the component. */
export function checkAutoscaling(options: AutoscalingOptions, subject: AutoscalingSubject, problems: ProblemList): void {
  if (isSingleDeployType(subject.deployType)) {
    const multiple = subject.deployType === DeployType.STATEFUL_SINGLE ? 'STATEFUL_MULTIPLE' : 'STATELESS_MULTIPLE';
    problems.add('autoscaling', `${subject.deployType} always runs exactly 1 instance, so there is nothing to autoscale`,
      `remove autoscaling, or use DeployType.${multiple}`);
    return;
  }
  if (subject.hasPreset) {
    problems.add('autoscaling', `a cluster preset (${subject.presetSystem ?? 'custom'}) changes its member count only through its own membership protocol and needs an odd count for its quorum; an autoscaler would add and remove members without either`,
      'remove autoscaling and change replicas deliberately (the change guard prints the membership steps)');
    return;
  }
  const max = options.maxReplicas;
  if (!Number.isInteger(max) || max < 1 || max > MAX_REPLICAS) {
    problems.add('autoscaling.maxReplicas', `must be a whole number from 1 to ${MAX_REPLICAS}, got ${max}`, `set maxReplicas between 1 and ${MAX_REPLICAS}`);
  }
  const min = options.minReplicas ?? subject.replicas;
  if (!Number.isInteger(min) || min < 1) {
    problems.add('autoscaling.minReplicas', `must be a whole number of at least 1, got ${min}`, 'set minReplicas to 1 or more');
  } else if (Number.isInteger(max) && min > max) {
    problems.add('autoscaling.minReplicas', `${min} instances at least is more than maxReplicas ${max}${options.minReplicas === undefined ? ' (minReplicas defaults to replicas)' : ''}`,
      'set minReplicas (or replicas) to at most maxReplicas');
  }
  const targets = utilizationTargets(options);
  for (const [prop, value] of [['cpuUtilization', options.cpuUtilization], ['memoryUtilization', options.memoryUtilization]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      problems.add(`autoscaling.${prop}`, `must be a whole percentage of at least 1, got ${value}`, `set ${prop} to e.g. 80`);
    } else if (value !== undefined && value > MAX_INT32) {
      problems.add(`autoscaling.${prop}`, `${value} is above ${MAX_INT32}, the largest averageUtilization the API server stores (a 32-bit integer)`, `set ${prop} to e.g. 80`);
    }
  }
  for (const [resource, target, prop] of [['cpu', targets.cpu, 'cpuUtilization'], ['memory', targets.memory, 'memoryUtilization']] as const) {
    if (target === undefined) continue;
    for (const container of subject.containers) {
      // A container that leaves the resource out gets the component's default, which has a request (withContainerDefaults),
      // and Kubernetes sets a missing request to the limit: only a pair with neither leaves utilization without a base
      const pair = container.resources?.[resource];
      if (pair !== undefined && pair.request === undefined && pair.limit === undefined) {
        problems.add(`autoscaling.${prop}`, `container '${container.name ?? '(main)'}' sets resources.${resource} with neither a request nor a limit; `
          + 'utilization is measured against the request, so the autoscaler could not compute it',
        `set resources.${resource}.request, or leave resources.${resource} out for the default`);
      }
    }
  }
}

/** The HorizontalPodAutoscaler `<name>` for the workload. */
export function renderAutoscaler(scope: Construct, name: string, namespace: string, workload: kplus.k8s.CrossVersionObjectReferenceV2,
  options: AutoscalingOptions, minReplicas: number): kplus.k8s.KubeHorizontalPodAutoscalerV2 {
  const targets = utilizationTargets(options);
  const metrics: kplus.k8s.MetricSpecV2[] = [];
  for (const [resource, utilization] of [['cpu', targets.cpu], ['memory', targets.memory]] as const) {
    if (utilization === undefined) continue;
    metrics.push({ type: 'Resource', resource: { name: resource, target: { type: 'Utilization', averageUtilization: utilization } } });
  }
  return new kplus.k8s.KubeHorizontalPodAutoscalerV2(scope, 'Autoscaler', {
    metadata: { name, namespace },
    spec: {
      scaleTargetRef: { ...workload },
      minReplicas,
      maxReplicas: options.maxReplicas,
      metrics,
    },
  });
}
