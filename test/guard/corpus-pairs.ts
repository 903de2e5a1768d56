/**
 * The before/after pairs of the guard's corpus (test/guard/corpus.test.ts) as data, so that other
 * tiers can use them: test/apiserver/guard.atest.ts applies each pair to a real control plane.
 * Each pair is built exactly as its corpus test builds it; corpus.test.ts keeps its own assertions.
 */
import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { db, etcd, findObject, synthObjects, web } from './synth';
import { RainbondComponent } from '../../src/component';
import { DeployType } from '../../src/deploy-type';
import { RedisSentinelPreset } from '../../src/presets/redis-sentinel';
import { ZookeeperPreset } from '../../src/presets/zookeeper';

export interface CorpusPair { readonly name: string; readonly before: any[]; readonly after: any[] }

const noStorage = { volumes: [] };
const cache = (image: string) => db({ deployType: DeployType.STATEFUL_SINGLE, replicas: 1, containers: [{ image, portNumber: 6379 }] });
const zk = (replicas: number) => db({ replicas, containers: undefined, volumes: undefined, preset: new ZookeeperPreset({}), clusterDomain: 'corp.internal' });
const redis = (replicas: number) => db({ replicas, containers: undefined, volumes: undefined, preset: new RedisSentinelPreset({}) });

function edited(build: () => any[], edit: (objects: any[]) => void): any[] {
  const objects = build();
  edit(objects);
  return objects;
}

/** A pair as its builders: the objects before and after, built fresh on each call. */
interface PairBuilder { readonly name: string; readonly before: () => any[]; readonly after: () => any[] }

/** Every pair's builders, in the corpus's order. */
function builders(): PairBuilder[] {
  const p = (name: string, before: () => any[], after: () => any[]): PairBuilder => ({ name, before, after });
  const singleRwo = web({
    deployType: DeployType.STATELESS_MULTIPLE,
    replicas: 1,
    volumes: [{ name: 'files', mountPath: '/files', accessMode: kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE }],
  });
  const handOver = (o: any) => (o.kind === 'Deployment' ? { ...o, spec: { ...o.spec, replicas: undefined } } : o);
  const autoscaled = () => [...synthObjects(singleRwo).map(handOver), {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'apps', annotations: { 'rainbond.io/component': 'web' } },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3 },
  }];
  const moved = () => {
    const chart = Testing.chart();
    new RainbondComponent(new Construct(chart, 'data'), 'db', cache('redis:7.0')[1]);
    return Testing.synth(chart);
  };
  return [
    // safe changes
    p('image bump', () => synthObjects(db()), () => synthObjects(db({ containers: [{ image: 'postgres:17', portNumber: 5432 }] }))),
    p('environment change', () => synthObjects(db()), () => synthObjects(db({ containers: [{ image: 'postgres:16', portNumber: 5432, envVariables: { TZ: kplus.EnvValue.fromValue('UTC') } }] }))),
    p('resource change', () => synthObjects(web()), () => synthObjects(web({
      containers: [{
        image: 'nginx:1.27',
        portNumber: 8080,
        resources: {
          cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(500) },
          memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
        },
      }],
    }))),
    p('scaling a stateless multiple component', () => synthObjects(web({ deployType: DeployType.STATELESS_MULTIPLE, replicas: 2 })), () => synthObjects(web({ deployType: DeployType.STATELESS_MULTIPLE, replicas: 5 }))),
    p('adding a label', () => synthObjects(web()), () => synthObjects(web({ labels: { team: 'payments' } }))),
    p('scaling up a stateful component without a preset', () => synthObjects(db({ replicas: 2 })), () => synthObjects(db({ replicas: 3 }))),
    p('no change to an etcd cluster', () => synthObjects(etcd(3)), () => synthObjects(etcd(3))),
    p('an added label on a stateful component', () => synthObjects(db()), () => synthObjects(db({ labels: { team: 'payments' } }))),
    p('a new component', () => synthObjects(web()), () => synthObjects(web(), db())),
    // deploy-type-switch
    p('stateful -> stateless with storage', () => synthObjects(db()), () => synthObjects(db({ deployType: DeployType.STATELESS_MULTIPLE }))),
    p('stateless -> stateful with storage', () => synthObjects(web()), () => synthObjects(web({ deployType: DeployType.STATEFUL_MULTIPLE, replicas: 2 }))),
    p('stateful -> stateless without storage', () => synthObjects(web({ ...noStorage, deployType: DeployType.STATEFUL_SINGLE })), () => synthObjects(web({ ...noStorage, deployType: DeployType.STATELESS_SINGLE }))),
    p('stateless -> stateful without storage', () => synthObjects(web({ ...noStorage, deployType: DeployType.STATELESS_MULTIPLE, replicas: 2 })), () => synthObjects(web({ ...noStorage, deployType: DeployType.STATEFUL_MULTIPLE, replicas: 2 }))),
    p('stateless single -> stateful single without storage', () => synthObjects(web({ ...noStorage, deployType: DeployType.STATELESS_SINGLE })), () => synthObjects(web({ ...noStorage, deployType: DeployType.STATEFUL_SINGLE }))),
    // immutable-field
    p('a larger claim template', () => synthObjects(db()), () => synthObjects(db({ volumes: [{ name: 'data', mountPath: '/var/lib/data', size: Size.gibibytes(50) }] }))),
    p('a new volume on a stateful component', () => synthObjects(db()), () => synthObjects(db({ volumes: [{ name: 'data', mountPath: '/var/lib/data' }, { name: 'logs', mountPath: '/logs' }] }))),
    p('a podManagementPolicy change', () => synthObjects(db()), () => synthObjects(db({ podManagementPolicy: kplus.PodManagementPolicy.PARALLEL }))),
    p('serviceName and selector changes', () => synthObjects(db()), () => edited(() => synthObjects(db()), objects => {
      const sts = findObject(objects, 'StatefulSet', 'db');
      sts.spec.serviceName = 'db-peers';
      sts.spec.selector.matchLabels.tier = 'data';
      sts.spec.template.metadata.labels.tier = 'data';
    })),
    p('a Deployment selector change', () => synthObjects(web()), () => edited(() => synthObjects(web()), objects => {
      findObject(objects, 'Deployment', 'web').spec.selector.matchLabels.tier = 'front';
    })),
    p('single -> multiple changes the shared claim access mode', () => synthObjects(web()), () => synthObjects(web({ deployType: DeployType.STATELESS_MULTIPLE, replicas: 3 }))),
    p('a shrinking claim', () => synthObjects(web({ volumes: [{ name: 'files', mountPath: '/f', size: Size.gibibytes(20) }] })), () => synthObjects(web({ volumes: [{ name: 'files', mountPath: '/f', size: Size.gibibytes(10) }] }))),
    p('a growing claim', () => synthObjects(web({ volumes: [{ name: 'files', mountPath: '/f', size: Size.gibibytes(10) }] })), () => synthObjects(web({ volumes: [{ name: 'files', mountPath: '/f', size: Size.gibibytes(20) }] }))),
    // quorum presets
    p('etcd 3 -> 5', () => synthObjects(etcd(3)), () => synthObjects(etcd(5))),
    p('etcd 5 -> 3', () => synthObjects(etcd(5)), () => synthObjects(etcd(3))),
    p('etcd 3 -> 4 by scaling', () => synthObjects(etcd(3)), () => edited(() => synthObjects(etcd(3)), objects => { findObject(objects, 'StatefulSet', 'etcd').spec.replicas = 4; })),
    // stateful-scale-down
    p('stateful scale-down 5 -> 2', () => synthObjects(db({ replicas: 5 })), () => synthObjects(db({ replicas: 2 }))),
    p('stateful scale-down with whenScaled: Delete', () => synthObjects(db({ replicas: 3 })), () => edited(() => synthObjects(db({ replicas: 2 })), objects => {
      findObject(objects, 'StatefulSet', 'db').spec.persistentVolumeClaimRetentionPolicy = { whenScaled: 'Delete', whenDeleted: 'Retain' };
    })),
    // single/multiple rules
    p('a ReadWriteOnce claim shared after scaling', () => synthObjects(web()), () => edited(() => synthObjects(web()), objects => { findObject(objects, 'Deployment', 'web').spec.replicas = 3; })),
    p('handing a single-replica component to an autoscaler', () => synthObjects(singleRwo), autoscaled),
    p('a ReadWriteMany claim shared by more replicas', () => synthObjects(web({ deployType: DeployType.STATELESS_MULTIPLE, replicas: 2 })), () => synthObjects(web({ deployType: DeployType.STATELESS_MULTIPLE, replicas: 4 }))),
    // single-instance-downtime
    p('an update of a single-instance stateful component', () => synthObjects(cache('redis:7.0')), () => synthObjects(cache('redis:7.2'))),
    p('moving the component into another construct', () => synthObjects(cache('redis:7.0')), moved),
    p('no change to a single-instance stateful component', () => synthObjects(cache('redis:7.0')), () => synthObjects(cache('redis:7.0'))),
    // several components
    p('findings grouped per component', () => synthObjects(web(), db(), etcd(3)), () => synthObjects(web({ labels: { a: 'b' } }), db({ replicas: 2 }), etcd(5))),
    // other clustered presets
    p('ZooKeeper 3 -> 5 in a custom cluster domain', () => synthObjects(zk(3)), () => synthObjects(zk(5))),
    p('Redis Sentinel 5 -> 3', () => synthObjects(redis(5)), () => synthObjects(redis(3))),
    // stateful-component-removed / renamed
    p('a removed stateful component', () => synthObjects(web(), db({ replicas: 2 })), () => synthObjects(web())),
    p('a renamed stateful component', () => synthObjects(db({ replicas: 2 })), () => synthObjects(db({ replicas: 2, componentName: 'postgres' }))),
    p('a rename with an image bump', () => synthObjects(db({ replicas: 2 })), () => synthObjects(db({ replicas: 2, componentName: 'postgres', containers: [{ image: 'postgres:17', portNumber: 5432 }] }))),
    p('a new name storing something else', () => synthObjects(db({ replicas: 2 })), () => synthObjects(db({
      replicas: 2, componentName: 'cache', containers: [{ image: 'redis:7.2', portNumber: 6379 }], volumes: [{ name: 'data', mountPath: '/data' }],
    }))),
  ];
}

/** The names of every pair, in the corpus's order. */
export function corpusPairNames(): string[] {
  return builders().map(b => b.name);
}

/** One pair by name, built fresh. */
export function corpusPair(name: string): CorpusPair {
  const builder = builders().find(b => b.name === name);
  if (!builder) throw new Error(`no corpus pair '${name}'; the pairs: ${corpusPairNames().join(', ')}`);
  return { name, before: builder.before(), after: builder.after() };
}

/** Every pair, built fresh on each call. */
export function corpusPairs(): CorpusPair[] {
  return builders().map(b => ({ name: b.name, before: b.before(), after: b.after() }));
}
