import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { ClusterPreset, DeployType, IClusterPreset, RainbondComponent } from '../src';
import { workloadPolicyViolations } from './util/policy';
import { k8sSchema } from './util/synth';

/** The documented error: names the component, lists rules, each with a fix. */
const DOCUMENTED_ERROR = /^RainbondComponent '.*' \(test\/[^,]+, deploy type .+\) has \d+ problems?:\n(  - \[.+?\] .+ Fix: .+\.(\n|$))+$/;

const nameArb = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,60}[a-z0-9]$/),
  fc.string({ maxLength: 70 }),
);
const accessModeArb = fc.constantFrom(undefined, ...Object.values(kplus.PersistentVolumeAccessMode));
const volumeArb = fc.record({
  name: fc.oneof(fc.constantFrom('data', 'logs', 'cache'), fc.string({ maxLength: 8 })),
  mountPath: fc.oneof(fc.constantFrom('/data', '/logs', '/var/lib/x'), fc.string({ maxLength: 8 })),
  size: fc.option(
    fc.oneof(fc.integer({ min: 0, max: 500 }), fc.double({ min: 0, max: 4, noNaN: true })).map(n => Size.gibibytes(n)),
    { nil: undefined }),
  accessMode: accessModeArb,
});
const propsArb = fc.record({
  deployType: fc.constantFrom(...Object.values(DeployType)),
  replicas: fc.option(fc.oneof(
    fc.integer({ min: -3, max: 120 }),
    fc.double({ noNaN: false }),
    // JavaScript callers can pass anything, e.g. the string '3' read from a config file
    fc.oneof(fc.integer({ min: 1, max: 5 }).map(String), fc.boolean()) as fc.Arbitrary<any>,
  ), { nil: undefined }),
  componentName: fc.option(nameArb, { nil: undefined }),
  namespace: fc.option(fc.oneof(fc.constant('prod'), nameArb), { nil: undefined }),
  volumes: fc.array(volumeArb, { maxLength: 3 }),
  ports: fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { maxLength: 3 }),
  ownMounts: fc.array(fc.constantFrom('/tmp', '/data', '/data/', '/cache'), { maxLength: 2 }),
});

const PRESETS: Record<string, () => IClusterPreset> = {
  etcd: () => ClusterPreset.etcd(),
  zookeeper: () => ClusterPreset.zookeeper(),
  redisSentinel: () => ClusterPreset.redisSentinel(),
  mysqlReplication: () => ClusterPreset.mysqlReplication(),
};
const presetPropsArb = fc.record({
  preset: fc.constantFrom(...Object.keys(PRESETS)),
  deployType: fc.constantFrom(...Object.values(DeployType)),
  replicas: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
  sidecarPorts: fc.uniqueArray(fc.integer({ min: 10000, max: 10100 }), { maxLength: 2 }),
});

describe('property: any props give valid, policy-clean objects or the documented error', () => {
  test('random props', () => {
    fc.assert(fc.property(propsArb, (p) => {
      const chart = Testing.chart();
      let component: RainbondComponent;
      try {
        component = new RainbondComponent(chart, 'random', {
          deployType: p.deployType,
          replicas: p.replicas,
          componentName: p.componentName,
          namespace: p.namespace,
          volumes: p.volumes,
          containers: [{
            image: 'app:1',
            ports: p.ports.map(number => ({ number })),
            volumeMounts: p.ownMounts.map((path, i) => ({ path, volume: kplus.Volume.fromEmptyDir(chart, `own-${i}`, `own-${i}`) })),
          }],
        });
      } catch (e) {
        const message = (e as Error).message;
        expect(message).toMatch(DOCUMENTED_ERROR);
        if (typeof p.replicas === 'string') expect(message).toContain(`[replicas] must be a number, got the string '${p.replicas}'`);
        return;
      }
      expect(typeof p.replicas === 'number' || p.replicas === undefined).toBe(true);
      const objects = Testing.synth(chart);
      for (const o of objects) expect(k8sSchema().errors(o)).toEqual([]);
      const workload = objects.find(o => o.kind === 'StatefulSet' || o.kind === 'Deployment');
      expect(workload.kind).toBe(component.isStateful ? 'StatefulSet' : 'Deployment');
      expect(workload.spec.replicas).toBe(component.replicas);
      expect(workloadPolicyViolations(workload)).toEqual([]);
      const podSpec = workload.spec.template.spec;
      for (const container of [...podSpec.containers, ...podSpec.initContainers ?? []]) {
        const paths = (container.volumeMounts ?? []).map((m: any) => m.mountPath.replace(/\/+$/, ''));
        expect(new Set(paths).size).toBe(paths.length);
      }
      // the client Service is <name>-client whatever the deploy type; <name> is only ever the headless one
      const services = objects.filter(o => o.kind === 'Service');
      const client = services.find(o => o.metadata.name === `${component.componentName}-client`);
      expect(client === undefined).toBe(p.ports.length === 0);
      expect(component.service?.name).toBe(client?.metadata.name);
      for (const s of services.filter(o => o !== client)) {
        expect(s.metadata.name).toBe(component.componentName);
        expect(s.spec.clusterIP).toBe('None');
      }
      if (component.isStateful) {
        expect(workload.spec.volumeClaimTemplates?.length ?? 0).toBe(p.volumes.length);
        expect(workload.metadata.name.length).toBeLessThanOrEqual(52);
      }
    }), { numRuns: 300 });
  });

  test('random presets, deploy types and member counts', () => {
    fc.assert(fc.property(presetPropsArb, (p) => {
      const chart = Testing.chart();
      let component: RainbondComponent;
      try {
        component = new RainbondComponent(chart, 'cluster', {
          deployType: p.deployType,
          replicas: p.replicas,
          preset: PRESETS[p.preset](),
          containers: p.sidecarPorts.length > 0 ? [{ name: 'sidecar', image: 'sidecar:1', ports: p.sidecarPorts.map(number => ({ number })) }] : undefined,
        });
      } catch (e) {
        const message = (e as Error).message;
        expect(message).toMatch(DOCUMENTED_ERROR);
        // the preset supplies the server container: never "needs at least one container"
        expect(message).not.toContain('at least one container');
        return;
      }
      expect(component.isStateful).toBe(true);
      expect(component.replicas % 2).toBe(1);
      const objects = Testing.synth(chart);
      for (const o of objects) expect(k8sSchema().errors(o)).toEqual([]);
      const workload = objects.find(o => o.kind === 'StatefulSet');
      expect(workloadPolicyViolations(workload)).toEqual([]);
      const budget = objects.find(o => o.kind === 'PodDisruptionBudget' && o.metadata.name === component.componentName);
      if (component.faultTolerance > 0 && p.deployType === DeployType.STATEFUL_MULTIPLE) {
        expect(budget.spec.maxUnavailable).toBe(component.faultTolerance);
      } else {
        expect(budget).toBeUndefined();
      }
    }), { numRuns: 200 });
  });
});
