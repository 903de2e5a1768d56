/**
 * What a ZooKeeper preset's user sees when the leader goes away (issue 25): a client (one
 * session, the binary protocol) creates znodes continuously through a follower's client port
 * while the leader is killed (SIGKILL) and then, once a new leader serves, the new leader is cut
 * off (its interface goes down: packets dropped both ways, no reset, like a lost node) and
 * healed. Every acknowledged create is read back (sync + getData); a sampler records who leads.
 * 3 members, library defaults, Debian ZooKeeper 3.8.
 */
import { Testing } from 'cdk8s';
import { PodCluster, startPodCluster } from './harness';
import { describeLeaderLoss, LeaderSampler, partitionAndVerify, startWriter, WriterTarget } from './harness/ops';
import { zookeeperLeader } from './zookeeper-leader';
import { RainbondComponent } from '../../src/component';
import { DeployType } from '../../src/deploy-type';
import { ZOOKEEPER_IMAGE } from '../../src/presets/_image-facts';
import { ZookeeperPreset } from '../../src/presets/zookeeper';

const COMMANDS = { 'zkServer.sh': '/usr/share/zookeeper/bin/zkServer.sh' };

describe('zookeeper preset when the leader is lost, with a continuous writer (3 members, Debian ZooKeeper 3.8)', () => {
  let cluster: PodCluster | undefined;

  afterEach(async () => {
    await cluster?.dispose();
    cluster = undefined;
  });

  test('leader killed, then the new leader partitioned: writes resume through a follower and none acknowledged is lost', async () => {
    const chart = Testing.chart();
    new RainbondComponent(chart, 'zk', { deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3, namespace: 'itest', preset: new ZookeeperPreset() });
    cluster = await startPodCluster({ image: ZOOKEEPER_IMAGE, manifests: Testing.synth(chart), statefulSetName: 'zk', commands: COMMANDS });
    const c = cluster;
    const all = [0, 1, 2];
    await c.startAll();
    await Promise.all(all.map(i => c.waitReady(i, 90000)));

    const leader = () => zookeeperLeader(c, all);
    const first = await leader();
    expect(first).toBeDefined();
    const writerPod = all.find(i => i !== first)!;
    const target: WriterTarget = { system: 'zookeeper', from: writerPod, host: c.address(writerPod), port: 2181 };
    const sampler = new LeaderSampler(async () => { const l = await leader(); return l === undefined ? undefined : String(l); }, 1000, 300000);
    const writer = startWriter(c, target, 'z', 300000, 10);
    try {
      await writer.waitAcknowledged(Date.now(), 30000);
      await new Promise(r => setTimeout(r, 2000));

      const killed = Date.now();
      await c.stopPod(first!, 0);
      const resumedAfterKill = (await writer.waitAcknowledged(killed, 60000)) - killed;
      await c.startPod(first!);
      await c.waitReady(first!, 90000);
      await new Promise(r => setTimeout(r, 3000));

      let current: number | undefined;
      for (let k = 0; k < 30 && current === undefined; k++) {
        current = await leader();
        if (current === undefined) await new Promise(r => setTimeout(r, 1000));
      }
      expect(current).toBeDefined();
      const cut = current === writerPod ? all.find(i => i !== writerPod && i !== first)! : current!;
      const outcome = await partitionAndVerify(c, writer, sampler, cut, { resumeMs: 60000, readyMs: 90000 });
      console.log(describeLeaderLoss('zookeeper', resumedAfterKill, cut, cut === current, outcome));
      const { check } = outcome;
      expect(check.acknowledged).toBeGreaterThan(100);
      expect(check.lost).toBe(0);
    } finally {
      await writer.stop();
      await sampler.stop();
    }
  }, 300000);
});
