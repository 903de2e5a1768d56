import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ComponentVolume, DeployType, RainbondComponent, SharedVolumeMount, VolumeType } from '../src';
import { workloadPolicyViolations } from './util/policy';
import { errorMessageOf, findOne, synthValid } from './util/synth';

function uploads(chart: Chart, deployType = DeployType.STATELESS_MULTIPLE, volumes: ComponentVolume[] = [{ name: 'files', mountPath: '/srv/files' }]) {
  return new RainbondComponent(chart, 'uploads', {
    deployType,
    replicas: deployType === DeployType.STATELESS_MULTIPLE ? 2 : undefined,
    containers: [{ image: 'uploads:1', ports: [{ number: 8080 }] }],
    volumes,
  });
}

let readers = 0;
function reader(chart: Chart, sharedVolumes: SharedVolumeMount[], deployType = DeployType.STATELESS_MULTIPLE) {
  return new RainbondComponent(chart, `thumbs${readers++ === 0 ? '' : readers}`, {
    componentName: 'thumbs',
    deployType,
    replicas: deployType === DeployType.STATELESS_MULTIPLE ? 2 : undefined,
    containers: [{ image: 'thumbs:1', ports: [{ number: 8080 }] }],
    initContainers: [{ name: 'prepare', image: 'thumbs:1', command: ['prepare'] }],
    sharedVolumes,
  });
}

describe('mounting a shared volume of a stateless component', () => {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const owner = uploads(chart);
  reader(chart, [{ component: owner, volumeName: 'files', mountPath: '/data/uploads', readOnly: true }]);
  const objects = synthValid(chart);
  const pod = findOne(objects, 'Deployment', 'thumbs').spec.template.spec;

  test('mounts the owner\'s claim, not a new one', () => {
    expect(objects.filter(o => o.kind === 'PersistentVolumeClaim').map(o => o.metadata.name)).toEqual(['uploads-files']);
    expect(pod.volumes).toEqual([{ name: 'uploads-files', persistentVolumeClaim: { claimName: 'uploads-files', readOnly: true } }]);
  });

  test('into every container and init container, read-only when asked', () => {
    for (const container of [...pod.initContainers, ...pod.containers]) {
      expect(container.volumeMounts).toEqual([{ name: 'uploads-files', mountPath: '/data/uploads', readOnly: true }]);
    }
  });

  test('a rolling update stays possible and the pods pass the policy checks', () => {
    const deployment = findOne(objects, 'Deployment', 'thumbs');
    expect(deployment.spec.strategy.type).toBe('RollingUpdate');
    expect(pod.securityContext.fsGroup).toBe(1000);
    expect(workloadPolicyViolations(deployment)).toEqual([]);
  });
});

test('a stateful component may mount it too (read-write)', () => {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const owner = uploads(chart);
  reader(chart, [{ component: owner, volumeName: 'files', mountPath: '/data/uploads' }], DeployType.STATEFUL_SINGLE);
  const sts = findOne(synthValid(chart), 'StatefulSet', 'thumbs');
  expect(sts.spec.template.spec.volumes).toEqual([{ name: 'uploads-files', persistentVolumeClaim: { claimName: 'uploads-files', readOnly: false } }]);
  expect(sts.spec.template.spec.containers[0].volumeMounts).toEqual([{ name: 'uploads-files', mountPath: '/data/uploads' }]);
});

describe('refusals', () => {
  test('a stateful owner\'s volume', () => {
    const chart = Testing.chart();
    const owner = uploads(chart, DeployType.STATEFUL_MULTIPLE);
    expect(errorMessageOf(() => reader(chart, [{ component: owner, volumeName: 'files', mountPath: '/data' }]))).toContain(
      '[sharedVolumes[0]] volume \'files\' of \'uploads\' belongs to a stateful component: it is one claim per instance, which no other component can mount (Rainbond shares only stateless components\' shared storage). Fix:');
  });

  test('a ReadWriteOnce volume', () => {
    const chart = Testing.chart();
    const owner = uploads(chart, DeployType.STATELESS_SINGLE);
    expect(errorMessageOf(() => reader(chart, [{ component: owner, volumeName: 'files', mountPath: '/data' }]))).toContain(
      '[sharedVolumes[0]] volume \'files\' of \'uploads\' is ReadWriteOnce: it attaches to one node at a time, so the pods of another component could not mount it beside the owner\'s. Fix: give the volume accessMode READ_WRITE_MANY (an RWX-capable storage class) in \'uploads\'.');
  });

  test('a ReadOnlyMany volume mounted read-write; read-only works', () => {
    const chart = Testing.chart();
    const owner = uploads(chart, DeployType.STATELESS_SINGLE, [{ name: 'files', mountPath: '/srv', accessMode: kplus.PersistentVolumeAccessMode.READ_ONLY_MANY }]);
    expect(errorMessageOf(() => reader(chart, [{ component: owner, volumeName: 'files', mountPath: '/data' }]))).toContain(
      'volume \'files\' of \'uploads\' is ReadOnlyMany and must be mounted read-only. Fix: set readOnly: true.');
    reader(chart, [{ component: owner, volumeName: 'files', mountPath: '/data', readOnly: true }]);
    expect(() => synthValid(chart)).not.toThrow();
  });

  test('another namespace', () => {
    const app = new App();
    const owner = uploads(new Chart(app, 'media', { namespace: 'media' }));
    expect(errorMessageOf(() => reader(new Chart(app, 'shop', { namespace: 'shop' }), [{ component: owner, volumeName: 'files', mountPath: '/data' }]))).toContain(
      '[sharedVolumes[0]] volume \'files\' of \'uploads\' is a claim in namespace \'media\'; pods mount claims of their own namespace (\'shop\') only. Fix: put both components in one namespace.');
  });

  test('another chart without a namespace', () => {
    const app = new App();
    const owner = uploads(new Chart(app, 'media'));
    expect(errorMessageOf(() => reader(new Chart(app, 'shop'), [{ component: owner, volumeName: 'files', mountPath: '/data' }]))).toContain(
      'is a claim in namespace \'default\' (not set explicitly)');
  });

  test('an unknown volume, a memoryfs volume, a relative or taken path', () => {
    const chart = Testing.chart();
    const owner = uploads(chart, DeployType.STATELESS_MULTIPLE, [
      { name: 'files', mountPath: '/srv/files' },
      { name: 'tmp', mountPath: '/tmp', type: VolumeType.MEMORYFS },
    ]);
    expect(errorMessageOf(() => reader(chart, [{ component: owner, volumeName: 'nope', mountPath: '/data' }]))).toContain(
      '[sharedVolumes[0].volumeName] \'uploads\' has no volume \'nope\' (it has: files, tmp). Fix: name one of its volumes.');
    expect(errorMessageOf(() => reader(chart, [{ component: owner, volumeName: 'tmp', mountPath: '/data' }]))).toContain(
      '[sharedVolumes[0]] volume \'tmp\' of \'uploads\' is a memoryfs volume, not shared storage. Fix: share a share-file volume.');
    const message = errorMessageOf(() => reader(chart, [
      { component: owner, volumeName: 'files', mountPath: 'data' },
      { component: owner, volumeName: 'files', mountPath: '/b' },
      { component: owner, volumeName: 'files', mountPath: '/b/' },
    ]));
    expect(message).toContain('[sharedVolumes[0].mountPath] \'data\' is not an absolute path.');
    expect(message).toContain('[sharedVolumes[2].mountPath] mount path \'/b/\' is used twice.');
    expect(message).toContain('[sharedVolumes[1]] the pod volume name \'uploads-files\' is used twice.');
  });

  test('a path a container already mounts itself (the API server refuses two mounts at one path)', () => {
    const chart = Testing.chart();
    const owner = uploads(chart);
    const message = errorMessageOf(() => new RainbondComponent(chart, 'thumbs', {
      deployType: DeployType.STATELESS_SINGLE,
      containers: [{
        image: 'thumbs:1',
        volumeMounts: [{ path: '/data/', volume: kplus.Volume.fromEmptyDir(chart, 'scratch', 'scratch') }],
      }],
      sharedVolumes: [{ component: owner, volumeName: 'files', mountPath: '/data' }],
    }));
    expect(message).toContain("[containers[0] 'thumbs'.volumeMounts] mount path '/data/' is used twice in container 'thumbs', by shared volume 'files' and by volumeMounts[0] (volume 'scratch')");
  });

  test('not a component', () => {
    expect(errorMessageOf(() => reader(Testing.chart(), [{ component: {} as RainbondComponent, volumeName: 'files', mountPath: '/data' }]))).toContain(
      '[sharedVolumes[0]] must be { component, volumeName, mountPath } with a RainbondComponent. Fix: pass { component: files, volumeName: \'data\', mountPath: \'/shared\' }.');
  });
});
