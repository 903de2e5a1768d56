/**
 * RainbondComponent renders its objects once, in the constructor, through cdk8s-plus and `k8s.Kube*`
 * objects that render lazily at synthesis. Reading a member never changes the construct tree or the
 * output, and an edit made through the construct tree (an escape-hatch patch, a label set by a helper
 * that walks `node.findAll()`) survives every later read.
 */
import { ApiObject, Chart, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { ClusterPreset, DeployType, OuterAccess, RainbondComponent, RainbondComponentProps, VolumeType } from '../src';
import { findOne } from './util/synth';

const APP = { image: 'registry.example.com/app:1.2.3', ports: [{ number: 8080, name: 'http' }] };

/** Manifests of a chart, straight from cdk8s. */
function manifests(chart: Chart): any[] {
  return chart.toJson();
}

/** A chart with one component of `props`. */
function chartWith(props: Partial<RainbondComponentProps> & Pick<RainbondComponentProps, 'deployType'>) {
  const chart = Testing.chart();
  const component = new RainbondComponent(chart, 'app', { containers: [APP], ...props });
  return { chart, component };
}

/** Reads every typed member of a component (the ones that once switched the rendering). */
function readEveryMember(component: RainbondComponent): unknown[] {
  return [
    component.workload, component.statefulSet, component.deployment, component.service, component.headlessService,
    component.podDisruptionBudget, component.networkPolicy, component.autoscaler, component.rendersPlainly,
    component.service ? component.clientService : undefined,
  ];
}

/** Every combination the component renders differently: deploy types, volumes, autoscaling, outer access, a preset. */
const CASES: [string, Partial<RainbondComponentProps> & Pick<RainbondComponentProps, 'deployType'>][] = [
  ['stateful multiple with a volume and outer access', {
    deployType: DeployType.STATEFUL_MULTIPLE,
    replicas: 3,
    volumes: [{ name: 'data', mountPath: '/data', size: Size.gibibytes(2) }],
    portSettings: [{ port: 8080, outerAccess: OuterAccess.nodePort() }],
  }],
  ['stateless multiple, autoscaled, with a shared claim and a config file', {
    deployType: DeployType.STATELESS_MULTIPLE,
    volumes: [
      { name: 'files', mountPath: '/files', accessMode: kplus.PersistentVolumeAccessMode.READ_WRITE_MANY },
      { name: 'conf', mountPath: '/etc/app/app.conf', type: VolumeType.CONFIG_FILE, content: 'x=1' },
    ],
    autoscaling: { maxReplicas: 5, cpuUtilization: 70 },
  }],
  ['stateless single with a single-node claim (Recreate)', {
    deployType: DeployType.STATELESS_SINGLE, volumes: [{ name: 'data', mountPath: '/data' }],
  }],
  ['an etcd cluster with a NetworkPolicy', {
    deployType: DeployType.STATEFUL_MULTIPLE, containers: [], preset: ClusterPreset.etcd({ networkPolicy: { clients: [{ podLabels: { role: 'api' } }] } }),
  }],
  ['a ZooKeeper ensemble (preset ConfigMap) with a config-file volume and a disruption budget', {
    deployType: DeployType.STATEFUL_MULTIPLE,
    containers: [],
    preset: ClusterPreset.zookeeper(),
    volumes: [{ name: 'extra', mountPath: '/etc/extra/app.conf', type: VolumeType.CONFIG_FILE, content: 'a=1\n' }],
  }],
];

describe('one rendering', () => {
  test.each(CASES)('%s: reading every member changes neither the construct tree nor the output', (_, props) => {
    const { chart, component } = chartWith(props);
    const paths = () => chart.node.findAll().map(c => c.node.path);
    const tree = paths();
    const before = JSON.stringify(manifests(chart));
    const first = readEveryMember(component);
    expect(paths()).toEqual(tree);
    expect(JSON.stringify(manifests(chart))).toEqual(before);
    // the members are the same objects on every read
    readEveryMember(component).forEach((member, i) => expect(member).toBe(first[i]));
  });

  test.each(CASES)('%s: every object under the component is a cdk8s-plus resource or a typed Kube* object', (_, props) => {
    const { component } = chartWith(props);
    const plain = component.node.findAll().filter(c => Object.getPrototypeOf(c) === ApiObject.prototype);
    expect(plain.map(c => c.node.path)).toEqual([]);
  });

  test('an escape-hatch edit made before any member is read survives every later read', () => {
    const { chart, component } = chartWith({ deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3 });
    const workload = component.node.findAll().find(c => c instanceof ApiObject && c.kind === 'StatefulSet') as ApiObject;
    workload.addJsonPatch(JsonPatch.add('/spec/revisionHistoryLimit', 3));
    workload.metadata.addLabel('team', 'db');
    readEveryMember(component);
    component.workload.containers[0].env.addVariable('FEATURE', kplus.EnvValue.fromValue('on'));
    readEveryMember(component);
    const sts = findOne(manifests(chart), 'StatefulSet', 'app');
    expect(sts.spec.revisionHistoryLimit).toBe(3);
    expect(sts.metadata.labels.team).toBe('db');
    expect(sts.spec.template.spec.containers[0].env).toContainEqual({ name: 'FEATURE', value: 'on' });
  });

  test('the README\'s escape hatch, ApiObject.of(component.workload), patches the workload and survives later reads', () => {
    const { chart, component } = chartWith({ deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3 });
    ApiObject.of(component.workload).addJsonPatch(JsonPatch.add('/spec/revisionHistoryLimit', 3));
    readEveryMember(component);
    expect(findOne(manifests(chart), 'StatefulSet', 'app').spec.revisionHistoryLimit).toBe(3);
  });

  test('a helper that labels every ApiObject of the tree reaches every object, whenever members are read', () => {
    const { chart, component } = chartWith({
      deployType: DeployType.STATELESS_MULTIPLE,
      replicas: 2,
      volumes: [{ name: 'files', mountPath: '/files', accessMode: kplus.PersistentVolumeAccessMode.READ_WRITE_MANY }],
    });
    const labelAll = (root: IConstruct) => root.node.findAll().forEach(c => c instanceof ApiObject && c.metadata.addLabel('cost-center', 'shop'));
    labelAll(chart);
    readEveryMember(component);
    const objects = manifests(chart);
    expect(objects.map(o => o.kind)).toEqual(['PersistentVolumeClaim', 'Deployment', 'Service', 'PodDisruptionBudget']);
    for (const object of objects) expect(object.metadata.labels['cost-center']).toBe('shop');
  });

  test('objects added under the component later keep their place after the component\'s own', () => {
    const { chart, component } = chartWith({ deployType: DeployType.STATEFUL_MULTIPLE, containers: [], preset: ClusterPreset.zookeeper() });
    const extras = new Construct(component, 'Extras');
    new ApiObject(extras, 'Extra', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra' } });
    readEveryMember(component);
    expect(manifests(chart).map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ConfigMap/app-config', 'Service/app', 'StatefulSet/app', 'Service/app-client', 'PodDisruptionBudget/app', 'ConfigMap/extra',
    ]);
  });

  test('what is done through the disruption budget reaches the manifests', () => {
    const { chart, component } = chartWith({ deployType: DeployType.STATELESS_MULTIPLE, replicas: 2 });
    const budget = component.podDisruptionBudget!;
    expect(budget).toBeInstanceOf(kplus.k8s.KubePodDisruptionBudget);
    budget.metadata.addAnnotation('example.com/owner', 'team-a');
    const pdb = findOne(manifests(chart), 'PodDisruptionBudget', 'app');
    expect(pdb.metadata.annotations).toEqual(expect.objectContaining({ 'example.com/owner': 'team-a', 'rainbond.io/component': 'app' }));
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: component.selectorLabels } });
  });

  test('the typed members are one object each', () => {
    const { component } = chartWith({ deployType: DeployType.STATELESS_MULTIPLE, replicas: 2 });
    expect(component.deployment).toBe(component.workload);
    expect(component.statefulSet).toBeUndefined();
    expect(component.clientService).toBe(component.service);
    expect(component.rendersPlainly).toBe(false);
  });

  test('what is done through cdk8s-plus reaches the manifests', () => {
    const { chart, component } = chartWith({ deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3 });
    component.workload.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.is('dedicated', 'db')));
    const sts = findOne(manifests(chart), 'StatefulSet', 'app');
    expect(sts.spec.template.spec.tolerations).toEqual([expect.objectContaining({ key: 'dedicated', operator: 'Equal', value: 'db' })]);
  });

  test('dependencies added before or after a member is read write the same variables and wait containers', () => {
    const render = (readWorkloadBetween: boolean) => {
      const chart = Testing.chart();
      const db = new RainbondComponent(chart, 'db', { deployType: DeployType.STATEFUL_SINGLE, containers: [{ image: 'postgres:16.4', ports: [{ number: 5432 }] }] });
      const cache = new RainbondComponent(chart, 'cache', { deployType: DeployType.STATELESS_SINGLE, containers: [{ image: 'redis:7.2.7', ports: [{ number: 6379 }] }] });
      const web = new RainbondComponent(chart, 'web', { deployType: DeployType.STATELESS_MULTIPLE, replicas: 2, containers: [APP], initContainers: [{ image: 'busybox:1.36.1', command: ['true'] }] });
      web.dependsOn(db, { waitForPort: true });
      if (readWorkloadBetween) readEveryMember(web);
      web.dependsOn(cache, { waitForPort: true });
      return manifests(chart);
    };
    const objects = render(false);
    const web = findOne(objects, 'Deployment', 'web').spec.template.spec;
    expect(web.initContainers.map((c: any) => c.name)).toEqual(['web-init-0', 'wait-for-db', 'wait-for-cache']);
    // a wait container added before another dependency gets that dependency's variables too
    expect(web.initContainers[1].env.map((e: any) => e.name)).toContain('CACHE6379_HOST');
    expect(render(true)).toEqual(objects);
  });
});
