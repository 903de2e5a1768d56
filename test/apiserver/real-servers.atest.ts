/**
 * Tier 4 with real servers (issue 25): the real StatefulSet controller decides, real servers run.
 * A preset's manifests are applied for real; the pods the controller creates on a fake node are run
 * by the integration harness as server processes (test/apiserver/harness-runner.ts), which reports
 * their address and Ready condition back. Then a change of the pod template rolls the members in
 * the controller's order while a writer keeps writing, and every acknowledged write is read back.
 * Needs root and the Debian servers of test/integration/setup.sh, besides the control plane.
 */
import { Testing } from 'cdk8s';
import { HarnessRunner } from './harness-runner';
import { FakeKubelet, PodWatch, api, apply, createNamespace, deleteNamespaces, strategicPatch, until } from './kube';
import { RainbondComponent } from '../../src/component';
import { DeployType } from '../../src/deploy-type';
import { ETCD_IMAGE, ZOOKEEPER_IMAGE } from '../../src/presets/_image-facts';
import { EtcdPreset } from '../../src/presets/etcd';
import { ZookeeperPreset } from '../../src/presets/zookeeper';
import { PodCluster, startPodCluster } from '../integration/harness';
import { startWriter, verifyWrites, WriterTarget } from '../integration/harness/ops';

const NODE = 'srv-node';

interface SystemCase {
  system: 'etcd' | 'zookeeper';
  name: string;
  port: number;
  build: (namespace: string) => any[];
  start: (manifests: any[]) => Promise<PodCluster>;
}

const synth = (name: string, namespace: string, preset: EtcdPreset | ZookeeperPreset) => {
  const chart = Testing.chart();
  new RainbondComponent(chart, name, { deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3, namespace, preset });
  return Testing.synth(chart);
};

const CASES: SystemCase[] = [
  {
    system: 'etcd',
    name: 'etcd',
    port: 2379,
    build: (ns) => synth('etcd', ns, new EtcdPreset()),
    start: (manifests) => startPodCluster({ image: ETCD_IMAGE, manifests, statefulSetName: 'etcd', commands: { etcd: '/usr/bin/etcd', etcdctl: '/usr/bin/etcdctl' } }),
  },
  {
    system: 'zookeeper',
    name: 'zk',
    port: 2181,
    build: (ns) => synth('zk', ns, new ZookeeperPreset()),
    start: (manifests) => startPodCluster({
      image: ZOOKEEPER_IMAGE, manifests, statefulSetName: 'zk', commands: { 'zkServer.sh': '/usr/share/zookeeper/bin/zkServer.sh' },
    }),
  },
];

const kubelet = new FakeKubelet([NODE]);

beforeAll(async () => {
  await kubelet.start();
});

afterAll(async () => {
  await kubelet.stop();
});

describe.each(CASES)('$system: the real StatefulSet controller rolls real servers', (c) => {
  const ns = `srv-${c.system}`;
  const manifests = c.build(ns);
  let cluster: PodCluster | undefined;
  let runner: HarnessRunner;
  let watch: PodWatch | undefined;
  const statefulSet = () => api('GET', `/apis/apps/v1/namespaces/${ns}/statefulsets/${c.name}`);

  beforeAll(async () => {
    cluster = await c.start(manifests);
    runner = new HarnessRunner(cluster, ns, c.name);
    kubelet.runners.push(runner);
    await createNamespace(ns);
    watch = new PodWatch(ns);
  });

  afterAll(async () => {
    watch?.stop();
    // the runner stops each pod before the fake kubelet confirms its deletion
    await deleteNamespaces([ns], 120_000).catch(e => console.error(String(e)));
    kubelet.runners.splice(kubelet.runners.indexOf(runner), 1);
    await cluster?.dispose();
  });

  const failure = async () => `runner: ${runner.errors.join('; ')}; kubelet: ${kubelet.errors.slice(-5).join('; ')}; `
    + `sts: ${JSON.stringify((await statefulSet())?.status)}`;

  test('applied for real: the controller creates the pods, the servers become Ready', async () => {
    const applied = manifests.map(o => (o.kind === 'StatefulSet'
      ? { ...o, spec: { ...o.spec, template: { ...o.spec.template, spec: { ...o.spec.template.spec, nodeSelector: { 'kubernetes.io/hostname': NODE } } } } }
      : o));
    const r = await apply(applied, 'cdk8s-rainbond-real-servers-test');
    expect(r.stderr).toBe('');
    await until('all members Ready through the API server', async () => (await statefulSet())?.status?.readyReplicas === 3, 180_000, 500)
      .catch(async (e) => { throw new Error(`${(e as Error).message}\n${await failure()}`); });
    for (const i of [0, 1, 2]) expect(cluster!.isReady(i)).toBe(true);
    const pods = (await api('GET', `/api/v1/namespaces/${ns}/pods`)).items as any[];
    expect(pods.map(p => p.status.podIP).sort()).toEqual([0, 1, 2].map(i => cluster!.address(i)).sort());
  });

  test('a template change: the controller restarts the members highest ordinal first, each Ready before the next; no acknowledged write is lost', async () => {
    const target: WriterTarget = { system: c.system, from: 0, host: cluster!.address(0), port: c.port };
    const writer = startWriter(cluster!, target, `rollout${Date.now()}`, 300_000, 20);
    try {
      await writer.waitAcknowledged(Date.now() - 1000, 60_000);
      const from = watch!.events.length;
      await strategicPatch(`/apis/apps/v1/namespaces/${ns}/statefulsets/${c.name}`,
        { spec: { template: { metadata: { annotations: { 'cdk8s-rainbond.test/rolled-at': new Date().toISOString() } } } } });
      await until('the rollout is done', async () => {
        const s = await statefulSet();
        return s.status.observedGeneration === s.metadata.generation && s.status.updatedReplicas === 3 && s.status.readyReplicas === 3
          && s.status.currentRevision === s.status.updateRevision;
      }, 240_000, 500).catch(async (e) => { throw new Error(`${(e as Error).message}\n${await failure()}`); });
      const events = watch!.events.slice(from);
      // the order the controller deleted the old pods in
      const deleted = [...new Set(events.filter(e => e.deleting).map(e => e.name))];
      expect(deleted).toEqual([`${c.name}-2`, `${c.name}-1`, `${c.name}-0`]);
      // each replacement was Ready before the controller deleted the next pod
      for (const [k, name] of deleted.slice(0, 2).entries()) {
        const next = events.findIndex(e => e.name === deleted[k + 1] && e.deleting);
        const firstUid = events.find(e => e.name === name && e.deleting)!.uid;
        const readyAgain = events.findIndex(e => e.name === name && e.uid !== firstUid && e.ready);
        expect({ name, readyAgain: readyAgain >= 0 && readyAgain < next }).toEqual({ name, readyAgain: true });
      }
    } finally {
      const result = await writer.stop();
      await until('member 0 Ready again for the read-back', () => cluster!.isReady(0), 60_000);
      const check = await verifyWrites(cluster!, target, result);
      expect(check.acknowledged).toBeGreaterThan(0);
      expect(check.lost).toBe(0);
    }
  });
});
