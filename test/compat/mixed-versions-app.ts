/**
 * A cdk8s app as scaffolded today: its own objects with cdk8s-plus-33 and the newest, cdk8s-plus-34
 * (Kubernetes 1.34), some components with cdk8s-rainbond (which is built on cdk8s-plus-28, installed
 * beside them as its peer dependency).
 * It shows the combinations that work and the bridges (plain names and labels) for those that do not
 * type-check; test/compat/type-errors.ts holds the direct passes that fail to compile.
 */
import { Chart, ChartProps } from 'cdk8s';
import * as kplus28 from 'cdk8s-plus-28';
import * as kplus33 from 'cdk8s-plus-33';
import * as kplus34 from 'cdk8s-plus-34';
import { Construct } from 'constructs';
import { DeployType, RainbondComponent } from '../../src';

export class MixedVersionsChart extends Chart {
  public readonly web: RainbondComponent;
  public readonly db: RainbondComponent;
  public readonly frontend: kplus33.Deployment;
  public readonly admin: kplus34.Deployment;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    // cdk8s-plus-33 objects passed INTO the library: interfaces and value classes type-check and render.
    const account = new kplus33.ServiceAccount(this, 'web-account', { metadata: { name: 'web' } });
    const pullSecret = new kplus33.Secret(this, 'registry', { metadata: { name: 'registry-auth' } });
    const settings = new kplus33.ConfigMap(this, 'settings', { metadata: { name: 'web-settings' }, data: { mode: 'production' } });
    // and cdk8s-plus-34 ones
    const adminToken = new kplus34.Secret(this, 'admin-token', { metadata: { name: 'admin-token' }, stringData: { token: 'dev' } });

    this.db = new RainbondComponent(this, 'db', {
      deployType: DeployType.STATEFUL_SINGLE,
      containers: [{ image: 'registry.example.com/db:1.0', ports: [{ number: 5432 }] }],
      volumes: [{ name: 'data', mountPath: '/var/lib/db' }],
    });
    // A cdk8s-plus-33 ConfigMap mounted by the library's containers: bridge by name with cdk8s-plus-28's own Volume.
    const settingsVolume = kplus28.Volume.fromConfigMap(this, 'settings-volume',
      kplus28.ConfigMap.fromConfigMapName(this, 'settings-ref', settings.name), { name: 'settings' });
    this.web = new RainbondComponent(this, 'web', {
      deployType: DeployType.STATELESS_MULTIPLE,
      replicas: 2,
      serviceAccount: account,
      automountServiceAccountToken: true,
      dockerRegistryAuth: pullSecret,
      containers: [{
        image: 'registry.example.com/web:2.0',
        ports: [{ number: 8080 }],
        volumeMounts: [{ path: '/etc/web', volume: settingsVolume }],
        envVariables: {
          MODE: kplus33.EnvValue.fromConfigMap(settings, 'mode'),
          DB_HOST: kplus33.EnvValue.fromValue(this.db.service!.name),
          ADMIN_TOKEN: kplus34.EnvValue.fromSecretValue({ secret: adminToken, key: 'token' }),
          ADMIN_URL: kplus34.EnvValue.fromValue('http://admin.shop.svc:9000'),
        },
      }],
    });

    // The app's own cdk8s-plus-33 workload.
    this.frontend = new kplus33.Deployment(this, 'frontend', {
      metadata: { name: 'frontend' },
      replicas: 2,
      containers: [{ image: 'registry.example.com/frontend:3.0', portNumber: 3000, securityContext: { user: 1000 } }],
    });
    const frontendService = this.frontend.exposeViaService({ name: 'frontend', ports: [{ port: 80, targetPort: 3000 }] });

    // Library objects used FROM cdk8s-plus-33: bridge by labels and names (plain strings work with every version).
    const webPods = kplus33.Pods.select(this, 'web-pods', {
      labels: this.web.selectorLabels,
      namespaces: kplus33.Namespaces.select(this, 'web-namespace', { names: [this.web.namespace] }),
    });
    this.frontend.connections.allowTo(webPods, { ports: [kplus33.NetworkPolicyPort.tcp(8080)] });
    new kplus33.NetworkPolicy(this, 'web-ingress-only', {
      metadata: { name: 'web-ingress-only' },
      selector: webPods,
      ingress: { default: kplus33.NetworkPolicyTrafficDefault.DENY },
    });
    new kplus33.k8s.KubeIngress(this, 'ingress', {
      metadata: { name: 'shop' },
      spec: {
        rules: [{
          http: {
            paths: [
              { path: '/api', pathType: 'Prefix', backend: { service: { name: this.web.service!.name, port: { number: 8080 } } } },
              { path: '/', pathType: 'Prefix', backend: { service: { name: frontendService.name, port: { number: 80 } } } },
            ],
          },
        }],
      },
    });

    // cdk8s-plus-33 objects used FROM the library's cdk8s-plus-28 API: bridge by labels, with cdk8s-plus-28's own selector.
    const frontendPods = kplus28.Pods.select(this, 'frontend-pods', { labels: this.frontend.matchLabels });
    this.db.workload.connections.allowFrom(this.web.workload, { ports: [kplus28.NetworkPolicyPort.tcp(5432)] });
    this.web.workload.connections.allowFrom(frontendPods, { ports: [kplus28.NetworkPolicyPort.tcp(8080)] });

    // The app's own cdk8s-plus-34 workload, which calls the library's web pods: the same bridge by labels,
    // in both directions.
    this.admin = new kplus34.Deployment(this, 'admin', {
      metadata: { name: 'admin' },
      containers: [{ image: 'registry.example.com/admin:1.0', portNumber: 9000, securityContext: { user: 1000 } }],
    });
    this.admin.connections.allowTo(kplus34.Pods.select(this, 'web-pods-34', {
      labels: this.web.selectorLabels,
      namespaces: kplus34.Namespaces.select(this, 'web-namespace-34', { names: [this.web.namespace] }),
    }), { ports: [kplus34.NetworkPolicyPort.tcp(8080)] });
    this.web.workload.connections.allowFrom(kplus28.Pods.select(this, 'admin-pods', { labels: this.admin.matchLabels }),
      { ports: [kplus28.NetworkPolicyPort.tcp(8080)] });
  }
}
