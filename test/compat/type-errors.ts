/**
 * Direct passes between cdk8s-plus-33 or -34 and the library's cdk8s-plus-28 types that do NOT compile
 * (classes with private members are nominal in TypeScript). test/compat.test.ts type-checks this
 * file: each `@ts-expect-error` must still be an error, so a change in either direction is noticed.
 * Never imported at run time.
 */
import { Chart } from 'cdk8s';
import * as kplus28 from 'cdk8s-plus-28';
import * as kplus33 from 'cdk8s-plus-33';
import * as kplus34 from 'cdk8s-plus-34';
import { DeployType, RainbondComponent } from '../../src';

export function directPasses(chart: Chart): void {
  const web = new RainbondComponent(chart, 'web', {
    deployType: DeployType.STATELESS_MULTIPLE,
    containers: [{ image: 'x:1', ports: [{ number: 80 }] }],
  });
  const frontend = new kplus33.Deployment(chart, 'frontend', { containers: [{ image: 'y:1' }] });

  // @ts-expect-error a cdk8s-plus-28 Service is not a cdk8s-plus-33 Service (Ingress backend)
  kplus33.IngressBackend.fromService(web.service!);
  // @ts-expect-error a cdk8s-plus-28 Workload is not a cdk8s-plus-33 IPodSelector (NetworkPolicy selector)
  new kplus33.NetworkPolicy(chart, 'np', { selector: web.workload });
  // @ts-expect-error nor a cdk8s-plus-33 INetworkPolicyPeer (connections)
  frontend.connections.allowTo(web.workload);
  // @ts-expect-error a cdk8s-plus-33 Deployment is not a cdk8s-plus-28 INetworkPolicyPeer
  web.workload.connections.allowFrom(frontend);
  // @ts-expect-error nor a cdk8s-plus-28 IPodSelector
  new kplus28.NetworkPolicy(chart, 'np28', { selector: frontend });
  const settings = new kplus33.ConfigMap(chart, 'settings', { data: { mode: 'production' } });
  new RainbondComponent(chart, 'api', {
    deployType: DeployType.STATELESS_SINGLE,
    containers: [{
      image: 'x:1',
      // @ts-expect-error a cdk8s-plus-33 Volume is not a cdk8s-plus-28 Volume (container volume mounts)
      volumeMounts: [{ path: '/etc/settings', volume: kplus33.Volume.fromConfigMap(chart, 'settings-volume', settings) }],
      // @ts-expect-error nor is a cdk8s-plus-33 EnvFrom (container envFrom)
      envFrom: [kplus33.Env.fromConfigMap(settings)],
    }],
  });
  const admin = new kplus34.Deployment(chart, 'admin', { containers: [{ image: 'z:1' }] });
  // @ts-expect-error a cdk8s-plus-34 Deployment is not a cdk8s-plus-28 INetworkPolicyPeer either
  web.workload.connections.allowFrom(admin);
  // @ts-expect-error nor a cdk8s-plus-28 Workload a cdk8s-plus-34 INetworkPolicyPeer
  admin.connections.allowTo(web.workload);
}
