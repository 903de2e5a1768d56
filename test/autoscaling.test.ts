import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AutoscalingOptions, ClusterPreset, DeployType, RainbondComponent, RainbondComponentProps } from '../src';
import { workloadPolicyViolations } from './util/policy';
import { errorMessageOf, findOne, synthValid } from './util/synth';

const APP = { image: 'registry.example.com/app:1.2.3', ports: [{ number: 8080 }] };

function synth(props: Partial<RainbondComponentProps> & Pick<RainbondComponentProps, 'deployType'>) {
  const chart = Testing.chart();
  const component = new RainbondComponent(chart, 'app', { containers: [APP], ...props });
  return { component, objects: synthValid(chart) };
}

function errorOf(props: Partial<RainbondComponentProps> & Pick<RainbondComponentProps, 'deployType'>): string {
  return errorMessageOf(() => synth(props));
}

describe.each([
  [DeployType.STATELESS_MULTIPLE, 'Deployment'],
  [DeployType.STATEFUL_MULTIPLE, 'StatefulSet'],
])('%s', (deployType, kind) => {
  const { component, objects } = synth({ deployType, replicas: 2, autoscaling: { maxReplicas: 10, cpuUtilization: 70, memoryUtilization: 85 } });

  test('renders an autoscaling/v2 HorizontalPodAutoscaler named like the component, targeting the workload', () => {
    const hpa = findOne(objects, 'HorizontalPodAutoscaler', 'app');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind, name: 'app' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 85 } } },
      ],
    });
    expect(hpa.metadata.labels['app.kubernetes.io/instance']).toBe('app');
    expect(hpa.metadata.annotations['rainbond.io/deploy-type']).toBe(deployType);
    expect(component.autoscaler).toBeDefined();
  });

  test('the workload leaves replicas to the autoscaler', () => {
    const workload = findOne(objects, kind, 'app');
    expect('replicas' in workload.spec).toBe(false);
    const podNum = workload.spec.template.spec.containers[0].env.find((e: any) => e.name === '_SERVICE_POD_NUM');
    expect(podNum.value).toBe('2'); // the configured replicas, not the autoscaler's current count
    expect(workloadPolicyViolations(workload)).toEqual([]);
  });
});

test('defaults: minReplicas from replicas (1), CPU 80 %', () => {
  const { objects } = synth({ deployType: DeployType.STATELESS_MULTIPLE, autoscaling: { maxReplicas: 5 } });
  const hpa = findOne(objects, 'HorizontalPodAutoscaler', 'app');
  expect(hpa.spec.minReplicas).toBe(1);
  expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
});

test('a memory target alone sets no CPU target', () => {
  const { objects } = synth({ deployType: DeployType.STATELESS_MULTIPLE, autoscaling: { maxReplicas: 5, minReplicas: 2, memoryUtilization: 75 } });
  const hpa = findOne(objects, 'HorizontalPodAutoscaler', 'app');
  expect(hpa.spec.minReplicas).toBe(2);
  expect(hpa.spec.metrics.map((m: any) => m.resource.name)).toEqual(['memory']);
});

test('without autoscaling the workload keeps its replicas and there is no autoscaler', () => {
  const { component, objects } = synth({ deployType: DeployType.STATELESS_MULTIPLE, replicas: 3 });
  expect(findOne(objects, 'Deployment', 'app').spec.replicas).toBe(3);
  expect(objects.filter(o => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
  expect(component.autoscaler).toBeUndefined();
});

describe('refusals', () => {
  test.each([
    [DeployType.STATELESS_SINGLE, 'STATELESS_MULTIPLE'],
    [DeployType.STATEFUL_SINGLE, 'STATEFUL_MULTIPLE'],
  ])('%s', (deployType, multiple) => {
    expect(errorOf({ deployType, autoscaling: { maxReplicas: 3 } })).toContain(
      `[autoscaling] ${deployType} always runs exactly 1 instance, so there is nothing to autoscale. Fix: remove autoscaling, or use DeployType.${multiple}.`);
  });

  test('a preset', () => {
    const props = { deployType: DeployType.STATEFUL_MULTIPLE, containers: undefined, preset: ClusterPreset.etcd(), autoscaling: { maxReplicas: 7 } };
    expect(errorOf(props)).toContain(
      '[autoscaling] a cluster preset (etcd) changes its member count only through its own membership protocol and needs an odd count for its quorum; an autoscaler would add and remove members without either. Fix: remove autoscaling and change replicas deliberately (the change guard prints the membership steps).');
  });

  test.each<[AutoscalingOptions, number | undefined, string]>([
    [{ maxReplicas: 0 }, undefined, '[autoscaling.maxReplicas] must be a whole number from 1 to 100, got 0. Fix: set maxReplicas between 1 and 100.'],
    [{ maxReplicas: 101 }, undefined, '[autoscaling.maxReplicas] must be a whole number from 1 to 100, got 101.'],
    [{ maxReplicas: 2.5 }, undefined, '[autoscaling.maxReplicas] must be a whole number from 1 to 100, got 2.5.'],
    [{ maxReplicas: 3, minReplicas: 0 }, undefined, '[autoscaling.minReplicas] must be a whole number of at least 1, got 0. Fix: set minReplicas to 1 or more.'],
    [{ maxReplicas: 3, minReplicas: 4 }, undefined, '[autoscaling.minReplicas] 4 instances at least is more than maxReplicas 3. Fix: set minReplicas (or replicas) to at most maxReplicas.'],
    [{ maxReplicas: 3 }, 5, '[autoscaling.minReplicas] 5 instances at least is more than maxReplicas 3 (minReplicas defaults to replicas).'],
    [{ maxReplicas: 3, cpuUtilization: 0 }, undefined, '[autoscaling.cpuUtilization] must be a whole percentage of at least 1, got 0. Fix: set cpuUtilization to e.g. 80.'],
    [{ maxReplicas: 3, memoryUtilization: 50.5 }, undefined, '[autoscaling.memoryUtilization] must be a whole percentage of at least 1, got 50.5.'],
    [{ maxReplicas: 3, cpuUtilization: 3e9 }, undefined, '[autoscaling.cpuUtilization] 3000000000 is above 2147483647, the largest averageUtilization the API server stores (a 32-bit integer).'],
  ])('%j (replicas %s)', (autoscaling, replicas, message) => {
    expect(errorOf({ deployType: DeployType.STATELESS_MULTIPLE, replicas, autoscaling })).toContain(message);
  });

  test('a container without the request the target is measured against', () => {
    const message = errorOf({
      deployType: DeployType.STATELESS_MULTIPLE,
      containers: [{ ...APP, name: 'app', resources: { cpu: {}, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) } } }],
      autoscaling: { maxReplicas: 3 },
    });
    expect(message).toContain('[autoscaling.cpuUtilization] container \'app\' sets resources.cpu with neither a request nor a limit; utilization is measured against the request, '
      + 'so the autoscaler could not compute it. Fix: set resources.cpu.request, or leave resources.cpu out for the default.');
    expect(errorOf({
      deployType: DeployType.STATELESS_MULTIPLE,
      containers: [{ ...APP, name: 'app', resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: {} } }],
      autoscaling: { maxReplicas: 3, memoryUtilization: 80 },
    })).toContain('container \'app\' sets resources.memory with neither a request nor a limit');
  });

  test('a container that leaves a resource to the default, or sets only its limit, has the request the target is measured against', () => {
    // memory only: the default CPU request applies; a limit alone: Kubernetes sets the request to it
    for (const resources of [
      { memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) } },
      { cpu: { limit: kplus.Cpu.millis(500) }, memory: { limit: Size.mebibytes(128) } },
    ]) {
      const chart = Testing.chart();
      new RainbondComponent(chart, 'web', {
        deployType: DeployType.STATELESS_MULTIPLE,
        containers: [{ ...APP, name: 'app', resources }],
        autoscaling: { maxReplicas: 3, cpuUtilization: 70, memoryUtilization: 80 },
      });
      const deployment = Testing.synth(chart).find(o => o.kind === 'Deployment');
      const rendered = deployment.spec.template.spec.containers[0].resources;
      for (const resource of ['cpu', 'memory']) expect(rendered.requests?.[resource] ?? rendered.limits?.[resource]).toBeDefined();
    }
  });
});
