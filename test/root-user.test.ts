import { Testing } from 'cdk8s';
import { ClusterPreset, DeployType, RainbondComponent } from '../src';
import { synthValid } from './util/synth';

const FIX = 'Fix: run the image as its own numeric user (e.g. securityContext: { user: 999, group: 999, fsGroup: 999 } for the official postgres and mysql images)';

test('root on the pod while runAsNonRoot stays true is refused with what to do instead', () => {
  expect(() => new RainbondComponent(Testing.chart(), 'db', {
    deployType: DeployType.STATEFUL_SINGLE,
    containers: [{ name: 'db', image: 'postgres:16.4', ports: [{ number: 5432 }] }],
    securityContext: { user: 0 },
  })).toThrow(`[securityContext.user] container 'db' would run as root (user 0) while runAsNonRoot stays true, so the kubelet refuses to start it. ${FIX}`);
});

test('root on a container is refused the same way', () => {
  expect(() => new RainbondComponent(Testing.chart(), 'web', {
    deployType: DeployType.STATELESS_SINGLE,
    containers: [{ image: 'web:1' }, { name: 'helper', image: 'helper:1', securityContext: { user: 0 } }],
  })).toThrow('[containers[1].securityContext.user] container \'helper\' would run as root (user 0)');
});

test('the documented way to run an image as root synthesizes, runAsNonRoot off on pod and container', () => {
  const chart = Testing.chart();
  new RainbondComponent(chart, 'legacy', {
    deployType: DeployType.STATELESS_SINGLE,
    containers: [{ image: 'legacy:1', securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: false } }],
    securityContext: { ensureNonRoot: false, user: 0, group: 0 },
  });
  const pod = synthValid(chart).find(o => o.kind === 'Deployment').spec.template.spec;
  expect(pod.securityContext).toMatchObject({ runAsNonRoot: false, runAsUser: 0 });
  expect(pod.containers[0].securityContext).toMatchObject({ runAsNonRoot: false, readOnlyRootFilesystem: false });
});

test('root on an init container, or on a component container after a preset\'s, names the prop it was given at', () => {
  expect(() => new RainbondComponent(Testing.chart(), 'web', {
    deployType: DeployType.STATELESS_SINGLE,
    containers: [{ image: 'web:1' }],
    initContainers: [{ name: 'migrate', image: 'web:1', securityContext: { user: 0 } }],
  })).toThrow('[initContainers[0].securityContext.user] container \'migrate\' would run as root (user 0)');
  expect(() => new RainbondComponent(Testing.chart(), 'kv', {
    deployType: DeployType.STATEFUL_MULTIPLE,
    preset: ClusterPreset.etcd(),
    containers: [{ name: 'backup', image: 'backup:1', securityContext: { user: 0 } }],
  })).toThrow('[containers[0].securityContext.user] container \'backup\' would run as root (user 0)');
});
