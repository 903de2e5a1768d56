import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ClusterPreset, ComponentPortSettings, DeployType, IngressPathType, OuterAccess, OuterAccessKind, RainbondComponent } from '../src';
import { errorMessageOf, findAll, findOne, synthValid } from './util/synth';

const PORTS = [{ number: 8080, name: 'http' }, { number: 9000, name: 'game' }, { number: 5353, name: 'dns', protocol: kplus.Protocol.UDP }];

function synth(portSettings: ComponentPortSettings[], deployType = DeployType.STATELESS_MULTIPLE) {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const component = new RainbondComponent(chart, 'web', {
    deployType, replicas: 2, containers: [{ image: 'web:1', ports: PORTS }], portSettings,
  });
  return { component, objects: synthValid(chart) };
}

function errorOf(portSettings: ComponentPortSettings[]): string {
  return errorMessageOf(() => synth(portSettings));
}

describe('HTTP port through an Ingress', () => {
  test.each([DeployType.STATELESS_MULTIPLE, DeployType.STATEFUL_MULTIPLE])('on %s: host, path and TLS route to the client Service', (deployType) => {
    const { component, objects } = synth([{
      port: 8080,
      outerAccess: OuterAccess.ingress({
        host: 'shop.example.com',
        path: '/api',
        pathType: IngressPathType.EXACT,
        ingressClassName: 'nginx',
        tlsSecretName: 'shop-tls',
        annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' },
      }),
    }], deployType);
    const ingress = findOne(objects, 'Ingress', 'web-8080');
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(ingress.metadata.namespace).toBe('shop');
    expect(ingress.metadata.annotations['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('8m');
    expect(ingress.metadata.labels['app.kubernetes.io/instance']).toBe('web');
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      rules: [{
        host: 'shop.example.com',
        http: { paths: [{ path: '/api', pathType: 'Exact', backend: { service: { name: component.service!.name, port: { number: 8080 } } } }] },
      }],
      tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
    });
    expect(findAll(objects, 'Service').every(s => (s.spec.type ?? 'ClusterIP') === 'ClusterIP')).toBe(true);
  });

  test('defaults: path / with Prefix, no class, no TLS', () => {
    const ingress = findOne(synth([{ port: 8080, outerAccess: OuterAccess.ingress({ host: '*.example.com' }) }]).objects, 'Ingress');
    expect(ingress.spec.ingressClassName).toBeUndefined();
    expect(ingress.spec.tls).toBeUndefined();
    expect(ingress.spec.rules[0].host).toBe('*.example.com');
    expect(ingress.spec.rules[0].http.paths[0]).toMatchObject({ path: '/', pathType: 'Prefix' });
  });
});

describe('TCP and UDP ports through a Service', () => {
  test('NodePort: a Service with only that port, selecting the pods', () => {
    const { objects } = synth([{ port: 9000, outerAccess: OuterAccess.nodePort({ nodePort: 30900 }) }]);
    const service = findOne(objects, 'Service', 'web-outer-9000');
    expect(service.spec).toEqual({
      type: 'NodePort',
      externalIPs: [],
      ports: [{ name: 'game', port: 9000, targetPort: 9000, nodePort: 30900 }],
      selector: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' },
    });
    expect(findAll(objects, 'Ingress')).toEqual([]);
  });

  test('LoadBalancer for a UDP port, with annotations and source ranges', () => {
    const { objects } = synth([{
      port: 5353,
      outerAccess: OuterAccess.loadBalancer({ annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' }, sourceRanges: ['203.0.113.0/24'] }),
    }]);
    const service = findOne(objects, 'Service', 'web-outer-5353');
    expect(service.metadata.annotations['service.beta.kubernetes.io/aws-load-balancer-type']).toBe('nlb');
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.spec.loadBalancerSourceRanges).toEqual(['203.0.113.0/24']);
    expect(service.spec.ports).toEqual([{ name: 'dns', port: 5353, targetPort: 5353, protocol: 'UDP' }]);
  });

  test('the client Service stays ClusterIP with every port', () => {
    const { component, objects } = synth([{ port: 9000, outerAccess: OuterAccess.loadBalancer() }]);
    const client = findOne(objects, 'Service', component.service!.name);
    expect(client.spec.type).toBe('ClusterIP');
    expect(client.spec.ports.map((p: any) => p.port)).toEqual([8080, 9000, 5353]);
  });

  test('the factories say what they are', () => {
    expect(OuterAccess.nodePort().kind).toBe(OuterAccessKind.NODE_PORT);
    expect(OuterAccess.loadBalancer().kind).toBe(OuterAccessKind.LOAD_BALANCER);
    expect(OuterAccess.ingress({ host: 'a.example.com' }).kind).toBe(OuterAccessKind.INGRESS);
  });
});

describe('refusals', () => {
  test('an Ingress for a UDP port', () => {
    expect(errorOf([{ port: 5353, outerAccess: OuterAccess.ingress({ host: 'dns.example.com' }) }])).toContain(
      '[portSettings[0].outerAccess] port 5353 is UDP; an Ingress carries HTTP, which runs over TCP only. Fix: use OuterAccess.nodePort() or OuterAccess.loadBalancer() for this port.');
  });

  test('a bad host, a relative path, a bad path type and a bad TLS Secret name', () => {
    const message = errorOf([{
      port: 8080, outerAccess: OuterAccess.ingress({ host: 'Shop_Example', path: 'api', pathType: 'Regex' as IngressPathType, tlsSecretName: 'TLS!' }),
    }]);
    expect(message).toContain('[portSettings[0].outerAccess.host] \'Shop_Example\' is not a host name (lowercase DNS name, optionally starting with \'*.\'). Fix: use a DNS name, e.g. \'shop.example.com\'.');
    expect(message).toContain('[portSettings[0].outerAccess.path] \'api\' is not an absolute path. Fix: use a normalized absolute path such as \'/api\'.');
    expect(message).toContain('[portSettings[0].outerAccess.pathType] \'Regex\' is not an Ingress path type. Fix: use one of Prefix, Exact, ImplementationSpecific (IngressPathType enum).');
    expect(message).toContain('[portSettings[0].outerAccess.tlsSecretName] \'TLS!\' is not a valid name (a DNS subdomain');
  });

  test('two ports on one host and path', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    expect(() => new RainbondComponent(chart, 'web', {
      deployType: DeployType.STATELESS_SINGLE,
      containers: [{ image: 'web:1', ports: [{ number: 8080 }, { number: 8081 }] }],
      portSettings: [
        { port: 8080, outerAccess: OuterAccess.ingress({ host: 'shop.example.com' }) },
        { port: 8081, outerAccess: OuterAccess.ingress({ host: 'shop.example.com', path: '/' }) },
      ],
    })).toThrow('[portSettings[1].outerAccess] ports 8080 and 8081 both claim shop.example.com/; the Ingress controller would route it to only one. Fix: give each port its own host or path.');
  });

  test('a node port outside the range, and one node port twice', () => {
    expect(errorOf([{ port: 9000, outerAccess: OuterAccess.nodePort({ nodePort: 8080 }) }])).toContain(
      '[portSettings[0].outerAccess.nodePort] 8080 is outside the cluster\'s NodePort range 30000-32767. Fix:');
    expect(errorOf([
      { port: 9000, outerAccess: OuterAccess.nodePort({ nodePort: 30001 }) },
      { port: 5353, outerAccess: OuterAccess.nodePort({ nodePort: 30001 }) },
    ])).toContain('[portSettings[1].outerAccess.nodePort] node port 30001 is also given for port 9000. Fix: give every port its own node port.');
  });

  test('a bad source range, and something that is not an OuterAccess', () => {
    expect(errorOf([{ port: 9000, outerAccess: OuterAccess.loadBalancer({ sourceRanges: ['everyone'] }) }])).toContain(
      '[portSettings[0].outerAccess.sourceRanges] \'everyone\' is not a CIDR range (');
    expect(errorOf([{ port: 9000, outerAccess: { kind: 'NodePort' } as unknown as OuterAccess }])).toContain(
      '[portSettings[0].outerAccess] is not an OuterAccess. Fix:');
  });

  test('an outer Service name longer than a DNS label', () => {
    const chart = Testing.chart();
    expect(() => new RainbondComponent(chart, 'web', {
      deployType: DeployType.STATELESS_SINGLE,
      componentName: 'a'.repeat(55),
      containers: [{ image: 'web:1', ports: [{ number: 9000 }] }],
      portSettings: [{ port: 9000, outerAccess: OuterAccess.nodePort() }],
    })).toThrow(`the outer Service name '${'a'.repeat(55)}-outer-9000' has 66 characters, more than 63. Fix: shorten componentName.`);
  });
});

describe('outer access of a preset', () => {
  const preset = (portSettings: ComponentPortSettings[]) => {
    const chart = new Chart(Testing.app(), 'kv', { namespace: 'kv' });
    new RainbondComponent(chart, 'kv', { deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3, preset: ClusterPreset.etcd(), portSettings });
    return synthValid(chart);
  };

  test.each([
    ['an Ingress', OuterAccess.ingress({ host: 'kv.example.com' })],
    ['a NodePort', OuterAccess.nodePort()],
    ['a LoadBalancer', OuterAccess.loadBalancer()],
  ])('%s on a member-only port is refused: the client Service does not publish it', (_kind, outerAccess) => {
    expect(errorMessageOf(() => preset([{ port: 2380, outerAccess }]))).toContain('[portSettings[0].outerAccess] port 2380 is not a client port of the preset (2379): '
      + 'the preset keeps it for its members, and the client Service the outer access routes through does not publish it. '
      + 'Fix: open a client port (2379) instead, or remove outerAccess.');
  });

  test('a client port opens', () => {
    const ingress = findOne(preset([{ port: 2379, outerAccess: OuterAccess.ingress({ host: 'kv.example.com' }) }]), 'Ingress', 'kv-2379');
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'kv-client', port: { number: 2379 } });
  });
});
