/**
 * Example cdk8s app, written the way an app repo would use cdk8s-rainbond
 * (there the import is `from 'cdk8s-rainbond'`).
 *
 * `npm run synth:example` writes dist/rainbond-example.k8s.yaml.
 */
import { App, Chart, ChartProps, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterPreset, ConnectionValue, DeployType, RainbondComponent, VolumeType } from '../src';

export class ShopChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    // Created by you before the first deploy, e.g.
    // kubectl -n shop create secret generic orders-db-credentials --from-literal=password=...
    const ordersDbSecret = kplus.Secret.fromSecretName(this, 'orders-db-credentials', 'orders-db-credentials');

    // Stateful single database: the official postgres image under the secure defaults (read-only root,
    // non-root): its own user (uid 999 in the image), the data in a subdirectory of the volume (a fresh
    // volume may hold lost+found), memoryfs volumes for the socket directory and /tmp.
    const ordersDb = new RainbondComponent(this, 'orders-db', {
      deployType: DeployType.STATEFUL_SINGLE,
      containers: [{
        image: 'postgres:16.4',
        ports: [{ number: 5432, name: 'postgres' }],
        // Maps in key order: the Python, Java and Go ports (example/*/) synthesize the same YAML, and
        // a Go map reaches the library sorted by key whatever order it is written in.
        envVariables: {
          PGDATA: kplus.EnvValue.fromValue('/var/lib/postgresql/data/pgdata'),
          POSTGRES_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: ordersDbSecret, key: 'password' }),
          POSTGRES_USER: kplus.EnvValue.fromValue('orders'),
        },
      }],
      securityContext: { user: 999, group: 999, fsGroup: 999 },
      volumes: [
        { name: 'data', mountPath: '/var/lib/postgresql/data', size: Size.gibibytes(20) },
        { name: 'run', mountPath: '/var/run/postgresql', type: VolumeType.MEMORYFS },
        { name: 'tmp', mountPath: '/tmp', type: VolumeType.MEMORYFS },
      ],
      portSettings: [{ port: 5432, alias: 'ORDERS_DB' }],
      connectionInfo: {
        ORDERS_DB_PASSWORD: ConnectionValue.fromSecretKey(ordersDbSecret, 'password'),
        ORDERS_DB_USER: ConnectionValue.fromValue('orders'),
      },
    });

    // A three-member etcd cluster: Raft quorum 2, tolerates one failure.
    const configStore = new RainbondComponent(this, 'config-store', {
      deployType: DeployType.STATEFUL_MULTIPLE,
      replicas: 3,
      preset: ClusterPreset.etcd(),
    });

    // Stateless web front end: a Deployment with 3 replicas behind a ClusterIP Service. It depends on the
    // database (ORDERS_DB_HOST/_PORT/_HOSTS, ORDERS_DB_USER, ORDERS_DB_PASSWORD) and on etcd (ETCD_ENDPOINTS),
    // reads a config file and writes /tmp (nginx-unprivileged needs it under a read-only root).
    new RainbondComponent(this, 'web', {
      deployType: DeployType.STATELESS_MULTIPLE,
      replicas: 3,
      containers: [{
        image: 'nginxinc/nginx-unprivileged:1.27-alpine',
        ports: [{ number: 8080, name: 'http' }],
        readiness: kplus.Probe.fromHttpGet('/', { port: 8080 }),
      }],
      volumes: [
        { name: 'tmp', mountPath: '/tmp', type: VolumeType.MEMORYFS },
        {
          name: 'site-config',
          mountPath: '/etc/nginx/conf.d/default.conf',
          type: VolumeType.CONFIG_FILE,
          content: [
            'server {',
            '    listen 8080;',
            '    location / { root /usr/share/nginx/html; index index.html; }',
            '    location = /healthz { return 200 "ok"; }',
            '}',
            '',
          ].join('\n'),
        },
      ],
      dependencies: [ordersDb, configStore],
    });

    // Stateful multiple: ordered instances, each with its own claim and DNS name.
    new RainbondComponent(this, 'search', {
      deployType: DeployType.STATEFUL_MULTIPLE,
      replicas: 3,
      containers: [{
        image: 'registry.example.com/search-node:2.3.1',
        ports: [{ number: 9200, name: 'http' }, { number: 9300, name: 'transport' }],
      }],
      volumes: [{ name: 'index', mountPath: '/var/lib/search', size: Size.gibibytes(50), storageClassName: 'fast-ssd' }],
    });
  }
}

if (require.main === module) {
  const app = new App();
  new ShopChart(app, 'rainbond-example', { namespace: 'shop' });
  app.synth();
}
