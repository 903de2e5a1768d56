/**
 * Input that synthesized and then misbehaved without a word (issue: third new-user trial, class 4).
 */
import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DeployType, RainbondComponent } from '../src';
import { errorMessageOf, findOne } from './util/synth';

const IMAGE = 'registry.example.com/app:1.2.3';

describe('resources merge per field with the defaults', () => {
  const resourcesOf = (resources: kplus.ContainerResources) => {
    const chart = Testing.chart();
    new RainbondComponent(chart, 'web', { deployType: DeployType.STATELESS_SINGLE, containers: [{ image: IMAGE, ports: [{ number: 8080 }], resources }] });
    return findOne(Testing.synth(chart), 'Deployment').spec.template.spec.containers[0].resources;
  };

  test('memory only: CPU keeps its default', () => {
    expect(resourcesOf({ memory: { request: Size.mebibytes(256), limit: Size.mebibytes(768) } }))
      .toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1000m', memory: '768Mi' } });
  });

  test('a limit alone: the request is left to Kubernetes (it defaults to the limit)', () => {
    expect(resourcesOf({ cpu: { limit: kplus.Cpu.units(2) } }))
      .toEqual({ requests: { memory: '128Mi' }, limits: { cpu: '2', memory: '512Mi' } });
  });

  test('a request alone: the default limit, raised to the request where it is lower', () => {
    expect(resourcesOf({ memory: { request: Size.mebibytes(256) } }).limits.memory).toBe('512Mi');
    expect(resourcesOf({ memory: { request: Size.gibibytes(1) } })).toEqual({ requests: { cpu: '100m', memory: '1024Mi' }, limits: { cpu: '1000m', memory: '1024Mi' } });
  });
});

test('a ReadWriteOnce claim on a stateless component whose autoscaler may run several pods is refused', () => {
  const message = errorMessageOf(() => new RainbondComponent(Testing.chart(), 'web', {
    deployType: DeployType.STATELESS_MULTIPLE,
    containers: [{ image: IMAGE, ports: [{ number: 8080 }] }],
    volumes: [{ name: 'uploads', mountPath: '/uploads', accessMode: kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE }],
    autoscaling: { maxReplicas: 4, cpuUtilization: 70 },
  }));
  expect(message).toContain("[volumes[0].accessMode] ReadWriteOnce volume 'uploads' would be shared by up to 4 replicas (its autoscaler's maximum) of a stateless multiple component");
});
