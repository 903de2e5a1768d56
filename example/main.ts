/**
 * Example cdk8s app, written the way an app repo would use cdk8s-rainbond
 * (there the import is `from 'cdk8s-rainbond'`).
 *
 * `npm run synth:example` writes dist/rainbond-example.k8s.yaml.
 */
import { App, Chart, ChartProps, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterPreset, DeployType, RainbondComponent } from '../src';

export class ShopChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    // Stateless web front end: a Deployment with 3 replicas behind a ClusterIP Service.
    new RainbondComponent(this, 'web', {
      deployType: DeployType.STATELESS_MULTIPLE,
      replicas: 3,
      containers: [{
        image: 'nginxinc/nginx-unprivileged:1.27-alpine',
        ports: [{ number: 8080, name: 'http' }],
        readiness: kplus.Probe.fromHttpGet('/', { port: 8080 }),
        volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'web-tmp', 'tmp') }],
      }],
    });

    // Stateful single database: one StatefulSet instance with its own volume.
    new RainbondComponent(this, 'orders-db', {
      deployType: DeployType.STATEFUL_SINGLE,
      containers: [{
        image: 'postgres:16.4',
        ports: [{ number: 5432, name: 'postgres' }],
        envVariables: {
          PGDATA: kplus.EnvValue.fromValue('/var/lib/postgresql/data/pgdata'),
          POSTGRES_PASSWORD: kplus.EnvValue.fromSecretValue({
            secret: kplus.Secret.fromSecretName(this, 'orders-db-credentials', 'orders-db-credentials'),
            key: 'password',
          }),
        },
        securityContext: { readOnlyRootFilesystem: false },
      }],
      securityContext: { user: 999, group: 999, fsGroup: 999 },
      volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: Size.gibibytes(20) }],
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

    // A three-member etcd cluster: Raft quorum 2, tolerates one failure.
    new RainbondComponent(this, 'config-store', {
      deployType: DeployType.STATEFUL_MULTIPLE,
      replicas: 3,
      preset: ClusterPreset.etcd(),
    });
  }
}

if (require.main === module) {
  const app = new App();
  new ShopChart(app, 'rainbond-example', { namespace: 'shop' });
  app.synth();
}
