import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { ClusterPreset, ConnectionValue, DeployType, IClusterPreset, RainbondComponent, VolumeType } from '../src';
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
  type: fc.constantFrom(undefined, ...Object.values(VolumeType)),
  memory: fc.option(fc.boolean(), { nil: undefined }),
  content: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
  fileMode: fc.option(fc.integer({ min: -1, max: 0o1000 }), { nil: undefined }),
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
  autoscaling: fc.option(fc.record({
    maxReplicas: fc.integer({ min: 0, max: 110 }),
    minReplicas: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
    cpuUtilization: fc.option(fc.integer({ min: 0, max: 150 }), { nil: undefined }),
    memoryUtilization: fc.option(fc.integer({ min: 0, max: 150 }), { nil: undefined }),
  }), { nil: undefined }),
  alias: fc.option(fc.oneof(fc.constantFrom('DB', 'HTTP_1'), fc.string({ maxLength: 6 })), { nil: undefined }),
  dependsOnDb: fc.boolean(),
  sharedMount: fc.option(fc.constantFrom('/shared', '/data', 'rel'), { nil: undefined }),
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
  autoscale: fc.boolean(),
  withDependant: fc.boolean(),
});

describe('property: any props give valid, policy-clean objects or the documented error', () => {
  test('random props', () => {
    fc.assert(fc.property(propsArb, (p) => {
      const chart = Testing.chart();
      const db = new RainbondComponent(chart, 'db', {
        deployType: DeployType.STATEFUL_SINGLE,
        namespace: 'prod',
        containers: [{ image: 'db:1', ports: [{ number: 5432 }] }],
        connectionInfo: { DB_USER: ConnectionValue.fromValue('app') },
      });
      const files = new RainbondComponent(chart, 'files', {
        deployType: DeployType.STATELESS_MULTIPLE,
        replicas: 2,
        namespace: 'prod',
        containers: [{ image: 'files:1' }],
        volumes: [{ name: 'store', mountPath: '/store' }],
      });
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
          autoscaling: p.autoscaling,
          portSettings: p.alias !== undefined && p.ports.length > 0 ? [{ port: p.ports[0], alias: p.alias }] : undefined,
          dependencies: p.dependsOnDb ? [db] : undefined,
          sharedVolumes: p.sharedMount ? [{ component: files, volumeName: 'store', mountPath: p.sharedMount }] : undefined,
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
      const workload = objects.find(o => (o.kind === 'StatefulSet' || o.kind === 'Deployment') && !['db', 'files'].includes(o.metadata.name));
      const sharedPodVolume = (workload.spec.template.spec.volumes ?? []).find((v: any) => v.name === 'files-store');
      expect(sharedPodVolume?.persistentVolumeClaim.claimName).toBe(p.sharedMount ? 'files-store' : undefined);
      expect(workload.kind).toBe(component.isStateful ? 'StatefulSet' : 'Deployment');
      const hpa = objects.find(o => o.kind === 'HorizontalPodAutoscaler');
      if (p.autoscaling) {
        expect(workload.spec.replicas).toBeUndefined();
        expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: workload.kind, name: workload.metadata.name });
        expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
        expect(p.deployType === DeployType.STATELESS_MULTIPLE || p.deployType === DeployType.STATEFUL_MULTIPLE).toBe(true);
      } else {
        expect(workload.spec.replicas).toBe(component.replicas);
        expect(hpa).toBeUndefined();
      }
      for (const container of [...workload.spec.template.spec.containers, ...workload.spec.template.spec.initContainers ?? []]) {
        const names = (container.env ?? []).map((e: any) => e.name);
        expect(names.includes('DB_USER')).toBe(p.dependsOnDb);
        expect(names.includes('DB5432_HOST')).toBe(p.dependsOnDb);
      }
      if (p.alias !== undefined && p.ports.length > 0) expect(component.portAlias(p.ports[0])).toBe(p.alias);
      expect(workloadPolicyViolations(workload)).toEqual([]);
      const podSpec = workload.spec.template.spec;
      for (const container of [...podSpec.containers, ...podSpec.initContainers ?? []]) {
        const paths = (container.volumeMounts ?? []).map((m: any) => m.mountPath.replace(/\/+$/, ''));
        expect(new Set(paths).size).toBe(paths.length);
      }
      // the client Service is <name>-client whatever the deploy type; <name> is only ever the headless one
      const services = objects.filter(o => o.kind === 'Service' && o.metadata.annotations?.['rainbond.io/component'] === component.componentName);
      const client = services.find(o => o.metadata.name === `${component.componentName}-client`);
      expect(client === undefined).toBe(p.ports.length === 0);
      expect(component.service?.name).toBe(client?.metadata.name);
      for (const s of services.filter(o => o !== client)) {
        expect(s.metadata.name).toBe(component.componentName);
        expect(s.spec.clusterIP).toBe('None');
      }
      const claims = p.volumes.filter(v => v.type === undefined || v.type === VolumeType.SHARE_FILE || v.type === VolumeType.LOCAL);
      if (component.isStateful) {
        expect(workload.spec.volumeClaimTemplates?.length ?? 0).toBe(claims.length);
        for (const t of workload.spec.volumeClaimTemplates ?? []) expect(['share-file', 'local']).toContain(t.metadata.annotations['rainbond.io/volume-type']);
      } else {
        expect(objects.filter(o => o.kind === 'PersistentVolumeClaim' && o.metadata.name !== 'files-store').length).toBe(claims.length);
        expect(claims.some(v => v.type === VolumeType.LOCAL)).toBe(false);
      }
      expect(objects.filter(o => o.kind === 'ConfigMap').length).toBe(p.volumes.filter(v => v.type === VolumeType.CONFIG_FILE).length);
      if (component.isStateful) {
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
          autoscaling: p.autoscale ? { maxReplicas: 7 } : undefined,
        });
      } catch (e) {
        const message = (e as Error).message;
        expect(message).toMatch(DOCUMENTED_ERROR);
        // the preset supplies the server container: never "needs at least one container"
        expect(message).not.toContain('at least one container');
        return;
      }
      expect(p.autoscale).toBe(false); // a quorum cluster never scales itself
      if (p.withDependant) {
        const app = new RainbondComponent(chart, 'app', {
          deployType: DeployType.STATELESS_SINGLE, containers: [{ image: 'app:1' }], dependencies: [component],
        });
        const env = app.workload.containers[0].env.variables;
        for (const name of Object.keys(component.connectionInfo)) expect(env[name]).toBeDefined();
        expect(Object.keys(component.connectionInfo).length).toBeGreaterThan(0);
      }
      expect(component.isStateful).toBe(true);
      expect(component.replicas % 2).toBe(1);
      const objects = Testing.synth(chart);
      for (const o of objects) expect(k8sSchema().errors(o)).toEqual([]);
      const workload = objects.find(o => o.kind === 'StatefulSet');
      expect(workloadPolicyViolations(workload)).toEqual([]);
      expect(JSON.stringify(objects)).not.toMatch(/"name":"[A-Z_]*PASSWORD","value"/);
      const budget = objects.find(o => o.kind === 'PodDisruptionBudget' && o.metadata.name === component.componentName);
      if (component.faultTolerance > 0 && p.deployType === DeployType.STATEFUL_MULTIPLE) {
        expect(budget.spec.maxUnavailable).toBe(component.faultTolerance);
      } else {
        expect(budget).toBeUndefined();
      }
    }), { numRuns: 200 });
  });
});
