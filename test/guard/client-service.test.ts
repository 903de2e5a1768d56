import { findingsOf } from './synth';
import { GuardRule, GuardSeverity, ManifestGuard } from '../../src/guard';

/** Hand-written YAML fixtures: the naming of the synthesized client Service is changing in parallel. */
const HEADER = (kind: string, name: string, deployType: string) => `apiVersion: ${kind === 'Service' ? 'v1' : 'apps/v1'}
kind: ${kind}
metadata:
  name: ${name}
  namespace: shop
  annotations:
    rainbond.io/component: web
    rainbond.io/deploy-type: ${deployType}`;

const deployment = `${HEADER('Deployment', 'web', 'stateless_multiple')}
spec:
  replicas: 2
  selector: {matchLabels: {app.kubernetes.io/name: web}}
  template:
    metadata: {labels: {app.kubernetes.io/name: web}}
    spec: {containers: [{name: web, image: 'nginx:1.27'}]}
`;

const statefulSet = `${HEADER('StatefulSet', 'web', 'state_multiple')}
spec:
  replicas: 2
  serviceName: web
  selector: {matchLabels: {app.kubernetes.io/name: web}}
  template:
    metadata: {labels: {app.kubernetes.io/name: web}}
    spec: {containers: [{name: web, image: 'nginx:1.27'}]}
`;

const clusterIpService = (name: string, deployType: string) => `${HEADER('Service', name, deployType)}
spec:
  selector: {app.kubernetes.io/name: web}
  ports: [{name: http, port: 8080, targetPort: 8080}]
`;

const headlessService = `${HEADER('Service', 'web', 'state_multiple')}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector: {app.kubernetes.io/name: web}
  ports: [{name: http, port: 8080, targetPort: 8080}]
`;

const docs = (...parts: string[]) => parts.join('---\n');

describe('client-service-renamed', () => {
  test('<name> -> <name>-client (a stateless component on a newer release) is blocking with the alias steps', () => {
    const report = ManifestGuard.compare(
      docs(deployment, clusterIpService('web', 'stateless_multiple')),
      docs(deployment, clusterIpService('web-client', 'stateless_multiple')));
    const [finding] = findingsOf(report, GuardRule.CLIENT_SERVICE_RENAMED);
    expect(finding.severity).toBe(GuardSeverity.BLOCKING);
    expect(finding.objects).toEqual(['Service shop/web', 'Service shop/web-client']);
    expect(finding.message).toBe('the client Service of web is renamed from web to web-client: clients and dependants that connect to web.shop.svc '
      + 'break once the old Service is gone (a pruning apply deletes it)');
    expect(finding.steps[0]).toContain('Keep the old address working: add a Service named web with the same selector and ports');
    expect(finding.steps[1]).toBe('Move every client and dependant (connection strings, environment, config) from web.shop.svc to web-client.shop.svc');
    expect(finding.steps[2]).toBe('Once nothing uses web, remove the alias');
    expect(report.blocked).toBe(true);
    const allowed = ManifestGuard.compare(
      docs(deployment, clusterIpService('web', 'stateless_multiple')),
      docs(deployment, clusterIpService('web-client', 'stateless_multiple')), { allow: ['client-service-renamed:shop/web'] });
    expect(allowed.blocked).toBe(false);
  });

  test('<name>-client -> <name> (the other direction) is blocking too', () => {
    const report = ManifestGuard.compare(
      docs(deployment, clusterIpService('web-client', 'stateless_multiple')),
      docs(deployment, clusterIpService('web', 'stateless_multiple')));
    const [finding] = findingsOf(report, GuardRule.CLIENT_SERVICE_RENAMED);
    expect(finding.message).toContain('renamed from web-client to web');
    expect(finding.steps[1]).toContain('from web-client.shop.svc to web.shop.svc');
  });

  test('stateless (old naming) -> stateful: the old name becomes the headless Service, so clients must move first', () => {
    const report = ManifestGuard.compare(
      docs(deployment, clusterIpService('web', 'stateless_multiple')),
      docs(statefulSet, headlessService, clusterIpService('web-client', 'state_multiple')));
    const [finding] = findingsOf(report, GuardRule.CLIENT_SERVICE_RENAMED);
    expect(finding.steps[0]).toBe('web becomes the headless governing Service: its DNS name now returns pod IPs instead of one virtual IP, '
      + 'so clients that need the cluster IP must move to web-client.shop.svc before the apply');
    expect(finding.steps.join('\n')).not.toContain('alias');
  });

  test('a stable client Service name across a deploy-type switch is not a rename', () => {
    const report = ManifestGuard.compare(
      docs(deployment, clusterIpService('web-client', 'stateless_multiple')),
      docs(statefulSet, headlessService, clusterIpService('web-client', 'state_multiple')));
    expect(findingsOf(report, GuardRule.CLIENT_SERVICE_RENAMED)).toEqual([]);
  });

  test('an unchanged stateful component, and a component losing its only Service, are not renames', () => {
    const stateful = docs(statefulSet, headlessService, clusterIpService('web-client', 'state_multiple'));
    expect(findingsOf(ManifestGuard.compare(stateful, stateful), GuardRule.CLIENT_SERVICE_RENAMED)).toEqual([]);
    const noService = ManifestGuard.compare(docs(deployment, clusterIpService('web', 'stateless_multiple')), deployment);
    expect(findingsOf(noService, GuardRule.CLIENT_SERVICE_RENAMED)).toEqual([]);
  });
});
