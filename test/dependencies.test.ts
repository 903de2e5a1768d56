import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ClusterPreset, ConnectionValue, DeployType, RainbondComponent } from '../src';
import { workloadPolicyViolations } from './util/policy';
import { errorMessageOf, findOne, synthValid } from './util/synth';

function shop(app: App = Testing.app(), id = 'shop', namespace = 'shop'): Chart {
  return new Chart(app, id, { namespace });
}

function web(chart: Chart, extra: Partial<ConstructorParameters<typeof RainbondComponent>[2]> = {}): RainbondComponent {
  return new RainbondComponent(chart, 'web', {
    deployType: DeployType.STATELESS_MULTIPLE,
    replicas: 2,
    containers: [{ image: 'web:1', ports: [{ number: 8080 }] }, { name: 'sidecar', image: 'sidecar:1' }],
    initContainers: [{ name: 'migrate', image: 'web:1', command: ['migrate'] }],
    ...extra,
  });
}

function db(chart: Chart, id = 'orders-db', extra: Partial<ConstructorParameters<typeof RainbondComponent>[2]> = {}): RainbondComponent {
  const secret = kplus.Secret.fromSecretName(chart, `${id}-secret`, `${id}-credentials`);
  return new RainbondComponent(chart, id, {
    deployType: DeployType.STATEFUL_SINGLE,
    containers: [{ image: 'postgres:16.4', ports: [{ number: 5432 }] }],
    connectionInfo: {
      DB_USER: ConnectionValue.fromValue('orders'),
      DB_PASSWORD: ConnectionValue.fromSecretKey(secret, 'password'),
    },
    ...extra,
  });
}

/** name -> env entry of every container and init container of a workload. */
function envOf(workload: any): Array<Record<string, any>> {
  const pod = workload.spec.template.spec;
  return [...pod.initContainers ?? [], ...pod.containers].map((c: any) => Object.fromEntries((c.env ?? []).map((e: any) => [e.name, e])));
}

describe('a stateless dependency', () => {
  const chart = shop();
  const api = new RainbondComponent(chart, 'api', {
    deployType: DeployType.STATELESS_MULTIPLE,
    replicas: 2,
    containers: [{ image: 'api:1', ports: [{ number: 8080 }, { number: 9090, name: 'metrics' }] }],
    portSettings: [{ port: 9090, alias: 'API_METRICS' }],
  });
  const w = web(chart, { dependencies: [api] });
  const objects = synthValid(chart);

  test('gives every container and init container <ALIAS>_HOST and <ALIAS>_PORT of every client Service port', () => {
    const envs = envOf(findOne(objects, 'Deployment', 'web'));
    expect(envs).toHaveLength(3);
    for (const env of envs) {
      expect(env.API8080_HOST).toEqual({ name: 'API8080_HOST', value: `${api.service!.name}.shop.svc.cluster.local` });
      expect(env.API8080_PORT).toEqual({ name: 'API8080_PORT', value: '8080' });
      expect(env.API_METRICS_HOST.value).toBe(`${api.service!.name}.shop.svc.cluster.local`);
      expect(env.API_METRICS_PORT.value).toBe('9090');
      expect(env.API8080_HOSTS).toBeUndefined();
    }
  });

  test('default and given aliases', () => {
    expect(api.portAlias(8080)).toBe('API8080');
    expect(api.portAlias(9090)).toBe('API_METRICS');
    expect(errorMessageOf(() => api.portAlias(1))).toContain('port 1 is not declared by any container. Fix: use one of 8080, 9090.');
  });

  test('is recorded, and no wait container by default', () => {
    expect(w.dependencies).toEqual([api]);
    const initNames = findOne(objects, 'Deployment', 'web').spec.template.spec.initContainers.map((c: any) => c.name);
    expect(initNames).toEqual(['migrate']);
  });
});

describe('a stateful dependency', () => {
  const chart = shop();
  const orders = db(chart, 'orders-db', { portSettings: [{ port: 5432, alias: 'DB' }] });
  const w = web(chart);
  w.dependsOn(orders);
  const objects = synthValid(chart);
  const env = envOf(findOne(objects, 'Deployment', 'web'))[1];

  test('adds the instance FQDNs as <ALIAS>_HOSTS besides the client Service name', () => {
    expect(env.DB_HOST.value).toBe(`${orders.service!.name}.shop.svc.cluster.local`);
    expect(env.DB_PORT.value).toBe('5432');
    expect(env.DB_HOSTS.value).toBe('orders-db-0.orders-db.shop.svc.cluster.local');
  });

  test('injects its connection information, the password as a Secret reference', () => {
    expect(env.DB_USER).toEqual({ name: 'DB_USER', value: 'orders' });
    expect(env.DB_PASSWORD).toEqual({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-db-credentials', key: 'password' } } });
    expect(JSON.stringify(objects)).not.toMatch(/"DB_PASSWORD","value"/);
  });

  test('keeps the dependency untouched', () => {
    const dbEnv = envOf(findOne(objects, 'StatefulSet', 'orders-db'))[0];
    expect(dbEnv.DB_HOST).toBeUndefined();
    expect(orders.dependencies).toEqual([]);
  });
});

describe('presets declare their connection information', () => {
  const chart = shop();
  const etcd = new RainbondComponent(chart, 'config-store', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.etcd() });
  const zk = new RainbondComponent(chart, 'zk', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.zookeeper() });
  const cache = new RainbondComponent(chart, 'cache', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.redisSentinel({ masterName: 'orders' }) });
  const mysql = new RainbondComponent(chart, 'mysql', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.mysqlReplication() });
  const w = web(chart, { dependencies: [etcd, zk, cache, mysql] });
  const objects = synthValid(chart);
  const env = envOf(findOne(objects, 'Deployment', 'web'))[1];
  const members = (name: string, port: number) => [0, 1, 2].map(i => `${name}-${i}.${name}.shop.svc.cluster.local:${port}`).join(',');

  test('etcd: client endpoints', () => {
    expect(env.ETCD_ENDPOINTS.value).toBe(members('config-store', 2379).split(',').map(e => `http://${e}`).join(','));
    expect(env.CONFIG_STORE2379_HOST.value).toBe(`${etcd.service!.name}.shop.svc.cluster.local`);
    expect(env.CONFIG_STORE2379_HOSTS.value).toBe(etcd.podDnsNames.join(','));
  });

  test('ZooKeeper: connect string', () => {
    expect(env.ZOOKEEPER_CONNECT.value).toBe(members('zk', 2181));
  });

  test('Redis Sentinel: the write path (<name>-primary), Sentinel addresses, master name and the password Secret', () => {
    const primary = 'cache-primary.shop.svc.cluster.local';
    expect(env.REDIS_HOST.value).toBe(primary);
    expect(env.REDIS_PORT.value).toBe('6379');
    // <ALIAS>_HOST of 6379 is the primary proxy, never the client Service (which reaches replicas)
    expect(env.CACHE6379_HOST.value).toBe(primary);
    expect(env.CACHE6379_PORT.value).toBe('6379');
    expect(findOne(objects, 'Service', 'cache-primary').spec.ports.map((p: any) => p.port)).toEqual([6379]);
    expect(env.CACHE26379_HOST.value).toBe('cache-client.shop.svc.cluster.local');
    expect(env.CACHE6379_HOSTS.value).toBe(cache.podDnsNames.join(','));
    expect(env.REDIS_SENTINEL_ADDRESSES.value).toBe(members('cache', 26379));
    expect(env.REDIS_SENTINEL_MASTER.value).toBe('orders');
    expect(env.REDIS_PASSWORD.valueFrom).toEqual({ secretKeyRef: { name: 'cache-credentials', key: 'password' } });
  });

  test('MySQL: the application account (never root), its database, any ONLINE member and every member', () => {
    expect(env.MYSQL_HOST.value).toBe(`${mysql.service!.name}.shop.svc.cluster.local`);
    expect(env.MYSQL_PORT.value).toBe('3306');
    expect(env.MYSQL_USER.value).toBe('app');
    expect(env.MYSQL_DATABASE.value).toBe('app');
    expect(env.MYSQL_PASSWORD.valueFrom).toEqual({ secretKeyRef: { name: 'mysql-credentials', key: 'app-password' } });
    expect(env.MYSQL3306_HOSTS.value).toBe(mysql.podDnsNames.join(','));
    expect(JSON.stringify(env)).not.toContain('root');
  });

  test('the component exposes the preset\'s connection information', () => {
    expect(Object.keys(etcd.connectionInfo)).toEqual(['ETCD_ENDPOINTS']);
    expect(w.dependencies.map(d => d.componentName)).toEqual(['config-store', 'zk', 'cache', 'mysql']);
  });
});

describe('Redis Sentinel dependants', () => {
  test('without the primary proxy: the client Service on 6379, no REDIS_HOST (Sentinel variables are the write path)', () => {
    const chart = shop();
    const cache = new RainbondComponent(chart, 'cache', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.redisSentinel({ primaryService: false }) });
    web(chart, { dependencies: [cache] });
    const env = envOf(findOne(synthValid(chart), 'Deployment', 'web'))[1];
    expect(env.CACHE6379_HOST.value).toBe('cache-client.shop.svc.cluster.local');
    expect(env.REDIS_HOST).toBeUndefined();
    expect(env.REDIS_SENTINEL_MASTER.value).toBe('mymaster');
  });

  test('the wait container waits for the write path', () => {
    const chart = shop();
    const cache = new RainbondComponent(chart, 'cache', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.redisSentinel() });
    web(chart, { dependencies: [cache], waitForDependencies: true });
    const wait = findOne(synthValid(chart), 'Deployment', 'web').spec.template.spec.initContainers[0];
    expect(wait.command.slice(-2)).toEqual(['cache-primary.shop.svc.cluster.local', '6379']);
  });
});

describe('a preset\'s dependant endpoints', () => {
  const preset = (dependantEndpoints: any[]) => ({
    bind: () => ({
      system: 'custom',
      maxMembers: 3,
      container: { image: 'custom:1', ports: [{ number: 7000 }, { number: 7001 }] },
      clientPorts: [7000],
      dataVolume: { name: 'data', mountPath: '/data' },
      podManagementPolicy: kplus.PodManagementPolicy.PARALLEL,
      dependantEndpoints,
    }),
  });

  test('replace the client Service for their port only', () => {
    const chart = shop();
    const custom = new RainbondComponent(chart, 'custom', {
      deployType: DeployType.STATEFUL_MULTIPLE, preset: preset([{ clientPort: 7000, host: 'writer.shop.svc.cluster.local', port: 7100 }]),
    });
    web(chart, { dependencies: [custom] });
    const env = envOf(findOne(synthValid(chart), 'Deployment', 'web'))[1];
    expect(env.CUSTOM7000_HOST.value).toBe('writer.shop.svc.cluster.local');
    expect(env.CUSTOM7000_PORT.value).toBe('7100');
    expect(env.CUSTOM7000_HOSTS.value).toBe(custom.podDnsNames.join(','));
  });

  test('that name no client port, twice one port, a bad host or port are refused', () => {
    const message = errorMessageOf(() => new RainbondComponent(shop(), 'custom', {
      deployType: DeployType.STATEFUL_MULTIPLE,
      preset: preset([
        { clientPort: 7001, host: 'a.svc' },
        { clientPort: 7000, host: 'Not A Host' },
        { clientPort: 7000, host: 'b.svc', port: 70000 },
      ]),
    }));
    expect(message).toMatch(/RainbondComponent 'custom'/);
    expect(message).toMatch(/\[preset\] custom: dependantEndpoints\[0\]\.clientPort 7001 is not a client port \(7000\)\. Fix: /);
    expect(message).toMatch(/dependantEndpoints\[1\]\.host 'Not A Host' is not a DNS name\. Fix: /);
    expect(message).toMatch(/dependantEndpoints\[2\]\.clientPort 7000 has two endpoints\. Fix: /);
    expect(message).toMatch(/dependantEndpoints\[2\]\.port 70000 is not a port number\. Fix: /);
  });
});

describe('waiting for the dependency', () => {
  test('waitForDependencies: an init container per dependency runs first, under the secure defaults', () => {
    const chart = shop();
    const orders = db(chart);
    web(chart, { dependencies: [orders], waitForDependencies: true });
    const deployment = findOne(synthValid(chart), 'Deployment', 'web');
    const [wait, migrate] = deployment.spec.template.spec.initContainers;
    expect(migrate.name).toBe('migrate');
    expect(wait.name).toBe('wait-for-orders-db');
    expect(wait.image).toBe('busybox:1.36.1');
    expect(wait.command).toEqual(['sh', '-c', 'until nc -z -w 2 "$1" "$2"; do echo "waiting for $1:$2"; sleep 2; done', 'wait-for-port',
      `${orders.service!.name}.shop.svc.cluster.local`, '5432']);
    expect(wait.resources).toEqual({ limits: { cpu: '100m', memory: '32Mi' }, requests: { cpu: '10m', memory: '16Mi' } });
    expect(workloadPolicyViolations(deployment)).toEqual([]);
  });

  test('dependsOn with waitForPort appends one', () => {
    const chart = shop();
    const orders = db(chart);
    const w = web(chart);
    w.dependsOn(orders, { waitForPort: true });
    const names = findOne(synthValid(chart), 'Deployment', 'web').spec.template.spec.initContainers.map((c: any) => c.name);
    expect(names).toEqual(['migrate', 'wait-for-orders-db']);
  });
});

describe('refusals', () => {
  test('a dependency cycle, naming its path', () => {
    const chart = shop();
    const a = new RainbondComponent(chart, 'a', { deployType: DeployType.STATELESS_SINGLE, containers: [{ image: 'a:1', ports: [{ number: 1 }] }] });
    const b = new RainbondComponent(chart, 'b', { deployType: DeployType.STATELESS_SINGLE, containers: [{ image: 'b:1', ports: [{ number: 2 }] }], dependencies: [a] });
    const c = new RainbondComponent(chart, 'c', { deployType: DeployType.STATELESS_SINGLE, containers: [{ image: 'c:1', ports: [{ number: 3 }] }], dependencies: [b] });
    expect(errorMessageOf(() => a.dependsOn(c))).toContain(
      '[dependencies \'c\'] dependency cycle a -> c -> b -> a: Rainbond starts a dependency before its dependants, which a cycle makes impossible. Fix: remove one of these dependencies.');
    expect(errorMessageOf(() => a.dependsOn(a))).toContain('dependency cycle a -> a');
    expect(a.dependencies).toEqual([]);
  });

  test('a dependency in another chart without a namespace', () => {
    const app = Testing.app();
    const orders = db(new Chart(app, 'data'));
    expect(errorMessageOf(() => web(shop(app), { dependencies: [orders] }))).toContain(
      '[dependencies \'orders-db\'] \'orders-db\' is in another chart (data) that sets no namespace, so its DNS names are not known. Fix: set namespace on that chart or on \'orders-db\'.');
  });

  test('a dependency in another chart with a namespace works, by FQDN', () => {
    const app = Testing.app();
    const data = new Chart(app, 'data');
    const orders = new RainbondComponent(data, 'orders-db', {
      deployType: DeployType.STATEFUL_SINGLE, namespace: 'shop', containers: [{ image: 'postgres:16.4', ports: [{ number: 5432 }] }],
    });
    const chart = shop(app);
    web(chart, { dependencies: [orders] });
    expect(envOf(findOne(synthValid(chart), 'Deployment', 'web'))[1].ORDERS_DB5432_HOST.value).toBe(`${orders.service!.name}.shop.svc.cluster.local`);
  });

  test('two dependencies defining the same variable, naming both', () => {
    const chart = shop();
    const one = new RainbondComponent(chart, 'etcd-a', { deployType: DeployType.STATEFUL_SINGLE, preset: ClusterPreset.etcd() });
    const two = new RainbondComponent(chart, 'etcd-b', { deployType: DeployType.STATEFUL_SINGLE, preset: ClusterPreset.etcd() });
    const w = web(chart, { dependencies: [one] });
    expect(errorMessageOf(() => w.dependsOn(two))).toContain(
      '[dependencies \'etcd-b\'] variable ETCD_ENDPOINTS is defined by two dependencies, \'etcd-a\' and \'etcd-b\'. Fix:');
    expect(w.dependencies).toEqual([one]);
  });

  test('a variable a container already sets', () => {
    const chart = shop();
    const orders = db(chart);
    const message = errorMessageOf(() => web(chart, {
      containers: [{ image: 'web:1', ports: [{ number: 8080 }], envVariables: { DB_USER: kplus.EnvValue.fromValue('me') } }],
      dependencies: [orders],
    }));
    expect(message).toContain('[dependencies \'orders-db\'] variable DB_USER of dependency \'orders-db\' is already set in container \'web\'. Fix:');
  });

  test('a Secret-backed connection variable across namespaces', () => {
    const app = Testing.app();
    const orders = db(shop(app, 'data', 'data'));
    expect(errorMessageOf(() => web(shop(app), { dependencies: [orders] }))).toContain(
      'connection variables DB_PASSWORD of \'orders-db\' come from a Secret in namespace \'data\', which pods in \'shop\' cannot read. Fix:');
  });

  test('a dependency without ports, and the same dependency twice', () => {
    const chart = shop();
    const worker = new RainbondComponent(chart, 'worker', { deployType: DeployType.STATELESS_SINGLE, containers: [{ image: 'w:1' }] });
    expect(errorMessageOf(() => web(chart, { dependencies: [worker] }))).toContain(
      '[dependencies \'worker\'] \'worker\' declares no port, so there is nothing to connect to. Fix: declare its ports, or remove the dependency.');
    const orders = db(chart);
    const w = new RainbondComponent(chart, 'w2', { deployType: DeployType.STATELESS_SINGLE, containers: [{ image: 'w:1' }], dependencies: [orders] });
    expect(errorMessageOf(() => w.dependsOn(orders))).toContain('[dependencies \'orders-db\'] already depends on \'orders-db\'. Fix: declare each dependency once.');
  });

  test('a clear-text secret, a bad variable name and a non-ConnectionValue', () => {
    const message = errorMessageOf(() => db(shop(), 'orders-db', {
      connectionInfo: {
        'DB_PASSWORD': ConnectionValue.fromValue('hunter2'),
        'db-user': ConnectionValue.fromValue('orders'),
        'DB_NAME': 'orders' as unknown as ConnectionValue,
      },
    }));
    expect(message).toContain('[connectionInfo.DB_PASSWORD] \'DB_PASSWORD\' names a secret, and a plain value would be written into every dependant\'s manifest in clear. Fix: put it in a Secret and use ConnectionValue.fromSecretKey(secret, key).');
    expect(message).toContain('[connectionInfo.db-user] \'db-user\' is not an environment variable name');
    expect(message).toContain('[connectionInfo.DB_NAME] the value is not a ConnectionValue. Fix:');
  });

  test('a connection variable named like a variable its ports give dependants is refused: it would replace their address', () => {
    const stateful = (connectionInfo: { [name: string]: ConnectionValue }, portSettings: { port: number; alias?: string }[] = [{ port: 5432 }]) => new RainbondComponent(shop(), 'db', {
      deployType: DeployType.STATEFUL_SINGLE, componentName: 'db', containers: [{ image: 'postgres:16.4', ports: [{ number: 5432 }] }], connectionInfo, portSettings,
    });
    for (const name of ['DB5432_HOST', 'DB5432_PORT', 'DB5432_HOSTS']) {
      expect(errorMessageOf(() => stateful({ [name]: ConnectionValue.fromValue('elsewhere') }))).toContain(`[connectionInfo.${name}] dependants already get ${name} for port 5432; `
        + 'this value would replace the address they connect to. Fix: rename the variable, or give port 5432 another alias (portSettings).');
    }
    expect(errorMessageOf(() => stateful({ PG_HOST: ConnectionValue.fromValue('x') }, [{ port: 5432, alias: 'PG' }]))).toContain('[connectionInfo.PG_HOST] dependants already get PG_HOST for port 5432');
    // a stateless component gives no _HOSTS; another name is free
    const chart2 = shop();
    const web2 = new RainbondComponent(chart2, 'api', {
      deployType: DeployType.STATELESS_SINGLE,
      containers: [{ image: 'api:1', ports: [{ number: 8080 }] }],
      connectionInfo: { API8080_HOSTS: ConnectionValue.fromValue('a,b'), API_URL: ConnectionValue.fromValue('http://api') },
    });
    expect(Object.keys(web2.connectionInfo)).toEqual(['API8080_HOSTS', 'API_URL']);
  });

  test('port settings: an undeclared port, twice the same port, a bad alias, a duplicate alias', () => {
    const message = errorMessageOf(() => db(shop(), 'orders-db', {
      containers: [{ image: 'postgres:16.4', ports: [{ number: 5432 }, { number: 9187 }] }],
      portSettings: [{ port: 1234 }, { port: 5432, alias: 'db' }, { port: 5432 }, { port: 9187, alias: 'ORDERS_DB5432' }],
    }));
    expect(message).toContain('[portSettings[0].port] port 1234 is not declared by any container (declared: 5432, 9187). Fix:');
    expect(message).toContain('[portSettings[1].alias] \'db\' is not a port alias (uppercase letters, digits and \'_\', starting with a letter). Fix: use e.g. \'ORDERS_DB5432\'.');
    expect(message).toContain('[portSettings[2].port] port 5432 has settings twice. Fix: give each port one entry.');
  });

  test('two ports with one alias', () => {
    expect(errorMessageOf(() => db(shop(), 'orders-db', {
      containers: [{ image: 'postgres:16.4', ports: [{ number: 5432 }, { number: 9187 }] }],
      portSettings: [{ port: 9187, alias: 'ORDERS_DB5432' }],
    }))).toContain('[portSettings] alias \'ORDERS_DB5432\' is used by ports 5432 and 9187. Fix: give every port its own alias.');
  });
});

describe('dependsOn', () => {
  const target = (chart: Chart, name: string) => new RainbondComponent(chart, name, {
    deployType: DeployType.STATELESS_SINGLE, containers: [{ image: 'api:1', ports: [{ number: 8080 }] }],
  });
  // 56 characters, the most a client Service name leaves; its wait container name keeps 54 of them
  const long = 'a'.repeat(55);
  const cut = `wait-for-${'a'.repeat(54)}`;

  test('anything but a component, or a waitForPort that is not a boolean, is refused with the component named', () => {
    const chart = shop();
    const w = web(chart);
    const orders = target(chart, 'db');
    for (const other of [undefined, 'db', { componentName: 'db' }]) {
      expect(errorMessageOf(() => w.dependsOn(other as unknown as RainbondComponent))).toMatch(/RainbondComponent 'web' [\s\S]*\[dependsOn\] needs a RainbondComponent, got .*\. Fix: pass the component this one connects to, e.g\. web\.dependsOn\(db\)\./);
    }
    expect(errorMessageOf(() => w.dependsOn(orders, { waitForPort: 'yes' as unknown as boolean }))).toContain('[dependsOn options.waitForPort] must be true or false, got');
    // null options are no options (jsii passes None as null)
    w.dependsOn(orders, null as unknown as undefined);
    expect(w.dependencies.map(d => d.componentName)).toEqual(['db']);
  });

  test('a wait container named like a container the component has is refused, not written twice', () => {
    const chart = shop();
    const orders = target(chart, 'db');
    const w = web(chart, { initContainers: [{ image: 'migrate:1', name: 'wait-for-db' }] });
    expect(errorMessageOf(() => w.dependsOn(orders, { waitForPort: true }))).toContain(
      '[dependencies \'db\'] its wait container would be named \'wait-for-db\' (wait-for-<componentName>, cut to 63 characters), the name of an init container this component already has. '
      + 'Fix: rename that container, or pass { waitForPort: false } and wait for the dependency another way.');
    // two dependencies whose names differ only past what a container name keeps
    const w2 = web(shop(), { componentName: 'web2' });
    w2.dependsOn(target(chart, `${long}1`), { waitForPort: true });
    expect(errorMessageOf(() => w2.dependsOn(target(chart, `${long}2`), { waitForPort: true }))).toContain(`its wait container would be named '${cut}'`);
    // without waiting there is no container to clash
    w2.dependsOn(target(chart, `${long}3`));
  });

  test('through the dependencies prop, two wait containers of one name get a fix that can be followed', () => {
    const chart = shop();
    const message = errorMessageOf(() => web(chart, { waitForDependencies: true, dependencies: [target(chart, `${long}1`), target(chart, `${long}2`)] }));
    expect(message).toContain(`[dependencies wait container 1.name] '${cut}' is also the name of dependencies wait container 0. `
      + 'Fix: wait containers are named wait-for-<componentName>, cut to 63 characters: rename the other container, shorten a dependency\'s componentName, or set waitForDependencies: false.');
  });
});
