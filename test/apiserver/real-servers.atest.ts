/**
 * Tier 4 with real servers (issue 25): the real StatefulSet and Deployment controllers decide, real
 * servers run. A preset's manifests are applied for real; the pods the controllers create on a fake node are run
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
import { RedisSentinelPreset } from '../../src/presets/redis-sentinel';
import { ZookeeperPreset } from '../../src/presets/zookeeper';
import { PodCluster, startPodCluster } from '../integration/harness';
import { startWriter, verifyWrites, WriterTarget } from '../integration/harness/ops';
import { redisPodCluster } from '../integration/redis-cluster';

const NODE = 'srv-node';

interface SystemCase {
  system: 'etcd' | 'zookeeper' | 'redis';
  /** The StatefulSet's name. */
  name: string;
  /** Deployments whose pods the harness runs too. */
  companions?: string[];
  build: (namespace: string) => any[];
  start: (manifests: any[]) => Promise<PodCluster>;
  /** Where the writer writes: a member for etcd and ZooKeeper (member 0, restarted last), the primary proxy for Redis. */
  target: (cluster: PodCluster) => WriterTarget;
}

const PASSWORD = 'real-servers-pass';

const synth = (name: string, namespace: string, preset: EtcdPreset | ZookeeperPreset | RedisSentinelPreset) => {
  const chart = Testing.chart();
  new RainbondComponent(chart, name, { deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3, namespace, preset });
  return Testing.synth(chart);
};

const CASES: SystemCase[] = [
  {
    system: 'etcd',
    name: 'etcd',
    build: (ns) => synth('etcd', ns, new EtcdPreset()),
    start: (manifests) => startPodCluster({ image: ETCD_IMAGE, manifests, statefulSetName: 'etcd', commands: { etcd: '/usr/bin/etcd', etcdctl: '/usr/bin/etcdctl' } }),
    target: (cluster) => ({ system: 'etcd', from: 0, host: cluster.address(0), port: 2379 }),
  },
  {
    system: 'zookeeper',
    name: 'zk',
    build: (ns) => synth('zk', ns, new ZookeeperPreset()),
    start: (manifests) => startPodCluster({
      image: ZOOKEEPER_IMAGE, manifests, statefulSetName: 'zk', commands: { 'zkServer.sh': '/usr/share/zookeeper/bin/zkServer.sh' },
    }),
    target: (cluster) => ({ system: 'zookeeper', from: 0, host: cluster.address(0), port: 2181 }),
  },
  {
    system: 'redis',
    name: 'cache',
    companions: ['cache-primary'],
    build: (ns) => [
      ...synth('cache', ns, new RedisSentinelPreset()),
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cache-credentials', namespace: ns }, stringData: { password: PASSWORD } },
    ],
    start: (manifests) => redisPodCluster(manifests, PASSWORD),
    target: (cluster) => {
      const proxies = cluster.companionOrdinals('cache-primary');
      return { system: 'redis', from: proxies[1], host: cluster.address(proxies[0]), port: 6379, env: { REDIS_PASSWORD: PASSWORD } };
    },
  },
];

const kubelet = new FakeKubelet([NODE]);

beforeAll(async () => {
  await kubelet.start();
});

afterAll(async () => {
  await kubelet.stop();
});

describe.each(CASES)('$system: the real controllers start and roll real servers', (c) => {
  const ns = `srv-${c.system}`;
  const manifests = c.build(ns);
  let cluster: PodCluster | undefined;
  let runner: HarnessRunner;
  let watch: PodWatch | undefined;
  const statefulSet = () => api('GET', `/apis/apps/v1/namespaces/${ns}/statefulsets/${c.name}`);

  beforeAll(async () => {
    cluster = await c.start(manifests);
    runner = new HarnessRunner(cluster, ns, c.name, c.companions);
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

  /** Waits for `check`; a timeout says what the runner, the fake kubelet and the StatefulSet's status were. */
  const settle = (what: string, check: () => Promise<boolean>, timeoutMs: number) => until(what, check, timeoutMs, 500).catch(async (e) => {
    throw new Error(`${(e as Error).message}\nrunner: ${runner.errors.join('; ')}; kubelet: ${kubelet.errors.slice(-5).join('; ')}; `
      + `sts: ${JSON.stringify((await statefulSet())?.status)}`);
  });

  test('applied for real: the controller creates the pods in its order, the servers become Ready', async () => {
    const applied = manifests.map(o => (o.kind === 'StatefulSet' || o.kind === 'Deployment'
      ? { ...o, spec: { ...o.spec, template: { ...o.spec.template, spec: { ...o.spec.template.spec, nodeSelector: { 'kubernetes.io/hostname': NODE } } } } }
      : o));
    const r = await apply(applied, 'cdk8s-rainbond-real-servers-test');
    expect(r.stderr).toBe('');
    await settle('all members Ready through the API server', async () => (await statefulSet())?.status?.readyReplicas === 3, 180_000);
    for (const name of c.companions ?? []) {
      await settle(`${name} Ready through the API server`, async () => {
        const d = await api('GET', `/apis/apps/v1/namespaces/${ns}/deployments/${name}`);
        return d?.status?.readyReplicas === d?.spec?.replicas;
      }, 120_000);
    }
    for (const i of [0, 1, 2]) expect(cluster!.isReady(i)).toBe(true);
    // the controller's start order: OrderedReady creates a pod only once the one before it is Ready,
    // Parallel creates them all at once
    const events = watch!.events;
    const created = (i: number) => events.findIndex(e => e.name === `${c.name}-${i}`);
    const ready = (i: number) => events.findIndex(e => e.name === `${c.name}-${i}` && e.ready);
    const policy = manifests.find(o => o.kind === 'StatefulSet').spec.podManagementPolicy ?? 'OrderedReady';
    if (policy === 'OrderedReady') {
      expect([1, 2].map(i => created(i) > ready(i - 1))).toEqual([true, true]);
    } else {
      expect(Math.max(created(0), created(1), created(2))).toBeLessThan(Math.min(ready(0), ready(1), ready(2)));
    }
    const pods = ((await api('GET', `/api/v1/namespaces/${ns}/pods`)).items as any[])
      .filter(p => p.metadata.ownerReferences?.[0]?.kind === 'StatefulSet');
    expect(pods.map(p => p.status.podIP).sort()).toEqual([0, 1, 2].map(i => cluster!.address(i)).sort());
  });

  test('a template change: the controller restarts the members highest ordinal first, each Ready before the next; no acknowledged write is lost', async () => {
    const target = c.target(cluster!);
    const writer = startWriter(cluster!, target, `rollout${Date.now()}`, 300_000, 20);
    try {
      await writer.waitAcknowledged(Date.now() - 1000, 60_000);
      const from = watch!.events.length;
      await strategicPatch(`/apis/apps/v1/namespaces/${ns}/statefulsets/${c.name}`,
        { spec: { template: { metadata: { annotations: { 'cdk8s-rainbond.test/rolled-at': new Date().toISOString() } } } } });
      await settle('the rollout is done', async () => {
        const s = await statefulSet();
        return s.status.observedGeneration === s.metadata.generation && s.status.updatedReplicas === 3 && s.status.readyReplicas === 3
          && s.status.currentRevision === s.status.updateRevision;
      }, 240_000);
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
      await until('the writer\'s pod Ready again for the read-back', () => cluster!.isReady(target.from), 60_000);
      const check = await verifyWrites(cluster!, target, result);
      expect(check.acknowledged).toBeGreaterThan(0);
      expect(check.lost).toBe(0);
    }
  });
});
