/**
 * What docs/compatibility.md's "Kubernetes versions" section states about the fields whose behaviour
 * changed between 1.28 and 1.34: the component sets exactly these, on every deploy type and preset.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { ClusterPreset, DeployType, RainbondComponent } from '../src';
import { docPage } from './util/docs';
import { KUBERNETES_MINORS, SERVER_RELEASES } from './util/k8s-schema';
import { findAll, synthValid } from './util/synth';

const README = docPage('docs/compatibility.md');

function everyKind(): any[] {
  const chart = Testing.chart();
  const ports = [{ number: 8080 }];
  new RainbondComponent(chart, 'ss', { deployType: DeployType.STATEFUL_SINGLE, containers: [{ image: 'x:1', ports }], volumes: [{ name: 'data', mountPath: '/data' }] });
  new RainbondComponent(chart, 'sm', { deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3, containers: [{ image: 'x:1', ports }], volumes: [{ name: 'data', mountPath: '/data' }] });
  new RainbondComponent(chart, 'ls', { deployType: DeployType.STATELESS_SINGLE, containers: [{ image: 'x:1', ports }], volumes: [{ name: 'data', mountPath: '/data' }] });
  new RainbondComponent(chart, 'lm', { deployType: DeployType.STATELESS_MULTIPLE, replicas: 2, containers: [{ image: 'x:1', ports }] });
  new RainbondComponent(chart, 'etcd', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.etcd() });
  new RainbondComponent(chart, 'zk', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.zookeeper() });
  new RainbondComponent(chart, 'redis', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.redisSentinel() });
  new RainbondComponent(chart, 'mysql', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.mysqlReplication() });
  return synthValid(chart);
}

describe('fields whose behaviour changed between Kubernetes 1.28 and 1.34', () => {
  const objects = everyKind();
  const statefulSets = findAll(objects, 'StatefulSet');
  const pods = [...statefulSets, ...findAll(objects, 'Deployment')].map(w => w.spec.template.spec);

  test('the README support table lists exactly the validated minors', () => {
    const rows = [...README.matchAll(/^\| 1\.(\d+) \| validated /gm)].map(m => Number(m[1]));
    expect(rows).toEqual([...KUBERNETES_MINORS]);
  });

  test('1.35 to 1.37 are validated against real API servers\' OpenAPI v3; 1.37 is also applied to the server of control-plane/versions.env', () => {
    const version = /^K8S_VERSION=(\d+\.\d+\.\d+)$/m.exec(fs.readFileSync(path.join(__dirname, '..', 'control-plane', 'versions.env'), 'utf8'))![1];
    expect(version).toMatch(/^1\.37\./);
    expect(SERVER_RELEASES[37]).toBe(version);
    for (const [minor, release] of Object.entries(SERVER_RELEASES)) {
      expect(README).toContain(`| 1.${minor} | validated against the OpenAPI v3 of a real API server (${release})`);
      expect(README).toContain(`\`test/fixtures/kubernetes-openapi/v${release}.json\``);
    }
    expect(README).toContain(`and accepted by a real API server (${version}) |`);
    const apiVersions = new Set(objects.map(o => o.apiVersion));
    expect([...apiVersions].sort()).toEqual(expect.arrayContaining(['apps/v1', 'v1']));
    for (const v of apiVersions) expect(['v1', 'apps/v1', 'policy/v1', 'networking.k8s.io/v1', 'autoscaling/v2']).toContain(v);
  });

  test('every StatefulSet retains its claims (Retain/Retain), the same with or without StatefulSetAutoDeletePVC', () => {
    expect(statefulSets).toHaveLength(6);
    for (const s of statefulSets) expect(s.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
  });

  test('minReadySeconds is 0, serviceName is always set, no start ordinal, no maxUnavailable in the update strategy', () => {
    for (const s of statefulSets) {
      expect(s.spec.minReadySeconds).toBe(0);
      expect(s.spec.serviceName).toBe(s.metadata.name);
      expect(s.spec.ordinals).toBeUndefined();
      expect(s.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    }
    expect(Object.fromEntries(statefulSets.map(s => [s.metadata.name, s.spec.podManagementPolicy]))).toEqual({
      ss: 'OrderedReady', sm: 'OrderedReady', etcd: 'Parallel', zk: 'Parallel', redis: 'OrderedReady', mysql: 'Parallel',
    });
  });

  test('PodDisruptionBudgets leave unhealthyPodEvictionPolicy unset (IfHealthyBudget on every minor)', () => {
    const budgets = findAll(objects, 'PodDisruptionBudget');
    expect(budgets.length).toBeGreaterThan(0);
    for (const b of budgets) expect(Object.keys(b.spec).sort()).toEqual(['maxUnavailable', 'selector']);
  });

  test('no native sidecar (restartable init container), no sleep hook, no AppArmor field, no pod-level resources', () => {
    for (const pod of pods) {
      for (const c of [...pod.initContainers ?? [], ...pod.containers]) {
        expect(c.restartPolicy).toBeUndefined();
        expect(JSON.stringify(c.lifecycle ?? {})).not.toContain('sleep');
        expect(c.securityContext?.appArmorProfile).toBeUndefined();
      }
      expect(pod.resources).toBeUndefined();
      expect(pod.securityContext?.appArmorProfile).toBeUndefined();
    }
  });
});
