import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ComponentVolume, DeployType, RainbondComponent, VolumeType } from '../src';
import { workloadPolicyViolations } from './util/policy';
import { errorMessageOf, findAll, findOne, synthValid } from './util/synth';

const APP = { image: 'registry.example.com/app:1.2.3', ports: [{ number: 8080, name: 'http' }] };

function synth(deployType: DeployType, volumes: ComponentVolume[], replicas?: number): any[] {
  const chart = Testing.chart();
  new RainbondComponent(chart, 'app', { deployType, replicas, containers: [APP], volumes });
  return synthValid(chart);
}

function errorOf(deployType: DeployType, volumes: ComponentVolume[]): string {
  return errorMessageOf(() => synth(deployType, volumes));
}

const workloadOf = (objects: any[]) => objects.find(o => o.kind === 'StatefulSet' || o.kind === 'Deployment');

describe('share-file (default)', () => {
  test('a stateful claim template carries the volume type marker', () => {
    const sts = findOne(synth(DeployType.STATEFUL_SINGLE, [{ name: 'data', mountPath: '/data' }]), 'StatefulSet');
    expect(sts.spec.volumeClaimTemplates[0].metadata.annotations).toEqual({ 'rainbond.io/volume-type': 'share-file' });
  });

  test('a stateless shared claim carries the marker and stays shared', () => {
    const objects = synth(DeployType.STATELESS_MULTIPLE, [{ name: 'data', mountPath: '/data', type: VolumeType.SHARE_FILE }], 2);
    const claim = findOne(objects, 'PersistentVolumeClaim', 'app-data');
    expect(claim.metadata.annotations['rainbond.io/volume-type']).toBe('share-file');
    expect(claim.spec.accessModes).toEqual(['ReadWriteMany']);
  });
});

describe('local', () => {
  test('a stateful instance gets its own node-local claim from the local-path class', () => {
    const objects = synth(DeployType.STATEFUL_MULTIPLE, [{ name: 'data', mountPath: '/data', type: VolumeType.LOCAL, size: Size.gibibytes(5) }], 3);
    const template = findOne(objects, 'StatefulSet').spec.volumeClaimTemplates[0];
    expect(template.metadata.annotations).toEqual({ 'rainbond.io/volume-type': 'local' });
    expect(template.spec).toEqual({
      accessModes: ['ReadWriteOnce'], storageClassName: 'local-path', resources: { requests: { storage: '5Gi' } },
    });
  });

  test('a custom node-local storage class is kept', () => {
    const objects = synth(DeployType.STATEFUL_SINGLE, [{ name: 'data', mountPath: '/data', type: VolumeType.LOCAL, storageClassName: 'openebs-hostpath' }]);
    expect(findOne(objects, 'StatefulSet').spec.volumeClaimTemplates[0].spec.storageClassName).toBe('openebs-hostpath');
  });

  test.each([DeployType.STATELESS_SINGLE, DeployType.STATELESS_MULTIPLE])('is refused on %s with the reason', (deployType) => {
    expect(errorOf(deployType, [{ name: 'data', mountPath: '/data', type: VolumeType.LOCAL }])).toContain(
      `[volumes[0].type] local volume 'data' is node-local storage of one instance, which ${deployType} does not have: its pods are replaced on any node and share their volumes (Rainbond allows local storage on stateful components only). Fix: use DeployType.STATEFUL_SINGLE or STATEFUL_MULTIPLE, or VolumeType.SHARE_FILE.`);
  });

  test('a shared access mode is refused', () => {
    expect(errorOf(DeployType.STATEFUL_SINGLE, [{
      name: 'data', mountPath: '/data', type: VolumeType.LOCAL, accessMode: kplus.PersistentVolumeAccessMode.READ_WRITE_MANY,
    }])).toContain('[volumes[0].accessMode] local volume \'data\' lives on one node and has a single writer, so ReadWriteMany cannot be provided. Fix:');
  });
});

describe('memoryfs', () => {
  test('is an emptyDir, memory-backed with a size limit, mounted in every container', () => {
    const objects = synth(DeployType.STATEFUL_SINGLE, [
      { name: 'data', mountPath: '/data' },
      { name: 'run', mountPath: '/var/run/app', type: VolumeType.MEMORYFS, memory: true, size: Size.mebibytes(64) },
      { name: 'tmp', mountPath: '/tmp', type: VolumeType.MEMORYFS },
    ]);
    const sts = findOne(objects, 'StatefulSet');
    expect(sts.spec.template.spec.volumes).toEqual([
      { name: 'run', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      { name: 'tmp', emptyDir: {} },
    ]);
    expect(sts.spec.template.spec.containers[0].volumeMounts).toEqual([
      { name: 'run', mountPath: '/var/run/app' },
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'data', mountPath: '/data' },
    ]);
    expect(sts.spec.volumeClaimTemplates.map((t: any) => t.metadata.name)).toEqual(['data']);
    expect(workloadPolicyViolations(sts)).toEqual([]);
  });

  test('is never a claim and needs no Recreate strategy', () => {
    const objects = synth(DeployType.STATELESS_SINGLE, [{ name: 'cache', mountPath: '/cache', type: VolumeType.MEMORYFS }]);
    expect(findAll(objects, 'PersistentVolumeClaim')).toEqual([]);
    const deployment = findOne(objects, 'Deployment');
    expect(deployment.spec.strategy.type).toBe('RollingUpdate');
    expect(deployment.spec.template.spec.volumes).toEqual([{ name: 'cache', emptyDir: {} }]);
  });

  test('claim-only props are refused', () => {
    const message = errorOf(DeployType.STATELESS_SINGLE, [{
      name: 'cache', mountPath: '/cache', type: VolumeType.MEMORYFS, storageClassName: 'fast', accessMode: kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE,
    }]);
    expect(message).toContain('[volumes[0].storageClassName] storageClassName does not apply to a memoryfs volume (\'cache\'). Fix: remove storageClassName: a memoryfs volume is not a claim.');
    expect(message).toContain('[volumes[0].accessMode] accessMode does not apply to a memoryfs volume (\'cache\'). Fix: remove accessMode: a memoryfs volume is not a claim.');
  });

  test('memory is refused on other types', () => {
    expect(errorOf(DeployType.STATELESS_SINGLE, [{ name: 'data', mountPath: '/data', memory: true }])).toContain(
      '[volumes[0].memory] memory does not apply to a share-file volume (\'data\'). Fix: remove memory, or use VolumeType.MEMORYFS.');
  });
});

describe('config-file', () => {
  const fileVolume: ComponentVolume = {
    name: 'config', mountPath: '/etc/app/app.conf', type: VolumeType.CONFIG_FILE, content: 'level = info\n', fileMode: 0o640,
  };

  test.each([DeployType.STATEFUL_SINGLE, DeployType.STATELESS_MULTIPLE])('on %s: a ConfigMap the component owns, mounted read-only with subPath', (deployType) => {
    const objects = synth(deployType, [fileVolume]);
    const configMap = findOne(objects, 'ConfigMap', 'app-config');
    expect(configMap.data).toEqual({ 'app.conf': 'level = info\n' });
    expect(configMap.metadata.namespace).toBe(workloadOf(objects).metadata.namespace);
    expect(configMap.metadata.labels['app.kubernetes.io/instance']).toBe('app');
    expect(configMap.metadata.annotations['rainbond.io/component']).toBe('app');
    const pod = workloadOf(objects).spec.template.spec;
    expect(pod.volumes).toEqual([{ name: 'config', configMap: { name: 'app-config', defaultMode: 0o640 } }]);
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'config', mountPath: '/etc/app/app.conf', subPath: 'app.conf', readOnly: true }]);
    expect(findAll(objects, 'PersistentVolumeClaim')).toEqual([]);
    expect(workloadOf(objects).spec.volumeClaimTemplates).toBeUndefined();
  });

  test('the default file mode is 0644', () => {
    const pod = findOne(synth(DeployType.STATELESS_SINGLE, [{ ...fileVolume, fileMode: undefined }]), 'Deployment').spec.template.spec;
    expect(pod.volumes[0].configMap.defaultMode).toBe(0o644);
  });

  test('a change of content or mode changes the pod-template checksum, equal content keeps it', () => {
    const checksum = (volume: ComponentVolume) => findOne(synth(DeployType.STATELESS_SINGLE, [volume]), 'Deployment')
      .spec.template.metadata.annotations['rainbond.io/config-checksum'];
    const base = checksum(fileVolume);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum({ ...fileVolume })).toBe(base);
    expect(checksum({ ...fileVolume, content: 'level = debug\n' })).not.toBe(base);
    expect(checksum({ ...fileVolume, fileMode: 0o600 })).not.toBe(base);
  });

  test('no checksum annotation without config files', () => {
    const deployment = findOne(synth(DeployType.STATELESS_SINGLE, [{ name: 'tmp', mountPath: '/tmp', type: VolumeType.MEMORYFS }]), 'Deployment');
    expect(deployment.spec.template.metadata.annotations['rainbond.io/config-checksum']).toBeUndefined();
  });

  test('missing content, a directory path, a bad mode and a size are refused', () => {
    const message = errorOf(DeployType.STATELESS_SINGLE, [{
      name: 'config', mountPath: '/etc/app/', type: VolumeType.CONFIG_FILE, fileMode: 0o1777, size: Size.mebibytes(1),
    }]);
    expect(message).toContain('[volumes[0].mountPath] config-file volume \'config\' needs a file path whose last segment is a file name (letters, digits, \'-\', \'_\', \'.\', not starting with \'..\'), got \'/etc/app/\'. Fix: set mountPath to the file, e.g. \'/etc/app/app.conf\'.');
    expect(message).toContain('[volumes[0].content] config-file volume \'config\' has no content. Fix: set content to the text of the file.');
    expect(message).toContain(`[volumes[0].fileMode] file mode ${0o1777} of config-file volume 'config' is not a permission mode. Fix:`);
    expect(message).toContain('[volumes[0].size] size does not apply to a config-file volume (\'config\'). Fix: remove size.');
  });

  test.each(['/etc/app/..conf', '/etc/app/..', '/etc/app/.', '/etc/app/a b.conf', `/etc/${'a'.repeat(254)}`])(
    'a file name the API server refuses as a ConfigMap key is refused: %s', (mountPath) => {
      expect(errorOf(DeployType.STATELESS_SINGLE, [{ ...fileVolume, mountPath }])).toContain(
        '[volumes[0].mountPath] config-file volume \'config\' needs a file path whose last segment is a file name');
    });

  test('a file name starting with one dot is a ConfigMap key', () => {
    const configMap = findOne(synth(DeployType.STATELESS_SINGLE, [{ ...fileVolume, mountPath: '/etc/app/.env' }]), 'ConfigMap');
    expect(Object.keys(configMap.data)).toEqual(['.env']);
  });

  test('content beyond what a ConfigMap holds is refused', () => {
    expect(errorOf(DeployType.STATELESS_SINGLE, [{ ...fileVolume, content: 'x'.repeat(1024 * 1024) }])).toContain(
      'has 1048576 bytes; a ConfigMap holds at most 1 MiB');
  });

  test('content and fileMode are refused on other types', () => {
    const message = errorOf(DeployType.STATELESS_SINGLE, [{ name: 'tmp', mountPath: '/tmp', type: VolumeType.MEMORYFS, content: 'x', fileMode: 0o644 }]);
    expect(message).toContain('[volumes[0].content] content does not apply to a memoryfs volume (\'tmp\'). Fix: remove content, or use VolumeType.CONFIG_FILE.');
    expect(message).toContain('[volumes[0].fileMode] fileMode does not apply to a memoryfs volume (\'tmp\').');
  });
});

test('an unknown volume type is refused', () => {
  expect(errorOf(DeployType.STATELESS_SINGLE, [{ name: 'data', mountPath: '/data', type: 'nfs' as VolumeType }])).toContain(
    '[volumes[0].type] \'nfs\' is not a Rainbond volume type. Fix: use one of share-file, local, memoryfs, config-file (VolumeType enum).');
});

describe('access modes', () => {
  test.each(['rwx', 'ReadWriteAll', 'ReadWriteMany '])('%j is refused, on either kind of workload: the API server would refuse the claim', (mode) => {
    for (const deployType of [DeployType.STATELESS_SINGLE, DeployType.STATEFUL_MULTIPLE]) {
      expect(errorOf(deployType, [{ name: 'data', mountPath: '/data', accessMode: mode as kplus.PersistentVolumeAccessMode }])).toContain(
        `[volumes[0].accessMode] '${mode}' is not an access mode. Fix: use one of ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod (PersistentVolumeAccessMode enum).`);
    }
  });

  test('every access mode of the enum is accepted', () => {
    for (const accessMode of Object.values(kplus.PersistentVolumeAccessMode)) {
      const claim = findOne(synth(DeployType.STATELESS_SINGLE, [{ name: 'data', mountPath: '/data', accessMode }]), 'PersistentVolumeClaim');
      expect(claim.spec.accessModes).toEqual([accessMode]);
    }
  });
});

describe('sizes cdk8s-plus-28 can write', () => {
  test('a memoryfs size that is not a whole number of MiB is refused (cdk8s-plus-28 threw from inside its Volume)', () => {
    expect(errorOf(DeployType.STATELESS_SINGLE, [{ name: 'cache', mountPath: '/cache', type: VolumeType.MEMORYFS, size: Size.kibibytes(100) }])).toContain(
      '[volumes[0].size] \'100Ki\' is not a whole number of MiB, the unit cdk8s-plus-28 writes an emptyDir\'s sizeLimit in. Fix: use a whole number of MiB such as Size.mebibytes(64).');
  });

  test.each([DeployType.STATELESS_SINGLE, DeployType.STATEFUL_SINGLE])('on %s a size above 8Ei is refused; it was written as 1e+21Gi, no quantity at all', (deployType) => {
    for (const type of [VolumeType.SHARE_FILE, VolumeType.MEMORYFS]) {
      expect(errorOf(deployType, [{ name: 'data', mountPath: '/data', type, size: Size.gibibytes(1e21) }])).toContain(
        '[volumes[0].size] \'1e+21Gi\' is more than 8Ei, the most bytes a Kubernetes quantity counts (a 64-bit integer). Fix:');
    }
    const objects = synth(deployType, [{ name: 'data', mountPath: '/data', size: Size.tebibytes(8 * 1024 * 1024) }]);
    expect(JSON.stringify(objects)).toContain(deployType === DeployType.STATEFUL_SINGLE ? '"storage":"8388608Ti"' : '"storage":"8589934592Gi"');
  });
});
