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

  test('every workload passes the policy checks', () => {
    for (const workload of objects.filter(o => o.kind === 'StatefulSet' || o.kind === 'Deployment')) {
      const violations = workloadPolicyViolations(workload);
      // orders-db deliberately runs with a writable root filesystem (postgres writes its run directory).
      expect(violations.filter(v => !v.includes('orders-db container orders-db: root filesystem is writable'))).toEqual([]);
    }
  });
});
