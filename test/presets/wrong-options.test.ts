/**
 * Preset options a caller in plain JavaScript or another jsii language (Python, Java, Go) can get wrong:
 * null, a value of another type, an enum value the enum does not have, NaN. Each is a problem naming the
 * preset, the option and the fix, never a TypeError from inside the library or a silently wrong manifest.
 */
import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ClusterPreset, DeployType, EtcdInitialClusterState, IClusterPreset, MysqlCommunicationStack, RainbondComponent } from '../../src';
import { imageReferenceProblem } from '../../src/_image-reference';
import { findOne, synthValid } from '../util/synth';

type Factory = (options?: any) => IClusterPreset;

const PRESETS: [string, Factory][] = [
  ['etcd', ClusterPreset.etcd],
  ['zookeeper', ClusterPreset.zookeeper],
  ['redis-sentinel', ClusterPreset.redisSentinel],
  ['mysql-replication', ClusterPreset.mysqlReplication],
];

function component(preset: IClusterPreset): RainbondComponent {
  return new RainbondComponent(Testing.chart(), 'db', { deployType: DeployType.STATEFUL_MULTIPLE, preset });
}

/** The error of a component with `preset`; fails unless it is a list of problems (not a TypeError). */
function refusal(preset: () => IClusterPreset): string {
  let error: unknown;
  try {
    component(preset());
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).constructor).toBe(Error);
  expect((error as Error).message).toMatch(/^RainbondComponent 'db' .* has \d problems?:\n/);
  return (error as Error).message;
}

describe('image overrides no pod can pull', () => {
  test.each([
    ['', 'must not be empty'],
    ['  ', 'must not be blank'],
    [' redis:7.2.7', "' redis:7.2.7' has leading or trailing whitespace, which the API server refuses"],
    ['redis:7.2.7\t', "'redis:7.2.7\t' has leading or trailing whitespace, which the API server refuses"],
    ['redis:7.2.7', undefined],
  ])('imageReferenceProblem(%j)', (image, problem) => {
    expect(imageReferenceProblem(image)).toBe(problem);
  });

  // etcd and ZooKeeper write option names as they are, Redis and MySQL in quotes
  test.each([...PRESETS.map(([system, factory], i) => [system, factory, i < 2 ? 'image' : "'image'"] as const)])('%s: an empty or padded image is refused', (system, factory, name) => {
    expect(refusal(() => factory({ image: '' })))
      .toContain(`[preset ${system}] ${name} must not be empty. Fix: give an image reference such as 'registry.example.com/name:1.2.3', or omit ${name} to use the pinned one.`);
    expect(refusal(() => factory({ image: ' example.com/server:1.0 ' })))
      .toContain(`[preset ${system}] ${name} ' example.com/server:1.0 ' has leading or trailing whitespace, which the API server refuses. Fix: `);
  });

  test.each([['', 'must not be empty'], ['haproxy:2.8 ', "'haproxy:2.8 ' has leading or trailing whitespace"]])('redis-sentinel: proxyImage %j is refused', (image, problem) => {
    expect(refusal(() => ClusterPreset.redisSentinel({ proxyImage: image })))
      .toContain(`[preset redis-sentinel] 'proxyImage' ${problem}`);
  });
});

describe('null options are no options (jsii passes None as null)', () => {
  test.each(PRESETS)('%s(null) renders as %s()', (_, factory) => {
    const chart = (options?: any) => {
      const c = Testing.chart();
      new RainbondComponent(c, 'db', { deployType: DeployType.STATEFUL_MULTIPLE, preset: factory(options) });
      return synthValid(c);
    };
    expect(chart(null)).toEqual(chart());
    expect(chart({ image: null, storageSize: null, resources: null, networkPolicy: null })).toEqual(chart());
  });

  test('a null request or limit is an omitted one', () => {
    const memory = (resources: any) => {
      const c = Testing.chart();
      new RainbondComponent(c, 'db', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.etcd({ resources }) });
      return findOne(synthValid(c), 'StatefulSet').spec.template.spec.containers[0].resources;
    };
    expect(memory({ memory: { request: Size.gibibytes(2), limit: null } })).toEqual(memory({ memory: { request: Size.gibibytes(2) } }));
  });

  test('mysql-replication: a null ipAllowlist is an omitted one, which the XCOM stack needs', () => {
    const message = refusal(() => ClusterPreset.mysqlReplication({ communicationStack: MysqlCommunicationStack.XCOM, ipAllowlist: null as any }));
    expect(message).toContain("[preset mysql-replication] the XCOM communication stack needs 'ipAllowlist'");
    expect(message).toContain('has 1 problem:');
  });

  test('options that are no object are one problem', () => {
    expect(refusal(() => ClusterPreset.zookeeper('zk' as any)))
      .toContain("[preset zookeeper] the options must be an object, got the string 'zk'. Fix: pass the options as an object");
  });
});

describe('options of the wrong type', () => {
  const memoryLimit = { resources: { memory: { limit: '1Gi' } } };
  test.each([
    // the data volume's size is the component's volume rule, which names it as the preset's
    ['etcd', { storageSize: '8Gi' }, ClusterPreset.etcd, "[preset storageSize] '8Gi' is not a valid capacity. Fix: use a positive whole size such as Size.gibibytes(10)."],
    ['etcd', memoryLimit, ClusterPreset.etcd, "[preset etcd] resources.memory.limit must be a Size, got the string '1Gi'. Fix: pass e.g. Size.gibibytes(1), or omit it."],
    ['zookeeper', memoryLimit, ClusterPreset.zookeeper, "[preset zookeeper] resources.memory.limit must be a Size, got the string '1Gi'. Fix: pass e.g. Size.gibibytes(1), or omit it."],
    ['redis', memoryLimit, ClusterPreset.redisSentinel, "[preset redis-sentinel] 'resources.memory.limit' must be a Size, got the string '1Gi'. Fix: pass e.g. Size.gibibytes(1), or omit it."],
    ['mysql', memoryLimit, ClusterPreset.mysqlReplication, "[preset mysql-replication] 'resources.memory.limit' must be a Size, got the string '1Gi'. Fix: "],
    ['etcd', { resources: { cpu: { limit: '1' } } }, ClusterPreset.etcd, "[preset etcd] resources.cpu.limit must be a Cpu, got the string '1'. Fix: pass e.g. Cpu.millis(500), or omit it."],
    ['etcd', { resources: 'small' }, ClusterPreset.etcd, "[preset etcd] resources must be an object, got the string 'small'. Fix: "],
    ['zookeeper', { heapSize: 512 }, ClusterPreset.zookeeper, '[preset zookeeper] heapSize must be a Size, got number 512. Fix: pass e.g. Size.mebibytes(512), or omit it.'],
    ['etcd', { image: 5 }, ClusterPreset.etcd, "[preset etcd] image must be an image reference (a string), got number 5. Fix: pass e.g. 'gcr.io/etcd-development/etcd:v3.5.17', or omit it."],
    ['zookeeper', { image: 5 }, ClusterPreset.zookeeper, '[preset zookeeper] image must be an image reference (a string), got number 5.'],
    ['redis', { image: 5 }, ClusterPreset.redisSentinel, "[preset redis-sentinel] 'image' must be an image reference (a string), got number 5. Fix: pass e.g. 'redis:7.2.7', or omit it."],
    ['mysql', { image: 5 }, ClusterPreset.mysqlReplication, "[preset mysql-replication] 'image' must be an image reference (a string), got number 5."],
    ['redis', { proxyImage: 5 }, ClusterPreset.redisSentinel, "[preset redis-sentinel] 'proxyImage' must be an image reference (a string), got number 5. Fix: pass e.g. 'haproxy:2.8.26', or omit it."],
    ['etcd', { initialClusterState: 'bogus' }, ClusterPreset.etcd,
      "[preset etcd] initialClusterState must be one of new, existing (EtcdInitialClusterState), got the string 'bogus'. Fix: pass EtcdInitialClusterState.NEW or EtcdInitialClusterState.EXISTING, or omit it."],
    ['etcd', { clusterToken: 5 }, ClusterPreset.etcd, "[preset etcd] clusterToken must be a string, got number 5. Fix: pass e.g. 'etcd-prod-orders', or omit it."],
    ['etcd', { tls: 'on' }, ClusterPreset.etcd, "[preset etcd] tls must be an object, got the string 'on'. Fix: "],
    ['etcd', { tls: { clientSecret: 'x' } }, ClusterPreset.etcd, "[preset etcd] tls.clientSecret: the Secret must be an object with a name (made in the app or imported by name), got the string 'x'."],
    ['zookeeper', { extraConfig: 'ab' }, ClusterPreset.zookeeper, "[preset zookeeper] extraConfig must be an object of strings, got the string 'ab'. Fix: pass e.g. { maxClientCnxns: '200' }, or omit it."],
    ['zookeeper', { extraConfig: { maxClientCnxns: 200 } }, ClusterPreset.zookeeper, '[preset zookeeper] extraConfig.maxClientCnxns must be a string, got number 200. Fix: pass the value in quotes, or omit it.'],
    ['redis', { masterName: 5 }, ClusterPreset.redisSentinel, "[preset redis-sentinel] 'masterName' must be a string, got number 5. Fix: pass e.g. 'mymaster', or omit it."],
    ['redis', { sentinelQuorum: '2' }, ClusterPreset.redisSentinel, "[preset redis-sentinel] 'sentinelQuorum' must be a number, got the string '2'. Fix: pass e.g. 2 (not in quotes), or omit it."],
    ['redis', { downAfterMilliseconds: '5000' }, ClusterPreset.redisSentinel, "[preset redis-sentinel] 'downAfterMilliseconds' must be a number, got the string '5000'."],
    ['redis', { primaryService: 'no' }, ClusterPreset.redisSentinel, "[preset redis-sentinel] 'primaryService' must be true or false, got the string 'no'. Fix: pass true or false (not in quotes), or omit it."],
    ['redis', { passwordSecret: 'cache-credentials' }, ClusterPreset.redisSentinel,
      "[preset redis-sentinel] 'passwordSecret' must be a Secret (kplus.ISecret), got the string 'cache-credentials'. Fix: pass e.g. kplus.Secret.fromSecretName("],
    ['redis', { passwordSecretKey: 5 }, ClusterPreset.redisSentinel, "[preset redis-sentinel] 'passwordSecretKey' must be a string, got number 5. Fix: pass e.g. 'password', or omit it."],
    ['mysql', { passwordSecret: 'db-credentials' }, ClusterPreset.mysqlReplication, "[preset mysql-replication] 'passwordSecret' must be a Secret (kplus.ISecret), got the string 'db-credentials'."],
    ['mysql', { appUser: 5 }, ClusterPreset.mysqlReplication, "[preset mysql-replication] 'appUser' must be a string, got number 5. Fix: pass e.g. 'app', or omit it."],
    ['mysql', { appDatabase: 5 }, ClusterPreset.mysqlReplication, "[preset mysql-replication] 'appDatabase' must be a string, got number 5."],
    ['mysql', { groupName: 5 }, ClusterPreset.mysqlReplication, "[preset mysql-replication] 'groupName' must be a string, got number 5."],
    ['mysql', { communicationStack: MysqlCommunicationStack.XCOM, ipAllowlist: ['10.0.0.0/8'] }, ClusterPreset.mysqlReplication,
      "[preset mysql-replication] 'ipAllowlist' must be a string, got an array. Fix: pass e.g. '10.244.0.0/16', or omit it."],
  ])('%s %j', (_, options, factory, message) => {
    const text = refusal(() => (factory as Factory)(options));
    expect(text).toContain(message);
  });

  test('etcd: a clientCertAuth that is no boolean is refused, not taken as true', () => {
    const chart = Testing.chart();
    const message = refusal(() => ClusterPreset.etcd({ tls: { clientSecret: kplus.Secret.fromSecretName(chart, 's', 'etcd-tls'), clientCertAuth: 'false' as any } }));
    expect(message).toContain("[preset etcd] tls.clientCertAuth must be true or false, got the string 'false'. Fix: pass true or false (not in quotes), or omit it.");
    expect(message).toContain('has 1 problem:');
  });

  test('mysql-replication: an unknown communicationStack is the one problem, whatever ipAllowlist says', () => {
    const message = refusal(() => ClusterPreset.mysqlReplication({ communicationStack: 'TCP' as MysqlCommunicationStack, ipAllowlist: '10.0.0.0/8' }));
    expect(message).toContain("[preset mysql-replication] 'communicationStack' must be one of MYSQL, XCOM (MysqlCommunicationStack), got the string 'TCP'. "
      + 'Fix: pass MysqlCommunicationStack.MYSQL or MysqlCommunicationStack.XCOM, or omit it.');
    expect(message).toContain('has 1 problem:');
  });

  test('the enum values a jsii caller sends are accepted', () => {
    expect(() => component(ClusterPreset.etcd({ initialClusterState: 'existing' as EtcdInitialClusterState }))).not.toThrow();
    expect(() => component(ClusterPreset.mysqlReplication({ communicationStack: 'XCOM' as MysqlCommunicationStack, ipAllowlist: '10.244.0.0/16' }))).not.toThrow();
  });
});

describe('zookeeper: a heap that is no whole number of MiB', () => {
  test.each([
    [Size.mebibytes(NaN), 'heapSize NaNMi is not a size. Fix: give a whole number of MiB such as Size.mebibytes(512).'],
    [Size.mebibytes(Infinity), 'heapSize InfinityMi is not a size. Fix: give a whole number of MiB such as Size.mebibytes(512).'],
    [Size.mebibytes(512.5), 'heapSize 512.5Mi is not a whole number of MiB (-Xms and -Xmx are written in MiB). Fix: give a whole number of MiB such as Size.mebibytes(512).'],
    [Size.kibibytes(1536), 'heapSize 1.5Mi is not a whole number of MiB (-Xms and -Xmx are written in MiB). Fix: give a whole number of MiB such as Size.mebibytes(32).'],
  ])('%s is refused, never rendered as -Xmx', (heapSize, message) => {
    const text = refusal(() => ClusterPreset.zookeeper({ heapSize }));
    expect(text).toContain(`[preset zookeeper] ${message}`);
    expect(text).toContain('has 1 problem:');
  });

  test('a whole number of MiB given in GiB or KiB is fine', () => {
    const heapOf = (heapSize: Size) => {
      const c = Testing.chart();
      new RainbondComponent(c, 'db', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.zookeeper({ heapSize, resources: { memory: { limit: Size.gibibytes(2) } } }) });
      return findOne(synthValid(c), 'StatefulSet').spec.template.spec.containers[0].env.find((e: any) => e.name === 'ZK_SERVER_HEAP').value;
    };
    expect(heapOf(Size.gibibytes(0.5))).toBe('512');
    expect(heapOf(Size.kibibytes(1024 * 768))).toBe('768');
  });
});
