/** What every preset's pods share: no service links, a config checksum that follows the rendered files, ConfigMap names. */
import { Testing } from 'cdk8s';
import { ClusterPreset, DeployType, IClusterPreset, RainbondComponent } from '../../src';
import { contentChecksum } from '../../src/_checksum';
import { ANNOTATION_CONFIG_CHECKSUM } from '../../src/_contract';
import { findAll, findOne, synthValid } from '../util/synth';

function synth(preset: IClusterPreset, replicas = 3, name = 'svc') {
  const chart = Testing.chart();
  new RainbondComponent(chart, name, { deployType: DeployType.STATEFUL_MULTIPLE, replicas, preset });
  const objects = synthValid(chart);
  // the members' ConfigMaps (Redis also renders one for its primary proxy Deployment, checked below)
  const configMaps = findAll(objects, 'ConfigMap').filter(c => c.metadata.name !== `${name}-primary`);
  return { objects, sts: findOne(objects, 'StatefulSet', name), configMaps };
}

test('the Redis primary proxy pods carry the checksum of their own ConfigMap, which follows the member list', () => {
  const proxy = (replicas: number) => {
    const { objects } = synth(ClusterPreset.redisSentinel(), replicas, 'cache');
    return { deployment: findOne(objects, 'Deployment', 'cache-primary'), configMap: findOne(objects, 'ConfigMap', 'cache-primary') };
  };
  const three = proxy(3);
  const five = proxy(5);
  expect(three.deployment.spec.template.metadata.annotations[ANNOTATION_CONFIG_CHECKSUM]).toBe(contentChecksum(three.configMap.data));
  expect(five.deployment.spec.template.metadata.annotations[ANNOTATION_CONFIG_CHECKSUM])
    .not.toBe(three.deployment.spec.template.metadata.annotations[ANNOTATION_CONFIG_CHECKSUM]);
});

const all: Array<[string, (changed?: boolean) => IClusterPreset]> = [
  ['etcd', changed => ClusterPreset.etcd({ clusterToken: changed ? 'other-token' : undefined })],
  ['zookeeper', changed => ClusterPreset.zookeeper({ extraConfig: changed ? { maxClientCnxns: '200' } : undefined })],
  ['redisSentinel', changed => ClusterPreset.redisSentinel({ masterName: changed ? 'other' : undefined })],
  ['mysqlReplication', changed => ClusterPreset.mysqlReplication({ replicationUser: changed ? 'recovery' : undefined })],
];
const withFiles = all.filter(([name]) => name !== 'etcd');

describe.each(all)('%s pods', (_name, preset) => {
  test.each([1, 3])('%i member(s): enableServiceLinks is false (no kubelet-injected <SERVICE>_* variables)', replicas => {
    expect(synth(preset(), replicas).sts.spec.template.spec.enableServiceLinks).toBe(false);
  });
});

test('a component without a preset keeps the Kubernetes default for service links', () => {
  const chart = Testing.chart();
  new RainbondComponent(chart, 'app', { deployType: DeployType.STATEFUL_SINGLE, containers: [{ image: 'nginx:1.27', ports: [{ number: 8080 }] }] });
  expect(findOne(synthValid(chart), 'StatefulSet').spec.template.spec.enableServiceLinks).toBeUndefined();
});

describe.each(withFiles)('%s configuration checksum', (_name, preset) => {
  test('the pod template carries the checksum of exactly the ConfigMap data', () => {
    const { sts, configMaps } = synth(preset());
    expect(configMaps).toHaveLength(1);
    expect(sts.spec.template.metadata.annotations[ANNOTATION_CONFIG_CHECKSUM]).toBe(contentChecksum(configMaps[0].data));
  });

  test('a changed option changes the ConfigMap and the annotation; the rest of the pod template stays equal', () => {
    const before = synth(preset(false));
    const after = synth(preset(true));
    expect(after.configMaps[0].data).not.toEqual(before.configMaps[0].data);
    const b = before.sts.spec.template;
    const a = after.sts.spec.template;
    expect(a.metadata.annotations[ANNOTATION_CONFIG_CHECKSUM]).not.toBe(b.metadata.annotations[ANNOTATION_CONFIG_CHECKSUM]);
    const strip = (t: any) => ({ ...t, metadata: { ...t.metadata, annotations: { ...t.metadata.annotations, [ANNOTATION_CONFIG_CHECKSUM]: 'x' } } });
    expect(strip(a)).toEqual(strip(b));
  });

  test('a change of member count re-renders the member lists and rolls the pods', () => {
    const three = synth(preset(), 3).sts.spec.template.metadata.annotations[ANNOTATION_CONFIG_CHECKSUM];
    const five = synth(preset(), 5).sts.spec.template.metadata.annotations[ANNOTATION_CONFIG_CHECKSUM];
    expect(five).not.toBe(three);
  });

  test('equal configuration gives a byte-equal StatefulSet', () => {
    expect(JSON.stringify(synth(preset()).sts)).toBe(JSON.stringify(synth(preset()).sts));
  });
});

test('etcd has no ConfigMap: its configuration is the pod template\'s env, which rolls the pods by itself', () => {
  const { sts, configMaps } = synth(ClusterPreset.etcd());
  expect(configMaps).toEqual([]);
  expect(sts.spec.template.metadata.annotations[ANNOTATION_CONFIG_CHECKSUM]).toBeUndefined();
});

test.each(withFiles)('%s ConfigMap is named <component>-config, mounted by that name', (_name, preset) => {
  const { sts, configMaps } = synth(preset(), 3, 'orders');
  expect(configMaps.map(c => c.metadata.name)).toEqual(['orders-config']);
  const names = sts.spec.template.spec.volumes.filter((v: any) => v.configMap).map((v: any) => v.configMap.name);
  expect(names).toEqual(['orders-config']);
});
