/**
 * Tier 4 (issue 24): what the library promises, done by the real controllers. The example app and a
 * component of every clustered preset are applied for real (server-side apply, not a dry run), each
 * in a namespace of its own, on three fake nodes whose "kubelet" (test/apiserver/kube.ts) reports
 * pods Running and Ready. Then:
 * - every StatefulSet's pods are <name>-0 … <name>-(n-1); under OrderedReady pod i+1 is created only
 *   after pod i was Ready (the API server's watch order), and a pod held unready stops the sequence;
 *   the claims <template>-<name>-<ordinal> exist and are bound
 * - the client Service's EndpointSlices count only Ready pods ready, the headless Service's all of them
 * - each PodDisruptionBudget's status.disruptionsAllowed is the component's faultTolerance
 * - the HorizontalPodAutoscaler finds its workload (AbleToScale)
 * - a single stateful component's update deletes the old pod before the new one is created
 * - a node that stops heartbeating: the node-lifecycle controller marks it Unknown and evicts; a
 *   stateless pod is recreated on another node, a stateful pod is not (its name is taken by the pod
 *   stuck terminating) until the recovery step: force-delete the pod, after which it comes back on a
 *   live node with the same claim
 * Needs the control plane started with short node timeouts (test/apiserver/run sets them).
 */
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  FakeKubelet, PodWatch, api, apply, createNamespace, deleteNamespaces, inNamespace, isReady, kubectl, sleep, until,
} from './kube';
import { ShopChart } from '../../example/main';
import { RainbondComponent } from '../../src/component';
import { RainbondComponentProps } from '../../src/component-props';
import { DeployType } from '../../src/deploy-type';
import { EtcdPreset } from '../../src/presets/etcd';
import { MysqlReplicationPreset } from '../../src/presets/mysql-replication';
import { RedisSentinelPreset } from '../../src/presets/redis-sentinel';
import { ZookeeperPreset } from '../../src/presets/zookeeper';

const NODES = ['ctl-node-a', 'ctl-node-b', 'ctl-node-c'];
const kubelet = new FakeKubelet(NODES);
const timings: string[] = [];

interface Case { ns: string; objects: any[]; components: RainbondComponent[] }

function synth(ns: string, build: (chart: Chart) => void): Case {
  const app = Testing.app();
  const chart = new Chart(app, ns);
  build(chart);
  const components = chart.node.findAll().filter((c): c is RainbondComponent => c instanceof RainbondComponent);
  // a chart nested in the chart (the example's ShopChart) synthesizes its own objects
  const objects = chart.node.findAll().filter((c): c is Chart => c instanceof Chart).flatMap(c => Testing.synth(c));
  return { ns, objects: inNamespace(objects, ns), components };
}

const preset = (ns: string, name: string, props: Partial<RainbondComponentProps>) => synth(ns, chart => {
  new RainbondComponent(chart, name, { deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3, ...props });
});

function cases(): Case[] {
  return [
    synth('ctl-example', chart => {
      // the example app as it is; plus the secret it expects to exist and an autoscaled web tier
      new ShopChart(chart, 'shop', { namespace: 'ctl-example' });
      new kplus.Secret(chart, 'orders-db-credentials', { metadata: { name: 'orders-db-credentials' }, stringData: { password: 'x' } });
      new RainbondComponent(chart, 'api', {
        deployType: DeployType.STATELESS_MULTIPLE,
        replicas: 2,
        containers: [{ image: 'nginx:1.27', portNumber: 8080 }],
        autoscaling: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 80 },
      });
    }),
    preset('ctl-etcd', 'etcd', { preset: new EtcdPreset() }),
    preset('ctl-zookeeper', 'zk', { preset: new ZookeeperPreset() }),
    preset('ctl-redis', 'redis', { preset: new RedisSentinelPreset() }),
    preset('ctl-mysql', 'mysql', { preset: new MysqlReplicationPreset() }),
  ];
}

const list = async (ns: string, path: string) => ((await api('GET', `${path.replace('NS', ns)}`)).items as any[]);
const stsOf = (ns: string) => list(ns, '/apis/apps/v1/namespaces/NS/statefulsets');
const deploysOf = (ns: string) => list(ns, '/apis/apps/v1/namespaces/NS/deployments');
const podsOf = (ns: string) => list(ns, '/api/v1/namespaces/NS/pods');

async function settled(ns: string): Promise<boolean> {
  const sts = await stsOf(ns);
  const deps = await deploysOf(ns);
  return sts.every(s => (s.status?.readyReplicas ?? 0) === s.spec.replicas && s.status?.currentRevision === s.status?.updateRevision
      && s.status.observedGeneration === s.metadata.generation)
    && deps.every(d => (d.status?.readyReplicas ?? 0) === d.spec.replicas && (d.status?.replicas ?? 0) === d.spec.replicas);
}

const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Pods and claims of a namespace, for a failure message. */
async function describeNamespace(ns: string): Promise<string> {
  const pods = (await podsOf(ns)).map(p => `pod ${p.metadata.name} node=${p.spec.nodeName} phase=${p.status?.phase} ready=${isReady(p)} `
    + `${(p.status?.conditions ?? []).filter((x: any) => x.status !== 'True').map((x: any) => `${x.type}:${x.reason}:${x.message}`).join(';')}`);
  const claims = (await list(ns, '/api/v1/namespaces/NS/persistentvolumeclaims')).map(c => `claim ${c.metadata.name} ${c.status?.phase}`);
  const sts = (await stsOf(ns)).map(x => `sts ${x.metadata.name} ${JSON.stringify(x.status)}`);
  return [...sts, ...pods, ...claims].join('\n');
}

let all: Case[] = [];
const watches = new Map<string, PodWatch>();

beforeAll(async () => {
  const t0 = Date.now();
  await kubelet.start();
  all = cases();
  for (const c of all) {
    await createNamespace(c.ns);
    watches.set(c.ns, new PodWatch(c.ns));
  }
  await sleep(300);
  // search (OrderedReady, 3 replicas) is held at its second pod: the third must not be created
  kubelet.hold.add('ctl-example/search-1');
  for (const c of all) {
    const r = await apply(c.objects);
    expect(`${c.ns}: ${r.stderr}`).toBe(`${c.ns}: `);
  }
  timings.push(`setup ${Date.now() - t0} ms`);
});

afterAll(async () => {
  for (const w of watches.values()) w.stop();
  await deleteNamespaces([...all.map(c => c.ns), 'ctl-single', 'ctl-node'], 90_000).catch(e => console.error(String(e)));
  await kubelet.stop();
  console.log(`controllers.atest timings:\n  ${timings.join('\n  ')}`);
});

test('OrderedReady: a pod that is not Ready holds back the next ordinal', async () => {
  await until('search-1 exists', async () => api('GET', '/api/v1/namespaces/ctl-example/pods/search-1'), 60_000)
    .catch(async e => { throw new Error(`${e}\n${await describeNamespace('ctl-example')}`); });
  await sleep(3000);
  expect(await api('GET', '/api/v1/namespaces/ctl-example/pods/search-2')).toBeUndefined();
  kubelet.hold.delete('ctl-example/search-1');
  await until('search-2 created once search-1 is Ready', async () => api('GET', '/api/v1/namespaces/ctl-example/pods/search-2'), 30_000);
});

test('every namespace settles: workloads Ready; StatefulSet pods in ordinal order; claims bound', async () => {
  const t0 = Date.now();
  await until('all workloads Ready', async () => (await Promise.all(all.map(c => settled(c.ns)))).every(x => x), 150_000, 1000);
  timings.push(`settle ${Date.now() - t0} ms`);
  for (const c of all) {
    const pods = await podsOf(c.ns);
    const claims = await list(c.ns, '/api/v1/namespaces/NS/persistentvolumeclaims');
    for (const s of await stsOf(c.ns)) {
      const name = s.metadata.name;
      const n = s.spec.replicas;
      const mine = pods.filter(p => matches(s.spec.selector.matchLabels, p.metadata.labels)).map(p => p.metadata.name).sort();
      expect(`${c.ns}: ${mine.join(',')}`).toBe(`${c.ns}: ${Array.from({ length: n }, (_, i) => `${name}-${i}`).join(',')}`);
      for (const t of s.spec.volumeClaimTemplates ?? []) {
        for (let i = 0; i < n; i++) {
          const claim = claims.find(x => x.metadata.name === `${t.metadata.name}-${name}-${i}`);
          expect(`${c.ns}/${t.metadata.name}-${name}-${i}: ${claim?.status?.phase}`).toBe(`${c.ns}/${t.metadata.name}-${name}-${i}: Bound`);
        }
      }
      expect(s.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
      if (s.spec.podManagementPolicy !== 'OrderedReady') continue;
      // the watch: pod i+1 was created only after an event that showed pod i Ready
      const events = watches.get(c.ns)!.events;
      for (let i = 1; i < n; i++) {
        const created = events.findIndex(e => e.type === 'ADDED' && e.name === `${name}-${i}`);
        const prevReady = events.findIndex(e => e.name === `${name}-${i - 1}` && e.ready);
        expect(`${c.ns}/${name}-${i}: created at ${created}, ${name}-${i - 1} Ready at ${prevReady}`).toMatch(/created at (\d+), .* Ready at (\d+)/);
        expect(created).toBeGreaterThan(prevReady);
        expect(prevReady).toBeGreaterThanOrEqual(0);
      }
    }
  }
});

test('PodDisruptionBudget: disruptionsAllowed is the component\'s fault tolerance; the autoscaler finds its workload', async () => {
  let checked = 0;
  let presets = 0;
  for (const c of all) {
    for (const comp of c.components) {
      const pdbs = (await list(c.ns, '/apis/policy/v1/namespaces/NS/poddisruptionbudgets'))
        .filter(p => matches(p.spec.selector.matchLabels ?? {}, comp.selectorLabels)
          && matches(comp.selectorLabels, p.spec.selector.matchLabels ?? {}));
      for (const pdb of pdbs) {
        const got = await until(`${c.ns}/${pdb.metadata.name} status`, async () => {
          const p = await api('GET', `/apis/policy/v1/namespaces/${c.ns}/poddisruptionbudgets/${pdb.metadata.name}`);
          return p.status?.observedGeneration === p.metadata.generation && p.status.currentHealthy === p.status.expectedPods ? p : undefined;
        }, 30_000);
        // a preset's budget is its quorum's fault tolerance; any other, one instance at a time
        const want = comp.presetSystem ? comp.faultTolerance : Number(pdb.spec.maxUnavailable);
        expect(`${c.ns}/${comp.componentName}: ${got.status.disruptionsAllowed}`).toBe(`${c.ns}/${comp.componentName}: ${want}`);
        if (comp.presetSystem) presets++;
        checked++;
      }
    }
  }
  expect(checked).toBeGreaterThanOrEqual(7);
  expect(presets).toBe(5); // etcd, ZooKeeper, Redis Sentinel, MySQL and the example's config-store
  const hpa = await until('HPA AbleToScale', async () => {
    const h = await api('GET', '/apis/autoscaling/v2/namespaces/ctl-example/horizontalpodautoscalers/api');
    return (h?.status?.conditions ?? []).find((x: any) => x.type === 'AbleToScale' && x.status === 'True') ? h : undefined;
  }, 45_000, 1000);
  expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'api' });
});

test('EndpointSlices: the client Service counts only Ready pods, the headless Service all of them', async () => {
  const targets: Array<[string, string]> = [];
  for (const c of all) for (const s of await stsOf(c.ns)) if (s.spec.replicas > 1) targets.push([c.ns, s.metadata.name]);
  for (const [ns, name] of targets) kubelet.hold.add(`${ns}/${name}-1`);
  const slices = async (ns: string, svc: string) => {
    const items = await list(ns, `/apis/discovery.k8s.io/v1/namespaces/NS/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3D${svc}`);
    const out: Record<string, boolean> = {};
    for (const sl of items) for (const e of sl.endpoints ?? []) out[e.targetRef?.name] = e.conditions?.ready === true;
    return Object.fromEntries(Object.entries(out).sort());
  };
  for (const [ns, name] of targets) {
    const pods = Array.from({ length: (await api('GET', `/apis/apps/v1/namespaces/${ns}/statefulsets/${name}`)).spec.replicas }, (_, i) => `${name}-${i}`);
    const wantClient = Object.fromEntries(pods.map(p => [p, p !== `${name}-1`]));
    const wantHeadless = Object.fromEntries(pods.map(p => [p, true]));
    const client = await until(`${ns}/${name}-client slices without ${name}-1`, async () => {
      const got = await slices(ns, `${name}-client`);
      return JSON.stringify(got) === JSON.stringify(wantClient) ? got : undefined;
    }, 30_000).catch(async e => { throw new Error(`${e}; last: ${JSON.stringify(await slices(ns, `${name}-client`))}`); });
    expect(client).toEqual(wantClient);
    expect(await slices(ns, name)).toEqual(wantHeadless);
    const headless = await api('GET', `/api/v1/namespaces/${ns}/services/${name}`);
    expect(headless.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
  }
  for (const [ns, name] of targets) kubelet.hold.delete(`${ns}/${name}-1`);
  expect(targets.length).toBeGreaterThanOrEqual(6);
});

test('a single stateful component\'s update deletes the old pod before the new one exists', async () => {
  const t0 = Date.now();
  const ns = 'ctl-single';
  const make = (image: string) => synth(ns, chart => {
    new RainbondComponent(chart, 'cache', {
      deployType: DeployType.STATEFUL_SINGLE, containers: [{ image, portNumber: 6379 }], volumes: [{ name: 'data', mountPath: '/data' }],
    });
  });
  await createNamespace(ns);
  const watch = new PodWatch(ns);
  watches.set(ns, watch);
  expect((await apply(make('redis:7.0').objects)).stderr).toBe('');
  await until('cache-0 Ready', () => settled(ns), 60_000);
  const before = await api('GET', `/api/v1/namespaces/${ns}/pods/cache-0`);
  expect((await apply(make('redis:7.2').objects)).stderr).toBe('');
  const after = await until('cache-0 replaced and Ready', async () => {
    const p = await api('GET', `/api/v1/namespaces/${ns}/pods/cache-0`);
    return p && p.metadata.uid !== before.metadata.uid && isReady(p) && (await settled(ns)) ? p : undefined;
  }, 60_000);
  expect(after.spec.containers[0].image).toBe('redis:7.2');
  const deleted = watch.events.findIndex(e => e.type === 'DELETED' && e.uid === before.metadata.uid);
  const added = watch.events.findIndex(e => e.type === 'ADDED' && e.uid === after.metadata.uid);
  expect(deleted).toBeGreaterThanOrEqual(0);
  expect(added).toBeGreaterThan(deleted);
  const started = watch.events.findIndex(e => e.uid === before.metadata.uid && e.deleting);
  expect(started).toBeLessThan(deleted);
  timings.push(`single update ${Date.now() - t0} ms`);
});

test('a node stops heartbeating: stateless pods move, stateful pods wait for the force delete', async () => {
  const t0 = Date.now();
  // the other namespaces go first: only this test's pods run on the node that dies
  await deleteNamespaces(all.map(c => c.ns).concat('ctl-single'), 90_000);
  timings.push(`namespaces deleted ${Date.now() - t0} ms`);
  const ns = 'ctl-node';
  await createNamespace(ns);
  const c = synth(ns, chart => {
    new RainbondComponent(chart, 'web', { deployType: DeployType.STATELESS_MULTIPLE, replicas: 3, containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });
    new RainbondComponent(chart, 'db', {
      deployType: DeployType.STATEFUL_MULTIPLE,
      replicas: 3,
      containers: [{ image: 'postgres:16', portNumber: 5432 }],
      volumes: [{ name: 'data', mountPath: '/var/lib/data' }],
    });
  });
  expect((await apply(c.objects)).stderr).toBe('');
  await until('web and db Ready', () => settled(ns), 90_000, 500);
  const tDown = Date.now();
  const pods = await podsOf(ns);
  const db0 = pods.find(p => p.metadata.name === 'db-0');
  const dead = db0.spec.nodeName;
  const webOnDead = pods.filter(p => p.metadata.name.startsWith('web-') && p.spec.nodeName === dead).map(p => p.metadata.name);
  const statefulOnDead = pods.filter(p => p.metadata.name.startsWith('db-') && p.spec.nodeName === dead).map(p => p.metadata.name);
  expect(webOnDead.length).toBeGreaterThan(0);
  const claimUid = (await api('GET', `/api/v1/namespaces/${ns}/persistentvolumeclaims/data-db-0`)).metadata.uid;

  kubelet.stopNode(dead);
  await until(`${dead} Ready Unknown and tainted NoExecute`, async () => {
    const n = await api('GET', `/api/v1/nodes/${dead}`);
    const ready = n.status.conditions.find((x: any) => x.type === 'Ready');
    return ready.status === 'Unknown' && (n.spec.taints ?? []).some((t: any) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute');
  }, 40_000, 500);
  timings.push(`node marked unreachable ${Date.now() - tDown} ms after its last heartbeat`);
  // stateless: evicted and recreated on a live node
  await until('web back to 3 Ready pods on live nodes', async () => {
    const now = await podsOf(ns);
    const live = now.filter(p => p.metadata.name.startsWith('web-') && !p.metadata.deletionTimestamp && p.spec.nodeName && p.spec.nodeName !== dead && isReady(p));
    return live.length === 3;
  }, 60_000, 500);
  const evicted = (await podsOf(ns)).filter(p => webOnDead.includes(p.metadata.name));
  expect(evicted.every(p => p.metadata.deletionTimestamp)).toBe(true);
  // stateful: evicted too, but stuck terminating (no kubelet confirms): no replacement under the same name
  await until('db pods on the dead node terminating', async () => {
    const now = await podsOf(ns);
    return statefulOnDead.every(n => now.find(p => p.metadata.name === n)?.metadata.deletionTimestamp);
  }, 30_000, 500);
  await sleep(5000);
  for (const name of statefulOnDead) {
    const p = await api('GET', `/api/v1/namespaces/${ns}/pods/${name}`);
    expect(`${name} on ${p.spec.nodeName}, terminating: ${!!p.metadata.deletionTimestamp}`).toBe(`${name} on ${dead}, terminating: true`);
  }
  const sts = await api('GET', `/apis/apps/v1/namespaces/${ns}/statefulsets/db`);
  expect(sts.status.readyReplicas).toBe(3 - statefulOnDead.length);
  timings.push(`node failure observed ${Date.now() - t0} ms`);

  // the recovery step: force-delete the pod (the node is known to be down)
  for (const name of statefulOnDead) await kubectl(['delete', 'pod', name, '-n', ns, '--grace-period=0', '--force']);
  await until('db recovered on live nodes', async () => {
    const now = await podsOf(ns);
    return statefulOnDead.every(n => {
      const p = now.find(x => x.metadata.name === n);
      return p && !p.metadata.deletionTimestamp && p.spec.nodeName && p.spec.nodeName !== dead && isReady(p);
    });
  }, 60_000, 500);
  expect((await api('GET', `/api/v1/namespaces/${ns}/persistentvolumeclaims/data-db-0`)).metadata.uid).toBe(claimUid);
  // the evicted stateless pods stay until the node comes back or is deleted: force-delete them for the cleanup
  for (const name of webOnDead) await kubectl(['delete', 'pod', name, '-n', ns, '--grace-period=0', '--force', '--ignore-not-found']);
  timings.push(`node failure test ${Date.now() - t0} ms`);
  expect(kubelet.errors.filter(e => !/404|409|NotFound|Conflict/.test(e))).toEqual([]);
});
