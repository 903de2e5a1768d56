/**
 * `renderContainer` writes a container's manifest straight from the cdk8s-plus `Container`; it
 * must equal what cdk8s-plus renders (`plainJson(container._toKube())`), field for field and key
 * for key, for every kind of field a container can have.
 */
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { plainJson, renderContainer } from '../src/_plain-container';

const scope = new Chart(new App(), 'containers');
const secret = kplus.Secret.fromSecretName(scope, 'Secret', 'db-credentials');
const configMap = kplus.ConfigMap.fromConfigMapName(scope, 'Config', 'settings');
const data = kplus.Volume.fromEmptyDir(scope, 'Data', 'data');
const certs = kplus.Volume.fromSecret(scope, 'Certs', secret, { name: 'certs' });

/** cdk8s-plus's own rendering of the container, with `extraMounts` appended as the plain rendering did before. */
function cdk8sPlusRendering(container: kplus.Container, extraMounts: any[] = []): any {
  const kube = plainJson(container._toKube());
  if (extraMounts.length > 0) kube.volumeMounts = [...kube.volumeMounts ?? [], ...extraMounts];
  return kube;
}

/** Equal values and the same key order at every depth (the order a CDK8S_DISABLE_SORT synthesis keeps). */
function expectSameJson(actual: unknown, expected: unknown): void {
  expect(actual).toStrictEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

const containers: { [name: string]: () => kplus.Container } = {
  'the least a container has': () => new kplus.Container({ image: 'nginx:1.27' }),
  'every field': () => {
    const container = new kplus.Container({
      name: 'app',
      image: 'example/app:1.0',
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      ports: [
        { number: 8080, name: 'http' },
        { number: 9000, name: 'metrics', protocol: kplus.Protocol.UDP, hostPort: 19000, hostIp: '127.0.0.1' },
      ],
      command: ['/bin/app'],
      args: ['--serve', '--port=8080'],
      workingDir: '/srv',
      envVariables: {
        PLAIN: kplus.EnvValue.fromValue('value'),
        EMPTY: kplus.EnvValue.fromValue(''),
        POD: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
        NODE: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME, { apiVersion: 'v1' }),
        PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }, { optional: true }),
        SETTING: kplus.EnvValue.fromConfigMap(configMap, 'setting'),
        CPU: kplus.EnvValue.fromResource(kplus.ResourceFieldPaths.CPU_LIMIT, { divisor: '1m' }),
      },
      envFrom: [kplus.Env.fromConfigMap(configMap, 'CFG_'), kplus.Env.fromSecret(secret)],
      volumeMounts: [
        { path: '/data', volume: data },
        { path: '/certs', volume: certs, readOnly: true, subPath: 'tls', propagation: kplus.MountPropagation.HOST_TO_CONTAINER },
        { path: '/logs', volume: data, subPathExpr: '$(POD)' },
      ],
      readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080, initialDelaySeconds: Duration.seconds(5) }),
      liveness: kplus.Probe.fromCommand(['/bin/check'], { periodSeconds: Duration.seconds(20), failureThreshold: 5 }),
      startup: kplus.Probe.fromTcpSocket({ port: 8080 }),
      lifecycle: { postStart: kplus.Handler.fromCommand(['/bin/warm']), preStop: kplus.Handler.fromHttpGet('/drain', { port: 8080 }) },
      resources: {
        cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(2) },
        memory: { request: Size.mebibytes(256), limit: Size.gibibytes(1) },
        ephemeralStorage: { request: Size.gibibytes(1), limit: Size.gibibytes(4) },
      },
      securityContext: {
        user: 1001,
        group: 1001,
        readOnlyRootFilesystem: false,
        capabilities: { drop: [kplus.Capability.ALL], add: [kplus.Capability.NET_BIND_SERVICE] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
    });
    container.env.addVariable('LATE', kplus.EnvValue.fromValue('added after construction'));
    return container;
  },
  'requests only, one hook': () => new kplus.Container({
    image: 'example/worker:1.0',
    resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(64) } },
    lifecycle: { preStop: kplus.Handler.fromCommand(['sleep', '5']) },
  }),
  'limits only, a port (cdk8s-plus adds its default startup probe)': () => new kplus.Container({
    image: 'example/api:1.0',
    portNumber: 8080,
    resources: { memory: { limit: Size.mebibytes(512) } },
  }),
  'a sidecar init container': () => new kplus.Container({
    name: 'proxy',
    image: 'example/proxy:1.0',
    restartPolicy: kplus.ContainerRestartPolicy.ALWAYS,
    readiness: kplus.Probe.fromTcpSocket({ port: 15000 }),
  }),
};

describe('renderContainer', () => {
  test.each(Object.keys(containers))('is cdk8s-plus\'s rendering: %s', name => {
    const container = containers[name]();
    expectSameJson(renderContainer(container, []), cdk8sPlusRendering(container));
  });

  test.each(Object.keys(containers))('appends a StatefulSet\'s claim-template mounts where cdk8s-plus\'s rendering had them: %s', name => {
    const container = containers[name]();
    const claimMounts = [{ name: 'data-claim', mountPath: '/var/lib/claim' }];
    expectSameJson(renderContainer(container, claimMounts), cdk8sPlusRendering(container, claimMounts));
  });

  test('holds no undefined, null or typed values (what cdk8s would otherwise resolve one by one)', () => {
    const rendered = JSON.parse(JSON.stringify(renderContainer(containers['every field'](), [])));
    expect(renderContainer(containers['every field'](), [])).toStrictEqual(rendered);
  });

  test('writes the manifest itself: cdk8s-plus\'s _toKube is not called', () => {
    const container = containers['every field']();
    const toKube = jest.spyOn(container, '_toKube');
    renderContainer(container, []);
    expect(toKube).not.toHaveBeenCalled();
  });

  test('a container without the members it reads (another build of cdk8s-plus-28) is rendered by cdk8s-plus itself', () => {
    const container = containers['every field']();
    const inherited = Object.create(container) as kplus.Container; // the same container, its members not its own
    const toKube = jest.spyOn(inherited, '_toKube');
    expectSameJson(renderContainer(inherited, []), cdk8sPlusRendering(container));
    expect(toKube).toHaveBeenCalledTimes(1);
  });
});
