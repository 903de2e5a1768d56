/** Memory derivations of the presets: pure functions, and what each preset renders from the container's limit. */
import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ClusterPreset, DeployType, IClusterPreset, RainbondComponent } from '../../src';
import {
  etcdQuotaMebibytes, memoryBasisMebibytes, mysqlMemory, redisMemory, toMebibytes,
} from '../../src/presets/_memory';
import { findOne, synthValid } from '../util/synth';

describe('pure derivations', () => {
  test('the basis is the limit, else the request', () => {
    expect(memoryBasisMebibytes({ limit: Size.gibibytes(2), request: Size.gibibytes(1) })).toBe(2048);
    expect(memoryBasisMebibytes({ request: Size.mebibytes(768) })).toBe(768);
    expect(memoryBasisMebibytes({})).toBeUndefined();
    expect(memoryBasisMebibytes(undefined)).toBeUndefined();
    expect(toMebibytes(Size.kibibytes(1536))).toBe(1);
  });

  test.each([
    [256, 96], [512, 224], [1024, 480], [2048, 992], [4096, 2016],
  ])('Redis with a %iMi limit: maxmemory %iMi, and the data set plus a full copy-on-write fit the limit', (limit, maxMemory) => {
    const plan = redisMemory(limit);
    expect(plan.settings).toEqual({ maxMemoryMebibytes: maxMemory });
    expect(2 * maxMemory + 64).toBeLessThanOrEqual(limit);
  });

  test('Redis refuses a limit below 256Mi', () => {
    expect(redisMemory(255)).toEqual({ problem: expect.stringContaining('Fix: set resources.memory.limit to at least 256Mi.') });
  });

  test.each([
    [1024, 256, 128], [1536, 640, 128], [2048, 1024, 128], [3072, 1024, 192], [4096, 2048, 256], [8192, 5120, 512], [16384, 10240, 1024],
  ])('MySQL with a %iMi limit: buffer pool %iMi, message cache %iMi', (limit, pool, cache) => {
    const plan = mysqlMemory(limit);
    expect(plan.settings).toEqual({ bufferPoolMebibytes: pool, messageCacheMebibytes: cache });
    // the server's own 512Mi, the cache with its ~50Mi of structures and the pool fit the limit
    expect(512 + cache + 50 + pool).toBeLessThanOrEqual(limit);
    // InnoDB keeps the size: whole 128Mi chunks below 1Gi (1 instance), whole GiB (8 instances) above
    expect(pool % (pool < 1024 ? 128 : 1024)).toBe(0);
    expect(cache).toBeGreaterThanOrEqual(128); // MySQL 8.4's minimum
  });

  test('MySQL refuses a limit below 1Gi', () => {
    expect(mysqlMemory(1000)).toEqual({ problem: expect.stringContaining('Fix: set resources.memory.limit to at least 1024Mi.') });
  });

  test.each([
    [8192, 1024, 1024], [8192, 4096, 2048], [2048, 4096, 1024], [8192, undefined, 2048], [20480, 16384, 2048],
  ])('etcd with %iMi storage and a %sMi limit: quota %iMi', (storage, limit, quota) => {
    expect(etcdQuotaMebibytes(storage, limit)).toBe(quota);
  });
});

function container(preset: IClusterPreset) {
  const chart = Testing.chart();
  new RainbondComponent(chart, 'm', { deployType: DeployType.STATEFUL_MULTIPLE, preset });
  const objects = synthValid(chart);
  const sts = findOne(objects, 'StatefulSet', 'm');
  const cm = objects.find(o => o.kind === 'ConfigMap');
  return { c: sts.spec.template.spec.containers[0], cm };
}
const memory = (limit: number, request = limit): kplus.ContainerResources => ({
  memory: { limit: Size.mebibytes(limit), request: Size.mebibytes(request) },
});

describe('rendered from the container limit', () => {
  test('Redis: maxmemory in redis.conf, noeviction; the default is 1Gi requested and limited', () => {
    const { c, cm } = container(ClusterPreset.redisSentinel());
    expect(c.resources.requests.memory).toBe('1024Mi');
    expect(c.resources.limits.memory).toBe('1024Mi');
    expect(cm.data['redis.conf'].split('\n')).toEqual(expect.arrayContaining(['maxmemory 480mb', 'maxmemory-policy noeviction']));
    expect(container(ClusterPreset.redisSentinel({ resources: memory(4096, 2048) })).cm.data['redis.conf']).toContain('maxmemory 2016mb\n');
    expect(container(ClusterPreset.redisSentinel({ resources: { cpu: { request: kplus.Cpu.millis(500) } } })).cm.data['redis.conf'])
      .toContain('maxmemory 480mb\n');
    expect(() => container(ClusterPreset.redisSentinel({ resources: memory(128) })))
      .toThrow(/\[preset redis-sentinel\] a 128Mi memory limit leaves Redis no room/);
  });

  test('MySQL: buffer pool and message cache in my.cnf; the default is 2Gi requested and limited', () => {
    const { c, cm } = container(ClusterPreset.mysqlReplication());
    expect(c.resources.requests.memory).toBe('2048Mi');
    expect(c.resources.limits.memory).toBe('2048Mi');
    const lines = cm.data['my.cnf'].split('\n');
    expect(lines).toEqual(expect.arrayContaining([`innodb_buffer_pool_size=${1024 * 2 ** 20}`, `loose-group_replication_message_cache_size=${128 * 2 ** 20}`]));
    const big = container(ClusterPreset.mysqlReplication({ resources: memory(4096) })).cm.data['my.cnf'];
    expect(big).toContain(`innodb_buffer_pool_size=${2048 * 2 ** 20}\n`);
    expect(big).toContain(`loose-group_replication_message_cache_size=${256 * 2 ** 20}\n`);
    expect(() => container(ClusterPreset.mysqlReplication({ resources: memory(512) })))
      .toThrow(/\[preset mysql-replication\] a 512Mi memory limit is too small for mysqld/);
  });

  test('ZooKeeper: heap is half the limit; the default is 1Gi requested and limited', () => {
    const { c } = container(ClusterPreset.zookeeper({ resources: memory(3072) }));
    expect(c.env.find((e: any) => e.name === 'SERVER_JVMFLAGS').value).toBe('-Xms1536m -Xmx1536m');
    const d = container(ClusterPreset.zookeeper()).c;
    expect([d.resources.requests.memory, d.resources.limits.memory]).toEqual(['1024Mi', '1024Mi']);
  });

  test('etcd: the backend quota follows storage and limit; the default is 1Gi requested and limited', () => {
    const quota = (preset: IClusterPreset) => container(preset).c.env.find((e: any) => e.name === 'ETCD_QUOTA_BACKEND_BYTES')?.value;
    expect(quota(ClusterPreset.etcd())).toBe(String(2 ** 30));
    expect(quota(ClusterPreset.etcd({ resources: memory(4096), storageSize: Size.gibibytes(20) }))).toBe(String(2 * 2 ** 30));
    expect(quota(ClusterPreset.etcd({ resources: memory(4096), storageSize: Size.gibibytes(1) }))).toBe(String(512 * 2 ** 20));
    const d = container(ClusterPreset.etcd()).c;
    expect([d.resources.requests.memory, d.resources.limits.memory]).toEqual(['1024Mi', '1024Mi']);
  });
});
