import { Testing } from 'cdk8s';
import { ShopChart } from '../example/main';
import { workloadPolicyViolations } from './util/policy';
import { findOne, synthValid } from './util/synth';

describe('example app', () => {
  const objects = synthValid(new ShopChart(Testing.app(), 'example', { namespace: 'shop' }));

  test('synthesizes one workload per deploy type it shows, all valid Kubernetes 1.28', () => {
    expect(findOne(objects, 'Deployment', 'web').spec.replicas).toBe(3);
    expect(findOne(objects, 'StatefulSet', 'orders-db').spec.replicas).toBe(1);
    expect(findOne(objects, 'StatefulSet', 'search').spec.volumeClaimTemplates[0].spec.storageClassName).toBe('fast-ssd');
  });

  test('runs a three-member etcd cluster that starts its members in parallel', () => {
    const etcd = findOne(objects, 'StatefulSet', 'config-store');
    expect(etcd.spec.replicas).toBe(3);
    expect(etcd.spec.podManagementPolicy).toBe('Parallel');
    expect(findOne(objects, 'PodDisruptionBudget', 'config-store').spec.maxUnavailable).toBe(1);
    const env = etcd.spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'ETCD_INITIAL_CLUSTER').value).toBe([0, 1, 2]
      .map(i => `config-store-${i}=http://config-store-${i}.config-store.shop.svc.cluster.local:2380`).join(','));
  });

  test('keeps the database password out of the manifest', () => {
    const env = findOne(objects, 'StatefulSet', 'orders-db').spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'POSTGRES_PASSWORD')).toEqual({
      name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-db-credentials', key: 'password' } },
    });
  });

  test('every workload passes the policy checks, the official postgres image included', () => {
    for (const workload of objects.filter(o => o.kind === 'StatefulSet' || o.kind === 'Deployment')) {
      expect(workloadPolicyViolations(workload)).toEqual([]);
    }
  });

  test('the database runs the postgres recipe: its uid, PGDATA below the mount, memoryfs for the paths it writes', () => {
    const sts = findOne(objects, 'StatefulSet', 'orders-db');
    const pod = sts.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999, runAsNonRoot: true });
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(pod.containers[0].env.find((e: any) => e.name === 'PGDATA').value).toBe('/var/lib/postgresql/data/pgdata');
    expect(pod.volumes).toEqual([{ name: 'run', emptyDir: {} }, { name: 'tmp', emptyDir: {} }]);
    expect(pod.containers[0].volumeMounts.map((m: any) => m.mountPath).sort()).toEqual(['/tmp', '/var/lib/postgresql/data', '/var/run/postgresql']);
    expect(sts.spec.volumeClaimTemplates.map((t: any) => t.metadata.name)).toEqual(['data']);
  });

  test('web depends on the database and etcd: their addresses and credentials in its environment', () => {
    const env = Object.fromEntries(findOne(objects, 'Deployment', 'web').spec.template.spec.containers[0].env.map((e: any) => [e.name, e]));
    const dbService = objects.find(o => o.kind === 'Service' && o.metadata.name.startsWith('orders-db') && o.spec.clusterIP !== 'None');
    expect(env.ORDERS_DB_HOST.value).toBe(`${dbService.metadata.name}.shop.svc.cluster.local`);
    expect(env.ORDERS_DB_PORT.value).toBe('5432');
    expect(env.ORDERS_DB_HOSTS.value).toBe('orders-db-0.orders-db.shop.svc.cluster.local');
    expect(env.ORDERS_DB_USER.value).toBe('orders');
    expect(env.ORDERS_DB_PASSWORD.valueFrom).toEqual({ secretKeyRef: { name: 'orders-db-credentials', key: 'password' } });
    expect(env.ETCD_ENDPOINTS.value).toBe([0, 1, 2].map(i => `http://config-store-${i}.config-store.shop.svc.cluster.local:2379`).join(','));
  });

  test('web reads its nginx config from a config file and writes /tmp on a memoryfs volume', () => {
    const deployment = findOne(objects, 'Deployment', 'web');
    const pod = deployment.spec.template.spec;
    expect(findOne(objects, 'ConfigMap', 'web-site-config').data['default.conf']).toContain('listen 8080;');
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'site-config', mountPath: '/etc/nginx/conf.d/default.conf', subPath: 'default.conf', readOnly: true },
    ]);
    expect(deployment.spec.template.metadata.annotations['rainbond.io/config-checksum']).toMatch(/^[0-9a-f]{64}$/);
    expect(deployment.spec.strategy.type).toBe('RollingUpdate');
  });
});
