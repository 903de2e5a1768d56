/** The README's claims, checked against what the library synthesizes. */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ClusterPreset, DeployType, RainbondComponent } from '../src';
import { synthValid } from './util/synth';

const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

/** The fenced blocks of a language, in order. */
function fencedBlocks(language: string): string[] {
  const blocks: string[] = [];
  const fence = new RegExp('^```' + language + '\\n([\\s\\S]*?)^```', 'gm');
  for (let m = fence.exec(README); m; m = fence.exec(README)) blocks.push(m[1]);
  return blocks;
}

/** Secret name -> keys that the README's `kubectl create secret generic` commands create. */
function secretsCreatedByReadme(): Map<string, string[]> {
  const created = new Map<string, string[]>();
  for (const block of fencedBlocks('sh')) {
    for (const command of block.replace(/\\\n\s*/g, ' ').split('\n')) {
      const m = /kubectl create secret generic (\S+) -n (\S+)(.*)$/.exec(command);
      if (!m) continue;
      const keys = [...m[3].matchAll(/--from-literal=([a-z-]+)=/g)].map(k => k[1]);
      created.set(`${m[2]}/${m[1]}`, keys);
    }
  }
  return created;
}

/** Secret name -> keys that the pods of a chart read. */
function secretsReadBy(objects: any[]): Map<string, string[]> {
  const read = new Map<string, string[]>();
  for (const o of objects.filter(x => x.kind === 'StatefulSet' || x.kind === 'Deployment')) {
    const pod = o.spec.template.spec;
    for (const c of [...pod.containers, ...pod.initContainers ?? []]) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (!ref) continue;
        const id = `${o.metadata.namespace}/${ref.name}`;
        read.set(id, [...new Set([...read.get(id) ?? [], ref.key])].sort());
      }
    }
  }
  return read;
}

describe('README: the Secrets the presets read are the ones its kubectl commands create', () => {
  test('MySQL orders and Redis cache in namespace shop', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new RainbondComponent(chart, 'orders', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.mysqlReplication() });
    new RainbondComponent(chart, 'cache', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.redisSentinel() });
    const read = secretsReadBy(synthValid(chart));
    const created = secretsCreatedByReadme();
    expect([...read.keys()].sort()).toEqual(['shop/cache-credentials', 'shop/orders-credentials']);
    for (const [id, keys] of read) expect(created.get(id)?.sort()).toEqual(keys);
  });

  test('etcd and ZooKeeper read no Secret by default', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new RainbondComponent(chart, 'kv', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.etcd() });
    new RainbondComponent(chart, 'zk', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.zookeeper() });
    const objects = synthValid(chart);
    expect([...secretsReadBy(objects).keys()]).toEqual([]);
    expect(JSON.stringify(objects)).not.toMatch(/"secret(KeyRef|Ref|Name)?"/);
  });
});
