/**
 * RainbondComponent renders its workload and Services as plain manifests until one of its
 * cdk8s-plus members is read, then through those cdk8s-plus objects. These tests pin the switch
 * and what survives it; test/util/renderings.ts compares the two renderings on every synthesis
 * of every unit test.
 */
import { ApiObject, Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterPreset, DeployType, OuterAccess, RainbondComponent, RainbondComponentProps, VolumeType } from '../src';
import { compareWithCdk8sPlusRendering } from './util/renderings';
import { errorMessageOf, findOne } from './util/synth';

const APP = { image: 'registry.example.com/app:1.2.3', ports: [{ number: 8080, name: 'http' }] };

/** Manifests of a chart, straight from cdk8s (no comparison, no switch). */
function manifests(chart: Chart): any[] {
  return chart.toJson();
}

/** A chart with one component of `props` (and a dependency `db` when asked). */
function chartWith(props: Partial<RainbondComponentProps> & Pick<RainbondComponentProps, 'deployType'>) {
  const chart = Testing.chart();
  const component = new RainbondComponent(chart, 'app', { containers: [APP], ...props });
  return { chart, component };
}

/** Every combination the component renders differently: deploy types, volumes, autoscaling, outer access, a preset. */
const CASES: [string, Partial<RainbondComponentProps> & Pick<RainbondComponentProps, 'deployType'>][] = [
  ['stateful multiple with a volume and outer access', {
    deployType: DeployType.STATEFUL_MULTIPLE,
    replicas: 3,
    volumes: [{ name: 'data', mountPath: '/data', size: Size.gibibytes(2) }],
    portSettings: [{ port: 8080, outerAccess: OuterAccess.nodePort() }],
  }],
  ['stateless multiple, autoscaled, with a shared claim', {
    deployType: DeployType.STATELESS_MULTIPLE,
    volumes: [{ name: 'files', mountPath: '/files', accessMode: kplus.PersistentVolumeAccessMode.READ_WRITE_MANY }],
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

describe('the switch from plain manifests to cdk8s-plus objects', () => {
  test.each(['workload', 'statefulSet', 'deployment', 'service', 'headlessService', 'clientService', 'podDisruptionBudget'] as const)(
    'reading %s switches the component, and the manifests stay the same', (member) => {
      const deployType = member === 'deployment' ? DeployType.STATELESS_MULTIPLE : DeployType.STATEFUL_MULTIPLE;
      const { chart, component } = chartWith({ deployType, replicas: 3 });
      const before = manifests(chart);
      expect(component.rendersPlainly).toBe(true);
      void component[member];
      expect(component.rendersPlainly).toBe(false);
      expect(manifests(chart)).toEqual(before);
    });

  test('members that do not need cdk8s-plus objects keep the plain rendering', () => {
    const { component } = chartWith({ deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3 });
    void [component.podDnsNames, component.selectorLabels, component.portAlias(8080), component.connectionInfo];
    expect(component.rendersPlainly).toBe(true);
  });

  test.each(CASES)('%s: same manifests in the same order either way', (_, props) => {
    const plain = chartWith(props);
    const viaCdk8sPlus = chartWith(props);
    void viaCdk8sPlus.component.workload;
    const objects = manifests(plain.chart);
    expect(manifests(viaCdk8sPlus.chart)).toEqual(objects);
    // the workload keeps its place before the objects created after it
    const order = objects.map(o => o.kind);
    const workloadAt = order.indexOf(props.deployType.startsWith('state_') ? 'StatefulSet' : 'Deployment');
    for (const later of ['PodDisruptionBudget', 'HorizontalPodAutoscaler', 'NetworkPolicy']) {
      if (order.includes(later)) expect(order.indexOf(later)).toBeGreaterThan(workloadAt);
    }
  });

  test('while rendering plainly, no object under the component is a cdk8s-plus resource or a typed Kube* object', () => {
    const { component } = chartWith({
      deployType: DeployType.STATELESS_MULTIPLE,
      replicas: 2,
      volumes: [
        { name: 'files', mountPath: '/files', accessMode: kplus.PersistentVolumeAccessMode.READ_WRITE_MANY },
        { name: 'conf', mountPath: '/etc/app/app.conf', type: VolumeType.CONFIG_FILE, content: 'x=1' },
      ],
    });
    const typed = () => component.node.findAll().filter(c => c instanceof kplus.Resource || (c instanceof ApiObject && c.constructor !== ApiObject));
    expect(component.rendersPlainly).toBe(true);
    expect(typed()).toEqual([]);
    expect(component.node.findAll().filter(c => c instanceof ApiObject).map(c => (c as ApiObject).kind).sort())
      .toEqual(['ConfigMap', 'Deployment', 'PersistentVolumeClaim', 'PodDisruptionBudget', 'Service']);
    void component.podDisruptionBudget;
    expect(typed().map(c => c.constructor.name).sort()).toEqual(expect.arrayContaining([
      'ConfigMap', 'KubePodDisruptionBudget', 'PersistentVolumeClaim', 'StableDeployment', 'LabelSelectedService',
    ]));
  });

  test('objects added under the component later keep their place after the typed twins', () => {
    const { chart, component } = chartWith({
      deployType: DeployType.STATELESS_MULTIPLE,
      replicas: 2,
      volumes: [{ name: 'files', mountPath: '/files', accessMode: kplus.PersistentVolumeAccessMode.READ_WRITE_MANY }],
    });
    new ApiObject(component, 'Extra', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra' } });
    const order = () => manifests(chart).map(o => `${o.kind}/${o.metadata.name}`);
    const before = order();
    expect(before).toEqual(['PersistentVolumeClaim/app-files', 'Deployment/app', 'Service/app-client', 'PodDisruptionBudget/app', 'ConfigMap/extra']);
    void component.podDisruptionBudget;
    expect(order()).toEqual(before);
  });

  test('objects in a construct added under a preset component later keep their place too', () => {
    const { chart, component } = chartWith({ deployType: DeployType.STATEFUL_MULTIPLE, containers: [], preset: ClusterPreset.zookeeper() });
    const extras = new Construct(component, 'Extras');
    new ApiObject(extras, 'Extra', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra' } });
    const order = () => manifests(chart).map(o => `${o.kind}/${o.metadata.name}`);
    const before = order();
    expect(before).toEqual([
      'ConfigMap/app-config', 'Service/app', 'StatefulSet/app', 'Service/app-client', 'PodDisruptionBudget/app', 'ConfigMap/extra',
    ]);
    void component.workload;
    expect(order()).toEqual(before);
  });

  test('what is done through the typed disruption budget reaches the manifests', () => {
    const { chart, component } = chartWith({ deployType: DeployType.STATELESS_MULTIPLE, replicas: 2 });
    const budget = component.podDisruptionBudget!;
    expect(budget).toBeInstanceOf(kplus.k8s.KubePodDisruptionBudget);
    expect(component.podDisruptionBudget).toBe(budget);
    budget.metadata.addAnnotation('example.com/owner', 'team-a');
    const pdb = findOne(manifests(chart), 'PodDisruptionBudget', 'app');
    expect(pdb.metadata.annotations).toEqual(expect.objectContaining({ 'example.com/owner': 'team-a', 'rainbond.io/component': 'app' }));
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: component.selectorLabels } });
  });

  test('the typed accessors are the same objects after the switch', () => {
    const { component } = chartWith({ deployType: DeployType.STATELESS_MULTIPLE, replicas: 2 });
    expect(component.deployment).toBe(component.workload);
    expect(component.workload).toBe(component.workload);
    expect(component.clientService).toBe(component.service);
  });

  test('what is done through cdk8s-plus reaches the manifests', () => {
    const { chart, component } = chartWith({ deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3 });
    component.workload.containers[0].env.addVariable('FEATURE', kplus.EnvValue.fromValue('on'));
    component.workload.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.is('dedicated', 'db')));
    const sts = findOne(manifests(chart), 'StatefulSet', 'app');
    expect(sts.spec.template.spec.containers[0].env).toContainEqual({ name: 'FEATURE', value: 'on' });
    expect(sts.spec.template.spec.tolerations).toEqual([expect.objectContaining({ key: 'dedicated', operator: 'Equal', value: 'db' })]);
  });

  test('dependencies added before, after or without the switch write the same variables and wait containers', () => {
    const render = (when: 'before' | 'after' | 'never') => {
      const chart = Testing.chart();
      const db = new RainbondComponent(chart, 'db', { deployType: DeployType.STATEFUL_SINGLE, containers: [{ image: 'postgres:16.4', ports: [{ number: 5432 }] }] });
      const cache = new RainbondComponent(chart, 'cache', { deployType: DeployType.STATELESS_SINGLE, containers: [{ image: 'redis:7.2.7', ports: [{ number: 6379 }] }] });
      const web = new RainbondComponent(chart, 'web', { deployType: DeployType.STATELESS_MULTIPLE, replicas: 2, containers: [APP], initContainers: [{ image: 'busybox:1.36.1', command: ['true'] }] });
      web.dependsOn(db, { waitForPort: true });
      if (when === 'before') void web.workload;
      web.dependsOn(cache, { waitForPort: true });
      if (when === 'after') void web.workload;
      expect(web.rendersPlainly).toBe(when === 'never');
      return manifests(chart);
    };
    const plain = render('never');
    const web = findOne(plain, 'Deployment', 'web').spec.template.spec;
    expect(web.initContainers.map((c: any) => c.name)).toEqual(['web-init-0', 'wait-for-db', 'wait-for-cache']);
    // a wait container added before another dependency gets that dependency's variables too
    expect(web.initContainers[1].env.map((e: any) => e.name)).toContain('CACHE6379_HOST');
    expect(render('before')).toEqual(plain);
    expect(render('after')).toEqual(plain);
  });

  test('the comparison of the two renderings fails when they differ', () => {
    const { chart } = chartWith({ deployType: DeployType.STATEFUL_SINGLE });
    const tampered = manifests(chart);
    tampered[1] = { ...tampered[1], spec: { ...tampered[1].spec, replicas: 2 } };
    expect(errorMessageOf(() => compareWithCdk8sPlusRendering(chart, tampered)))
      .toMatch(/plain rendering and the cdk8s-plus rendering of test\/app differ at object 1/);
  });

  test('a component whose constructor refused its props is not switched', () => {
    const chart = Testing.chart();
    expect(() => new RainbondComponent(chart, 'bad', { deployType: DeployType.STATEFUL_SINGLE, containers: [{ image: 'x:1' }] })).toThrow(/port/);
    const bad = chart.node.findChild('bad') as RainbondComponent;
    expect(bad.rendersPlainly).toBe(false);
  });
});
