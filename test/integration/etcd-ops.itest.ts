/**
 * What an etcd preset's user sees when the leader goes away (issue 25): a client writes
 * continuously through a follower's client port (v3 JSON gateway) while the leader is killed
 * (SIGKILL, no grace) and then, once a new leader serves, the new leader is cut off (its
 * interface goes down: packets dropped both ways, no reset, like a lost node) and healed.
 * Every acknowledged write is read back; a sampler records who leads. 3 members, library
 * defaults, Debian etcd 3.4.
 */
import { Testing } from 'cdk8s';
import { PodCluster, startPodCluster } from './harness';
import { describeLeaderLoss, LeaderSampler, partitionAndVerify, startWriter, WriterTarget } from './harness/ops';
import { RainbondComponent } from '../../src/component';
import { DeployType } from '../../src/deploy-type';
import { ETCD_IMAGE } from '../../src/presets/_image-facts';
import { EtcdPreset } from '../../src/presets/etcd';

const COMMANDS = { etcd: '/usr/bin/etcd', etcdctl: '/usr/bin/etcdctl' };

describe('etcd preset when the leader is lost, with a continuous writer (3 members, Debian etcd 3.4)', () => {
  let cluster: PodCluster | undefined;

  afterEach(async () => {
    await cluster?.dispose();
    cluster = undefined;
  });

  test('leader killed, then the new leader partitioned: writes resume through a follower and none acknowledged is lost', async () => {
    const chart = Testing.chart();
    new RainbondComponent(chart, 'etcd', { deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3, namespace: 'itest', preset: new EtcdPreset() });
    cluster = await startPodCluster({ image: ETCD_IMAGE, manifests: Testing.synth(chart), statefulSetName: 'etcd', commands: COMMANDS });
    const c = cluster;
    const all = [0, 1, 2];
    await c.startAll();
    await Promise.all(all.map(i => c.waitReady(i, 60000)));

    /** The ordinal that member `from` reports as leader (its own view: a partitioned member still names the old one). */
    const leaderSeenBy = async (from: number): Promise<number | undefined> => {
      const r = await c.exec(from, ['etcdctl', '--endpoints=http://127.0.0.1:2379', '--dial-timeout=2s', '--command-timeout=2s',
        'endpoint', 'status', '--cluster', '-w', 'simple'], { timeoutMs: 8000 });
      // lines: <endpoint>, <id>, <version>, <db size>, <is leader>, …
      const line = r.stdout.split('\n').find(l => l.split(', ')[4] === 'true');
      const host = line ? /\/\/([^:]+):/.exec(line)?.[1] : undefined;
      const ordinal = all.find(i => host === c.fqdn(i) || host === c.address(i));
      return ordinal;
    };
    const initial = await leaderSeenBy(0);
    expect(initial).toBeDefined();
    const leader = initial!;
    // the client runs next to a follower that stays up through both steps and talks to its client port
    const writerPod = all.find(i => i !== leader)!;
    const target: WriterTarget = { system: 'etcd', from: writerPod, host: c.address(writerPod), port: 2379 };
    const sampler = new LeaderSampler(async () => {
      const seen = await leaderSeenBy(writerPod);
      return seen === undefined ? undefined : String(seen);
    }, 1000, 300000);
    const writer = startWriter(c, target, 'e', 300000, 10);
    try {
      await writer.waitAcknowledged(Date.now(), 30000);
      await new Promise(r => setTimeout(r, 2000));

      // 1. the leader is killed: no grace, no leadership transfer
      const killed = Date.now();
      await c.stopPod(leader, 0);
      const resumedAfterKill = (await writer.waitAcknowledged(killed, 30000)) - killed;
      let second: number | undefined;
      for (let k = 0; k < 30 && (second === undefined || second === leader); k++) {
        second = await leaderSeenBy(writerPod);
        if (second === undefined || second === leader) await new Promise(r => setTimeout(r, 500));
      }
      expect(second).toBeDefined();
      expect(second).not.toBe(leader);
      await c.startPod(leader);
      await c.waitReady(leader, 60000);
      await new Promise(r => setTimeout(r, 3000));

      // 2. the current leader is partitioned (if it is the writer's own member, partition the other follower instead:
      //    the client must stay in the majority to write at all)
      const current = (await leaderSeenBy(writerPod))!;
      const cut = current === writerPod ? all.find(i => i !== writerPod && i !== leader)! : current;
      const outcome = await partitionAndVerify(c, writer, sampler, cut, { resumeMs: 30000, readyMs: 60000 });
      console.log(describeLeaderLoss('etcd', resumedAfterKill, cut, cut === current, outcome));
      const { check } = outcome;
      expect(check.acknowledged).toBeGreaterThan(100);
      expect(check.lost).toBe(0);
    } finally {
      await writer.stop();
      await sampler.stop();
    }
  }, 240000);
});
