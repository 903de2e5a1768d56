/**
 * What a Redis Sentinel preset's user sees during planned operations (issue 25): a client that
 * does not speak Sentinel writes continuously through `<name>-primary` (the address
 * docs/presets.md tells such clients to use) while the members are rolled twice in the
 * StatefulSet controller's order (highest ordinal first, each one Ready before the next).
 * Every write the proxy acknowledged is read back afterwards (none may be lost), and a sampler
 * counts the primary changes per rollout (logged; at most two). Library defaults (down-after 5 s), Debian redis 7.0 and haproxy 2.6.
 */
import { Testing } from 'cdk8s';
import { PodCluster } from './harness';
import { LeaderSampler, rollingUpdate, startWriter, verifyWrites, WriterTarget } from './harness/ops';
import { redisPodCluster } from './redis-cluster';
import { RainbondComponent } from '../../src/component';
import { DeployType } from '../../src/deploy-type';
import { RedisSentinelPreset } from '../../src/presets/redis-sentinel';

const PASSWORD = 'ops-pass';

function manifests(): any[] {
  const chart = Testing.chart();
  new RainbondComponent(chart, 'cache', {
    deployType: DeployType.STATEFUL_MULTIPLE,
    namespace: 'itest',
    replicas: 3,
    preset: new RedisSentinelPreset(),
  });
  return Testing.synth(chart);
}

describe('redis-sentinel preset under rolling updates with a continuous writer (3 members)', () => {
  let cluster: PodCluster | undefined;

  afterEach(async () => {
    await cluster?.dispose();
    cluster = undefined;
  });

  test('two rollouts: no acknowledged write lost, at most two primary changes per rollout (usually one)', async () => {
    cluster = await redisPodCluster(manifests(), PASSWORD);
    const c = cluster;
    const all = [0, 1, 2];
    const proxies = c.companionOrdinals('cache-primary');
    for (const p of proxies) await c.startPod(p);
    await c.startAll();
    for (const p of proxies) await c.waitReady(p, 60000);

    const role = async (i: number) => {
      if (!c.isRunning(i)) return undefined;
      const r = await c.exec(i, ['redis-cli', '-p', '6379', '--raw', 'ROLE'], { env: { REDISCLI_AUTH: PASSWORD }, timeoutMs: 3000 });
      return r.stdout.split('\n')[0];
    };
    const primary = async () => {
      const roles = await Promise.all(all.map(role));
      const masters = all.filter((_, k) => roles[k] === 'master');
      return masters.length === 1 ? String(masters[0]) : undefined;
    };
    // the client runs in the second proxy pod's network and connects to the first proxy pod (what the Service routes to)
    const target: WriterTarget = { system: 'redis', from: proxies[1], host: c.address(proxies[0]), port: 6379, env: { REDIS_PASSWORD: PASSWORD } };
    const sampler = new LeaderSampler(primary, 500, 600000);
    const writer = startWriter(c, target, 'w', 600000, 10);
    try {
      await writer.waitAcknowledged(Date.now(), 60000);
      // Sentinels learn replicas and their priorities from INFO every 10 s
      await new Promise(r => setTimeout(r, 12000));
      const perRollout: number[] = [];
      const durations: number[] = [];
      for (let round = 0; round < 2; round++) {
        const started = Date.now();
        await rollingUpdate(c, all, 120000);
        durations.push(Date.now() - started);
        await writer.waitAcknowledged(Date.now(), 30000);
        await new Promise(r => setTimeout(r, 12000)); // the sampler sees the last change; the Sentinels refresh INFO
        perRollout.push(sampler.changes(started));
      }
      const result = await writer.stop();
      const history = await sampler.stop();
      const check = await verifyWrites(c, target, result);
      console.log(`redis rollouts: ${durations.map(d => `${d} ms`).join(', ')}; primary changes ${perRollout.join(', ')}; `
        + `acknowledged ${check.acknowledged}, lost ${check.lost}, failed ${result.failed}, longest gap ${result.longestGapMs} ms; `
        + `primaries ${history.map(s => s.leader ?? '-').join(' ')}${check.lost ? `; lost e.g. ${check.lostKeys.slice(0, 10).join(' ')}` : ''}`);
      expect(check.acknowledged).toBeGreaterThan(100);
      expect(check.lost).toBe(0);
      // the rollout-order priorities make one change per rollout the usual case, but only once the Sentinels have
      // seen the restarted successor's priority (INFO every 10 s; the hand-over waits <= 12 s for it); two is the floor
      // when the rollout starts at the primary, and the bound here
      for (const changes of perRollout) expect(changes).toBeLessThanOrEqual(2);
    } finally {
      await writer.stop();
      await sampler.stop();
    }
  }, 480000);
});
