/**
 * Input that synthesizes into objects the API server refuses is refused at synthesis instead, with the
 * component, the prop path and the fix (issue: third new-user trial, class 1). Each case would reach
 * the API server without the rule; the rules mirror Kubernetes' own validation (src/_kube-rules.ts).
 */
import { Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ClusterPreset, DeployType, OuterAccess, RainbondComponent, RainbondComponentProps, VolumeType } from '../src';
import {
  ingressHostProblem, ingressPathProblem, labelValueProblem, portNameProblem, qualifiedNameProblem, requestLimitProblem,
} from '../src/_kube-rules';
import { errorMessageOf, findOne } from './util/synth';

const IMAGE = 'registry.example.com/app:1.2.3';

/** The error of a component with `props` (a stateless single web container on 8080 unless overridden). */
function refusal(props: Partial<RainbondComponentProps>): string {
  return errorMessageOf(() => new RainbondComponent(Testing.chart(), 'web', {
    deployType: DeployType.STATELESS_SINGLE,
    containers: [{ image: IMAGE, ports: [{ number: 8080 }] }],
    ...props,
  }));
}

describe('Kubernetes validation rules, mirrored', () => {
  test.each([
    ['http', undefined], ['metrics-2', undefined], ['a', undefined],
    ['very-long-port-name', 'has 19 characters'], ['HTTP', 'only lowercase'], ['8080', 'at least one letter'],
    ['my--port', "'--'"], ['-http', "start or end with '-'"],
  ])('port name %s', (name, problem) => {
    const found = portNameProblem(name);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  test.each([
    ['team', true], ['example.com/team', true], ['app.kubernetes.io/name', true], ['a_b.c', true],
    ['', false], ['-team', false], ['Example.com/team', false], ['example.com/', false], [`${'a'.repeat(64)}`, false], ['a/b/c', false],
  ])('qualified name %s', (key, valid) => expect(qualifiedNameProblem(key) === undefined).toBe(valid));

  test.each([['', true], ['v1.2_3', true], ['shop web', false], ['-x', false], ['x'.repeat(64), false]])(
    'label value %s', (value, valid) => expect(labelValueProblem(value) === undefined).toBe(valid));

  test('Ingress host, path', () => {
    expect(ingressHostProblem('shop.example.com')).toBeUndefined();
    expect(ingressHostProblem('*.example.com')).toBeUndefined();
    expect(ingressHostProblem('203.0.113.7')).toContain('is an IP address');
    expect(ingressPathProblem('/api', false)).toBeUndefined();
    expect(ingressPathProblem('/a/../b', false)).toContain("contains '/../'");
    expect(ingressPathProblem('/a//b', false)).toContain("contains '//'");
    expect(ingressPathProblem('/a/.', false)).toContain("ends with '/.'");
    expect(ingressPathProblem('/a/../b', true)).toBeUndefined();
    expect(ingressPathProblem('api', true)).toContain('not an absolute path');
  });

  test('request and limit', () => {
    expect(requestLimitProblem('cpu', '250m', '1')).toBeUndefined();
    expect(requestLimitProblem('cpu', '1', '1000m')).toBeUndefined();
    expect(requestLimitProblem('memory', '1Gi', '512Mi')).toBe('the memory request 1Gi is above its limit 512Mi');
    expect(requestLimitProblem('cpu', '-100m', undefined)).toBe('the cpu request -100m is negative');
    expect(requestLimitProblem('cpu', 'lots', undefined)).toMatch(/^the cpu request 'lots' is not a quantity the API server reads/);
  });
});

describe('refused at synthesis, naming the component, the prop and the fix', () => {
  test('a container port name that is no IANA service name', () => {
    const message = refusal({ containers: [{ image: IMAGE, ports: [{ number: 8080, name: 'http-frontend-v2' }] }] });
    expect(message).toMatch(/^RainbondComponent 'web' \(test\/web, deploy type stateless_singleton\) has 1 problem:/);
    expect(message).toContain("[containers[0].ports[0].name] 'http-frontend-v2' has 16 characters; a port name has at most 15; a container port name must be an IANA service name");
    expect(message).toContain('Fix: use a short name such as');
  });

  test('port numbers outside 1-65535, also as portNumber', () => {
    expect(refusal({ containers: [{ image: IMAGE, ports: [{ number: 70000 }] }] })).toContain('[containers[0].ports[0].number] 70000 is not a port number (1 to 65535)');
    expect(refusal({ containers: [{ image: IMAGE, portNumber: 0 }] })).toContain('[containers[0].portNumber] 0 is not a port number');
  });

  test('label keys and values, annotation keys', () => {
    const message = refusal({ labels: { 'team name': 'shop', 'tier': 'front end' }, podAnnotations: { 'example.com//owner': 'a' } });
    expect(message).toContain("[labels.team name] the label key 'team name' is not a qualified name");
    expect(message).toContain("[labels.tier] the label value 'front end' is not a label value");
    expect(message).toContain('[podAnnotations.example.com//owner] the annotation key');
  });

  test('a request above its limit, and a negative quantity', () => {
    const message = refusal({
      containers: [{
        image: IMAGE,
        ports: [{ number: 8080 }],
        resources: { memory: { request: Size.gibibytes(2), limit: Size.gibibytes(1) }, cpu: { request: kplus.Cpu.millis(-100) } },
      }],
    });
    expect(message).toContain('[containers[0].resources.cpu] the cpu request -100m is negative');
    expect(message).toContain('[containers[0].resources.memory] the memory request 2Gi is above its limit 1Gi');
  });

  test('ephemeral storage: a request above its limit, and a size cdk8s-plus-28 cannot write in whole GiB', () => {
    const container = (ephemeralStorage: object) => ({ image: IMAGE, ports: [{ number: 8080 }], resources: { ephemeralStorage } });
    expect(refusal({ containers: [container({ request: Size.gibibytes(2), limit: Size.gibibytes(1) })] }))
      .toContain('[containers[0].resources.ephemeralStorage] the ephemeral-storage request 2Gi is above its limit 1Gi. Fix: give an ephemeralStorage request at or below its limit');
    expect(refusal({ containers: [container({ request: Size.mebibytes(512) })] }))
      .toContain('[containers[0].resources.ephemeralStorage.request] 512Mi is not a whole number of GiB, the unit cdk8s-plus-28 writes ephemeral-storage in. Fix:');
  });

  test('memory that is not a whole number of MiB is refused before cdk8s-plus-28 fails to write it', () => {
    const memory = { request: Size.kibibytes(512), limit: Size.mebibytes(64) };
    expect(refusal({ containers: [{ image: IMAGE, ports: [{ number: 8080 }], resources: { memory } }] }))
      .toContain('[containers[0].resources.memory.request] 512Ki is not a whole number of MiB, the unit cdk8s-plus-28 writes memory in. Fix:');
  });

  test('a quantity given as a string instead of a kplus.Cpu or a Size is refused, not dropped', () => {
    const message = refusal({
      initContainers: [{ image: IMAGE, resources: { cpu: { request: '250m', limit: '1' }, memory: { limit: '1Gi' } } as any }],
    });
    expect(message).toContain('[initContainers[0].resources.cpu.request] must be a kplus.Cpu, got the string \'250m\'. Fix: give e.g. request kplus.Cpu.millis(250), limit kplus.Cpu.units(1).');
    expect(message).toContain('[initContainers[0].resources.cpu.limit] must be a kplus.Cpu, got the string \'1\'.');
    expect(message).toContain('[initContainers[0].resources.memory.limit] must be a cdk8s Size, got the string \'1Gi\'. Fix: give e.g. request Size.mebibytes(256), limit Size.mebibytes(512).');
  });

  test('a preset\'s resources with a request above the limit name the preset\'s container', () => {
    const message = errorMessageOf(() => new RainbondComponent(Testing.chart(), 'kv', {
      deployType: DeployType.STATEFUL_MULTIPLE,
      preset: ClusterPreset.etcd({ resources: { memory: { request: Size.gibibytes(4), limit: Size.gibibytes(2) } } }),
    }));
    expect(message).toContain('[preset containers[0].resources.memory] the memory request 4Gi is above its limit 2Gi');
  });

  test('a storage class name that is no DNS subdomain', () => {
    expect(refusal({ volumes: [{ name: 'data', mountPath: '/data', storageClassName: 'Fast_SSD' }] }))
      .toContain("[volumes[0].storageClassName] 'Fast_SSD' is not a valid name");
  });

  test('an Ingress host that is an IP address, a class name and a path the API server refuses', () => {
    const message = refusal({
      portSettings: [{ port: 8080, outerAccess: OuterAccess.ingress({ host: '203.0.113.7', path: '/shop/../admin', ingressClassName: 'Nginx Public' }) }],
    });
    expect(message).toContain("[portSettings[0].outerAccess.host] '203.0.113.7' is an IP address; an Ingress host must be a DNS name");
    expect(message).toContain("[portSettings[0].outerAccess.path] '/shop/../admin' contains '/../'");
    expect(message).toContain("[portSettings[0].outerAccess.ingressClassName] 'Nginx Public' is not a valid name");
  });

  test('a defaulted container name equal to a given one, and a default name past 63 characters', () => {
    expect(refusal({ containers: [{ image: IMAGE, ports: [{ number: 8080 }] }, { image: IMAGE, name: 'web' }] }))
      .toContain("[containers[1].name] 'web' is also the name of containers[0]. Fix: give every container and init container its own name.");
    expect(refusal({ containers: [{ image: IMAGE, ports: [{ number: 8080 }], name: 'web-1' }, { image: IMAGE }] }))
      .toContain("[containers[1].name] 'web-1' is also the name of containers[0] (this container's default name)");
    const long = 'a'.repeat(56);
    const initContainers = Array.from({ length: 11 }, () => ({ image: IMAGE, command: ['true'] }));
    expect(refusal({ componentName: long, initContainers }))
      .toContain(`[initContainers[10].name] the default name '${long}-init-10' is longer than 63 characters`);
  });

  test('user and group ids outside 0-2147483647', () => {
    const message = refusal({ securityContext: { user: -1, group: 2 ** 31 } });
    expect(message).toContain('[securityContext.user] -1 is not a user or group id');
    expect(message).toContain('[securityContext.group] 2147483648 is not a user or group id');
    expect(refusal({ containers: [{ image: IMAGE, ports: [{ number: 8080 }], securityContext: { user: 1.5 } }] }))
      .toContain('[containers[0].securityContext.user] 1.5 is not a user or group id');
  });

  test('an env value given as a plain string', () => {
    const message = refusal({ containers: [{ image: IMAGE, ports: [{ number: 8080 }], envVariables: { MODE: 'production' as unknown as kplus.EnvValue } }] });
    expect(message).toContain("[containers[0].envVariables.MODE] the value is the string 'production', not a kplus.EnvValue, so the variable would render without a value. Fix: use kplus.EnvValue.fromValue('production')");
  });

  test('an empty image', () => {
    expect(refusal({ containers: [{ image: '', ports: [{ number: 8080 }] }] })).toContain("[containers[0].image] must name an image, got the string ''");
  });

  test('valid values of every class still synthesize', () => {
    const chart = Testing.chart();
    new RainbondComponent(chart, 'web', {
      deployType: DeployType.STATELESS_MULTIPLE,
      replicas: 2,
      labels: { 'example.com/team': 'shop', 'tier': 'front-end' },
      podAnnotations: { 'prometheus.io/Scrape': 'true' },
      containers: [{
        image: IMAGE,
        ports: [{ number: 8080, name: 'http' }],
        envVariables: { 'MODE': kplus.EnvValue.fromValue('production'), 'my.setting': kplus.EnvValue.fromValue('1') },
        resources: { cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(1) } },
      }],
      volumes: [{ name: 'data', mountPath: '/data', storageClassName: 'fast-ssd.example', type: VolumeType.SHARE_FILE }],
      portSettings: [{ port: 8080, outerAccess: OuterAccess.ingress({ host: 'shop.example.com', path: '/api', ingressClassName: 'nginx' }) }],
    });
    const deployment = findOne(Testing.synth(chart), 'Deployment', 'web');
    expect(deployment.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 8080, name: 'http' }]);
  });
});

describe('enum values and types a caller in another language can get wrong', () => {
  test('a value outside its enum is refused, with the values to use', () => {
    const message = refusal({
      deployType: DeployType.STATEFUL_MULTIPLE,
      podManagementPolicy: 'Whatever' as kplus.PodManagementPolicy,
      securityContext: { fsGroupChangePolicy: 'Sometimes' as kplus.FsGroupChangePolicy },
      containers: [{
        image: IMAGE,
        imagePullPolicy: 'Sometimes' as kplus.ImagePullPolicy,
        ports: [{ number: 8080, protocol: 'udp' as kplus.Protocol }, { number: 8081, protocol: 'HTTP' as kplus.Protocol }],
      }],
    });
    expect(message).toContain('[podManagementPolicy] \'Whatever\' is not a pod management policy. Fix: use one of OrderedReady, Parallel (PodManagementPolicy enum).');
    expect(message).toContain('[securityContext.fsGroupChangePolicy] \'Sometimes\' is not an fsGroup change policy. Fix: use one of OnRootMismatch, Always (FsGroupChangePolicy enum).');
    expect(message).toContain('[containers[0].imagePullPolicy] \'Sometimes\' is not an image pull policy. Fix: use one of Always, IfNotPresent, Never (ImagePullPolicy enum).');
    expect(message).toContain('[containers[0].ports[0].protocol] \'udp\' is not a port protocol. Fix: use one of TCP, UDP, SCTP (Protocol enum).');
    expect(message).toContain('[containers[0].ports[1].protocol] \'HTTP\' is not a port protocol.');
  });

  test('an image with spaces around it is refused', () => {
    expect(refusal({ containers: [{ image: ` ${IMAGE}`, ports: [{ number: 8080 }] }] }))
      .toContain(`[containers[0].image] ' ${IMAGE}' has leading or trailing whitespace, which the API server refuses. Fix: remove the spaces.`);
  });

  test('a termination grace period that is no Duration, or not whole seconds, is refused before cdk8s fails to write it', () => {
    expect(refusal({ terminationGracePeriod: 30 as unknown as Duration }))
      .toContain('[terminationGracePeriod] must be a cdk8s Duration, got number 30. Fix: give e.g. Duration.seconds(30).');
    expect(refusal({ terminationGracePeriod: Duration.millis(1500) }))
      .toContain('[terminationGracePeriod] must be a whole number of seconds, 0 or more (the pod spec counts it in seconds). Fix: give e.g. Duration.seconds(30).');
  });
});

describe('labels and annotations the component writes itself', () => {
  test('a label the component writes over, with another value, is refused; the same value is fine', () => {
    const message = refusal({ labels: { 'app.kubernetes.io/name': 'shop', 'app.kubernetes.io/managed-by': 'helm' } });
    expect(message).toContain("[labels.app.kubernetes.io/name] the component writes app.kubernetes.io/name: web on every object, over 'shop'. "
      + 'Fix: remove app.kubernetes.io/name from labels (a label of another key carries your value).');
    expect(message).toContain("[labels.app.kubernetes.io/managed-by] the component writes app.kubernetes.io/managed-by: cdk8s-rainbond on every object, over 'helm'.");
    const chart = Testing.chart();
    new RainbondComponent(chart, 'web', {
      deployType: DeployType.STATELESS_SINGLE, containers: [{ image: IMAGE, ports: [{ number: 8080 }] }], labels: { 'app.kubernetes.io/name': 'web', 'team': 'shop' },
    });
    expect(findOne(Testing.synth(chart), 'Deployment').metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'web', 'team': 'shop' });
  });

  test('a pod annotation the component writes itself is refused', () => {
    const message = refusal({ podAnnotations: { 'rainbond.io/deploy-type': 'state_multiple', 'rainbond.io/config-checksum': 'x' } });
    expect(message).toContain('[podAnnotations.rainbond.io/deploy-type] the component writes rainbond.io/deploy-type on its pods itself. Fix: remove rainbond.io/deploy-type from podAnnotations.');
    expect(message).toContain('[podAnnotations.rainbond.io/config-checksum] the component writes rainbond.io/config-checksum on its pods itself.');
  });
});
