/**
 * What two components can claim only once in a cluster: a node port, an Ingress route. The second
 * claim is refused at synthesis, naming both components (issue: third new-user trial, class 3).
 */
import { Testing } from 'cdk8s';
import { DeployType, OuterAccess, RainbondComponent } from '../src';
import { errorMessageOf } from './util/synth';

function web(chart: ReturnType<typeof Testing.chart>, id: string, outerAccess: OuterAccess): RainbondComponent {
  return new RainbondComponent(chart, id, {
    deployType: DeployType.STATELESS_SINGLE,
    containers: [{ image: 'registry.example.com/app:1.2.3', ports: [{ number: 8080 }] }],
    portSettings: [{ port: 8080, outerAccess }],
  });
}

test('one node port on two components', () => {
  const chart = Testing.chart();
  web(chart, 'shop', OuterAccess.nodePort({ nodePort: 30080 }));
  web(chart, 'admin', OuterAccess.nodePort({ nodePort: 30080 }));
  expect(errorMessageOf(() => Testing.synth(chart))).toContain("node port 30080 is claimed by RainbondComponent 'shop' (test/shop, deploy type stateless_singleton) "
    + "and by RainbondComponent 'admin' (test/admin, deploy type stateless_singleton); the API server refuses the second Service. Fix: give each component its own nodePort");
});

test('one Ingress host and path on two components; another path or class is fine', () => {
  const chart = Testing.chart();
  web(chart, 'shop', OuterAccess.ingress({ host: 'shop.example.com', path: '/api' }));
  web(chart, 'admin', OuterAccess.ingress({ host: 'shop.example.com', path: '/api' }));
  web(chart, 'docs', OuterAccess.ingress({ host: 'shop.example.com', path: '/docs' }));
  web(chart, 'internal', OuterAccess.ingress({ host: 'shop.example.com', path: '/api', ingressClassName: 'internal' }));
  const message = errorMessageOf(() => Testing.synth(chart));
  expect(message).toContain("Ingress route shop.example.com/api is claimed by RainbondComponent 'shop'");
  expect(message).toContain('the Ingress controller routes it to only one of them');
  expect(message).not.toContain("'docs'");
  expect(message).not.toContain("'internal'");
});

test('distinct node ports and routes synthesize', () => {
  const chart = Testing.chart();
  web(chart, 'shop', OuterAccess.nodePort({ nodePort: 30080 }));
  web(chart, 'admin', OuterAccess.nodePort({ nodePort: 30081 }));
  expect(Testing.synth(chart).filter(o => o.spec?.type === 'NodePort').map(o => o.spec.ports[0].nodePort)).toEqual([30080, 30081]);
});
