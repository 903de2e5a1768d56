/**
 * Messages that pointed the user at the wrong fix (issue: third new-user trial, class 7).
 */
import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ClusterPreset, ConnectionValue, DeployType, RainbondComponent, VolumeType } from '../src';
import { errorMessageOf } from './util/synth';

const IMAGE = 'registry.example.com/app:1.2.3';

test('a config-file volume whose ConfigMap the preset renders names the volume, not the componentName', () => {
  const message = errorMessageOf(() => new RainbondComponent(Testing.chart(), 'zk', {
    deployType: DeployType.STATEFUL_MULTIPLE,
    preset: ClusterPreset.zookeeper(),
    volumes: [{ name: 'config', mountPath: '/etc/extra/app.conf', type: VolumeType.CONFIG_FILE, content: 'a=1' }],
  }));
  expect(message).toContain("[volumes[0].name] config-file volume 'config' would render the ConfigMap 'zk-config', which the component's preset already renders. "
    + "Fix: give the volume another name, e.g. 'config-file'.");
  expect(message).not.toContain('componentName');
});

test('a preset storage size the component cannot use names the preset\'s storageSize', () => {
  const message = errorMessageOf(() => new RainbondComponent(Testing.chart(), 'kv', {
    deployType: DeployType.STATEFUL_MULTIPLE,
    preset: ClusterPreset.zookeeper({ storageSize: Size.mebibytes(0) }),
  }));
  expect(message).toContain('[preset storageSize]');
  expect(message).not.toContain('volumes[0]');
});

test('a duplicate dependsOn is one problem', () => {
  const chart = Testing.chart();
  const db = new RainbondComponent(chart, 'db', { deployType: DeployType.STATEFUL_SINGLE, containers: [{ image: 'postgres:16.4', ports: [{ number: 5432 }] }] });
  const web = new RainbondComponent(chart, 'web', { deployType: DeployType.STATELESS_SINGLE, containers: [{ image: IMAGE, ports: [{ number: 8080 }] }] });
  web.dependsOn(db);
  const message = errorMessageOf(() => web.dependsOn(db));
  expect(message).toMatch(/has 1 problem:\n {2}- \[dependencies 'db'\] already depends on 'db'\. Fix: declare each dependency once\.$/);
});

test('the Redis memory problem says how to fix it', () => {
  const message = errorMessageOf(() => new RainbondComponent(Testing.chart(), 'cache', {
    deployType: DeployType.STATEFUL_MULTIPLE,
    preset: ClusterPreset.redisSentinel({ resources: { memory: { limit: Size.mebibytes(128) } } }),
  }));
  expect(message).toMatch(/128Mi memory limit leaves Redis no room .*\. Fix: set resources\.memory\.limit to at least \d+Mi\./);
});

test.each([
  ['DB_PASS', ConnectionValue.fromValue('hunter2'), 'names a secret'],
  ['MYSQL_PWD', ConnectionValue.fromValue('hunter2'), 'names a secret'],
  ['DATABASE_URL', ConnectionValue.fromValue('postgres://app:hunter2@db:5432/shop'), 'holds a password (user:password@)'],
  ['DSN', ConnectionValue.fromValue('app:hunter2@tcp(db:3306)/shop'), 'holds a password (user:password@)'],
])('a secret in connection information in clear: %s', (name, value, rule) => {
  const message = errorMessageOf(() => new RainbondComponent(Testing.chart(), 'db', {
    deployType: DeployType.STATEFUL_SINGLE,
    containers: [{ image: 'postgres:16.4', ports: [{ number: 5432 }] }],
    connectionInfo: { [name]: value },
  }));
  expect(message).toContain(`[connectionInfo.${name}]`);
  expect(message).toContain(rule);
  expect(message).toContain('ConnectionValue.fromSecretKey(secret, key)');
});

test.each(['a/b', 'db password', '..pass', '.', ''])('a Secret key the API server refuses in connection information: %j', (key) => {
  const message = errorMessageOf(() => new RainbondComponent(Testing.chart(), 'db', {
    deployType: DeployType.STATEFUL_SINGLE,
    containers: [{ image: 'postgres:16.4', ports: [{ number: 5432 }] }],
    connectionInfo: { DB_PASSWORD: ConnectionValue.fromSecretKey(kplus.Secret.fromSecretName(Testing.chart(), 's', 'db-secret'), key) },
  }));
  expect(message).toMatch(/has 1 problem:\n {2}- \[connectionInfo\.DB_PASSWORD\] the Secret key .*; the API server refuses every dependant's pod that refers to it\. Fix: name the key/);
});

test.each([
  ['redisSentinel', () => ClusterPreset.redisSentinel({ passwordSecretKey: 'redis/password' }), 'passwordSecretKey'],
  ['mysqlReplication', () => ClusterPreset.mysqlReplication({ rootPasswordKey: '..root' }), 'rootPasswordKey'],
  ['mysqlReplication', () => ClusterPreset.mysqlReplication({ appPasswordKey: 'app password' }), 'appPasswordKey'],
])('a preset\'s Secret key the API server refuses: %s %s', (_preset, preset, prop) => {
  const message = errorMessageOf(() => new RainbondComponent(Testing.chart(), 'db', { deployType: DeployType.STATEFUL_MULTIPLE, preset: preset() }));
  expect(message).toMatch(new RegExp(`'${prop}' '[^']+' (may contain only letters, digits, '-', '_' and '\\.'|must not be '\\.' or start with '\\.\\.') \\(a Secret key\\)\\. `
    + 'Fix: omit it to use the'));
  expect(message).toContain('has 1 problem:');
});

test.each([
  ['serviceAccount', (c: Chart) => ({ serviceAccount: kplus.ServiceAccount.fromServiceAccountName(c, 'sa', 'Web_SA'), automountServiceAccountToken: false }),
    /\[serviceAccount\] the ServiceAccount name 'Web_SA' is not a valid name .*, and the API server refuses a pod naming it\. Fix: pass the ServiceAccount by the name/],
  ['dockerRegistryAuth', (c: Chart) => ({ dockerRegistryAuth: kplus.Secret.fromSecretName(c, 'reg', 'Registry') }),
    /\[dockerRegistryAuth\] the Secret name 'Registry' is not a valid name .*, so the image pull can never find it\. Fix: pass the image pull Secret by the name/],
  ['connectionInfo', (c: Chart) => ({ connectionInfo: { DB_PASSWORD: ConnectionValue.fromSecretKey(kplus.Secret.fromSecretName(c, 's', 'db_secret'), 'password') } }),
    /\[connectionInfo\.DB_PASSWORD\] the Secret name 'db_secret' is not a valid name .*; the API server refuses every dependant's pod that refers to it\. Fix: pass the Secret by the name/],
])('an object name no Secret or ServiceAccount can have: %s', (_prop, extra, message) => {
  const chart = Testing.chart();
  expect(errorMessageOf(() => new RainbondComponent(chart, 'web', {
    deployType: DeployType.STATELESS_SINGLE, containers: [{ image: 'web:1', ports: [{ number: 8080 }] }], ...extra(chart),
  }))).toMatch(message);
});

test.each([
  ['redisSentinel', (c: Chart) => ClusterPreset.redisSentinel({ passwordSecret: kplus.Secret.fromSecretName(c, 's', 'Redis') }), '\'passwordSecret\''],
  ['mysqlReplication', (c: Chart) => ClusterPreset.mysqlReplication({ passwordSecret: kplus.Secret.fromSecretName(c, 's', 'my_sql') }), '\'passwordSecret\''],
  ['etcd', (c: Chart) => ClusterPreset.etcd({ tls: { peerSecret: kplus.Secret.fromSecretName(c, 's', 'Peer.TLS') } }), 'tls.peerSecret'],
])('a preset\'s Secret named as no Secret can be: %s', (_preset, preset, prop) => {
  const chart = Testing.chart();
  const message = errorMessageOf(() => new RainbondComponent(chart, 'db', { deployType: DeployType.STATEFUL_MULTIPLE, preset: preset(chart) }));
  expect(message).toContain(`${prop}: the Secret name '`);
  expect(message).toContain('is not a valid name (a DNS subdomain: lowercase letters, digits, \'-\' and \'.\', at most 253 characters). Fix: pass the Secret by the name');
  expect(message).toContain('has 1 problem:');
});

test('ConnectionValue.fromSecretKey without a Secret says what to pass', () => {
  expect(() => ConnectionValue.fromSecretKey(undefined as unknown as kplus.ISecret, 'password'))
    .toThrow(/^ConnectionValue\.fromSecretKey: secret must be a Secret, got undefined\. Fix: pass a kplus\.Secret, or kplus\.Secret\.fromSecretName/);
});

test('ConnectionValue.fromValue with anything but a string says to quote it: a number is refused by the API server, null renders no value', () => {
  expect(() => ConnectionValue.fromValue(5 as unknown as string))
    .toThrow("ConnectionValue.fromValue: value must be a string, got number 5. Fix: quote it, e.g. ConnectionValue.fromValue('5').");
  for (const value of [null, { a: 1 }]) expect(() => ConnectionValue.fromValue(value as unknown as string)).toThrow(/^ConnectionValue\.fromValue: value must be a string, got (null|an object)\./);
  expect(ConnectionValue.fromValue('').plainValue).toBe('');
});

test('Secret keys the API server accepts are fine: letters, digits, \'-\', \'_\' and a leading dot', () => {
  const chart = Testing.chart();
  new RainbondComponent(chart, 'db', {
    deployType: DeployType.STATEFUL_SINGLE,
    containers: [{ image: 'postgres:16.4', ports: [{ number: 5432 }] }],
    connectionInfo: { DB_PASSWORD: ConnectionValue.fromSecretKey(kplus.Secret.fromSecretName(chart, 's', 'db-secret'), '.db_Password-1') },
  });
  new RainbondComponent(chart, 'cache', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.redisSentinel({ passwordSecretKey: 'redis.password_1' }) });
  expect(Testing.synth(chart).length).toBeGreaterThan(0);
});

test('names and values that only look alike are fine', () => {
  const chart = Testing.chart();
  new RainbondComponent(chart, 'db', {
    deployType: DeployType.STATEFUL_SINGLE,
    containers: [{ image: 'postgres:16.4', ports: [{ number: 5432 }] }],
    connectionInfo: { BYPASS_CACHE: ConnectionValue.fromValue('true'), DATABASE_URL: ConnectionValue.fromValue('postgres://db:5432/shop') },
  });
  expect(Testing.synth(chart).length).toBeGreaterThan(0);
});
