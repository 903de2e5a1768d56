/**
 * What the API-server fuzzer (test/apiserver/fuzz.atest.ts, issue 24 tier 3) found, each class now
 * refused at synthesis with the component, the prop path and the fix. None needs the control plane;
 * the API server's own message is quoted per class.
 */
import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DeployType, OuterAccess, RainbondComponent, RainbondComponentProps } from '../src';
import { cidrProblem, requestLimitProblem } from '../src/_kube-rules';
import { oneLine } from '../src/_validation';
import { errorMessageOf, synthValid } from './util/synth';

const IMAGE = 'registry.example.com/app:1.2.3';

function build(props: Partial<RainbondComponentProps>): RainbondComponent {
  return new RainbondComponent(Testing.chart(), 'web', {
    deployType: DeployType.STATELESS_SINGLE,
    containers: [{ image: IMAGE, ports: [{ number: 8080 }] }],
    ...props,
  });
}
const refusal = (props: Partial<RainbondComponentProps>) => errorMessageOf(() => build(props));

describe('class 1: a key or name with a line break kept the problem list one problem a line', () => {
  test('an environment variable, a label key and a component name holding a newline', () => {
    const message = errorMessageOf(() => build({
      componentName: 'we\nb',
      labels: { 'a\nb': 'x' },
      containers: [{ image: IMAGE, ports: [{ number: 8080 }], envVariables: { 'A\nB': kplus.EnvValue.fromValue('1') } }],
    }));
    const lines = message.split('\n');
    const header = /^RainbondComponent 'we\\nb' \(.*\) has (\d+) problems:$/.exec(lines[0]);
    expect(header).not.toBeNull();
    expect(lines).toHaveLength(Number(header![1]) + 1);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {2}- \[.+?\] .+ Fix: .+\.$/);
    expect(message).toContain("[containers[0].envVariables.A\\nB] 'A\\nB' is not an environment variable name");
  });

  test('control characters are escaped, other text is kept', () => {
    expect(oneLine('a\r\n\tb\u0007\u2028c ä')).toBe('a\\r\\n\\tb\\u0007\\u2028c ä');
  });
});

describe('class 2: a memory quantity JavaScript writes with an exponent', () => {
  // API server: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
  test('Size.mebibytes of a tiny number renders 1e-7Mi, which is refused', () => {
    expect(Size.mebibytes(1e-7).asString()).toBe('1e-7Mi');
    expect(refusal({ containers: [{ image: IMAGE, ports: [{ number: 8080 }], resources: { memory: { request: Size.mebibytes(1e-7) } } }] }))
      .toMatch(/\[containers\[0\]\.resources\.memory\] the memory request '1e-7Mi' is not a quantity the API server reads .*Fix: /);
  });

  test.each([
    ['1e-7Mi', false], ['1e3', true], ['1E-2', true], ['0.5', true], ['.5Gi', true], ['500m', true], ['2Ki', true], ['1ki', false], ['1Mi1', false], ['1.2.3', false],
  ])('cpu quantity %s reads: %s', (q, ok) => expect(requestLimitProblem('cpu', q, undefined) === undefined).toBe(ok));
});

describe('class 3: a memory quantity that is not a whole number of bytes', () => {
  // API server (warning): "resources.requests[memory]: fractional byte value "23205936876m" is invalid, must be an integer"
  test('Size.mebibytes(22.13) is refused, Size.mebibytes(22) and 0.5Gi are fine', () => {
    const memory = { request: Size.mebibytes(22.13), limit: Size.mebibytes(512) };
    expect(refusal({ containers: [{ image: IMAGE, ports: [{ number: 8080 }], resources: { memory } }] }))
      .toMatch(/\[containers\[0\]\.resources\.memory\] the memory request 22\.13Mi is not a whole number of bytes .*Fix: .*whole bytes/);
    expect(requestLimitProblem('memory', '22Mi', '0.5Gi')).toBeUndefined();
    expect(requestLimitProblem('memory', '1.5', undefined)).toContain('not a whole number of bytes');
    expect(requestLimitProblem('cpu', '1.5', undefined)).toBeUndefined();
  });
});

describe('class 4: a port declared by two containers (or a container and an init container)', () => {
  // API server (warning): "spec.template.spec.containers[1].ports[0]: duplicate port definition with spec.template.spec.containers[0].ports[0]"
  test('is refused, naming both', () => {
    expect(refusal({ containers: [{ image: IMAGE, ports: [{ number: 8080 }] }, { image: IMAGE, name: 'side', ports: [{ number: 8080 }] }] }))
      .toContain('[containers[1].ports[0]] port 8080/TCP is also declared at containers[0].ports[0]');
    expect(refusal({ containers: [{ image: IMAGE, ports: [{ number: 8080 }, { number: 8080, name: 'again' }] }] }))
      .toContain('[containers[0].ports[1]] port 8080/TCP is also declared at containers[0].ports[0]');
  });

  test('an init container on the same port is refused too', () => {
    // API server (warning): "spec.template.spec.containers[0].ports[0]: duplicate port definition with spec.template.spec.initContainers[0].ports[0]"
    expect(refusal({ containers: [{ image: IMAGE, ports: [{ number: 8080 }] }], initContainers: [{ image: IMAGE, name: 'warm', ports: [{ number: 8080 }] }] }))
      .toContain('[initContainers[0].ports[0]] port 8080/TCP is also declared at containers[0].ports[0]');
  });

  test('another protocol is fine', () => {
    const objects = synthValid(Chart.of(build({
      containers: [{ image: IMAGE, ports: [{ number: 8080 }] }, { image: IMAGE, name: 'dns', ports: [{ number: 8080, protocol: kplus.Protocol.UDP }] }],
    })));
    expect(objects.length).toBeGreaterThan(0);
  });
});

describe('class 5: a load balancer source range that is no CIDR the API server accepts', () => {
  // API server: "spec.LoadBalancerSourceRanges[1]: Invalid value: "258.109.0.0/20": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
  test.each([
    ['10.0.0.0/8', undefined], ['0.0.0.0/0', undefined], ['2001:db8::/32', undefined], ['::/0', undefined], ['203.0.113.0/24', undefined],
    ['258.109.0.0/20', 'not a CIDR range'], ['10.0.0.0/33', 'not a CIDR range'], ['2001:db8::/129', 'not a CIDR range'], ['10.0.0.1', 'not a CIDR range'],
    [' 10.0.0.0/8', 'not a CIDR range'], ['010.0.0.0/8', 'not a CIDR range'], ['::ffff:10.0.0.0/104', 'IPv4-mapped'],
    ['10.1.0.0/8', 'bits set after the /8 prefix'], ['2001:db8::1/32', 'bits set after the /32 prefix'],
  ])('%s', (range, problem) => {
    const found = cidrProblem(range);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  test('is refused at the prop', () => {
    expect(refusal({ portSettings: [{ port: 8080, outerAccess: OuterAccess.loadBalancer({ sourceRanges: ['258.109.0.0/20'] }) }] }))
      .toMatch(/\[portSettings\[0\]\.outerAccess\.sourceRanges\] '258\.109\.0\.0\/20' is not a CIDR range .*Fix: use a range such as/);
  });
});

describe('class 6: a value of the wrong type in the outer-access options threw a TypeError', () => {
  // was: "TypeError: Cannot read properties of null (reading 'length') at isDnsSubdomain"
  const ingress = (options: object) => [{ port: 8080, outerAccess: OuterAccess.ingress({ host: 'shop.example.com', ...options } as any) }];
  test.each([
    ['tlsSecretName null', ingress({ tlsSecretName: null }), '[portSettings[0].outerAccess.tlsSecretName] must be a string, got null, as a Secret name must be. Fix: '],
    ['ingress options null', [{ port: 8080, outerAccess: OuterAccess.ingress(null as any) }], '[portSettings[0].outerAccess] the Ingress options are null. Fix: '],
    ['an annotation value that is a number', ingress({ annotations: { 'example.com/a': 1 } }),
      '[portSettings[0].outerAccess.annotations.example.com/a] the annotation value must be a string, got number 1. Fix: quote the value.'],
    ['annotations that are an array', ingress({ annotations: ['a'] }), '[portSettings[0].outerAccess.annotations] must be an object of strings, got an array. Fix: '],
    ['source ranges that are a number', [{ port: 8080, outerAccess: OuterAccess.loadBalancer({ sourceRanges: 42 as any }) }],
      '[portSettings[0].outerAccess.sourceRanges] must be an array of CIDR ranges, got number 42. Fix: '],
  ])('%s', (_, portSettings, expected) => {
    expect(refusal({ portSettings })).toContain(expected);
  });
});

describe('class 7: a pod-level user 0 while every container sets its own user', () => {
  // API server (PodSecurity, restricted): 'would violate PodSecurity "restricted:latest": runAsUser=0 (pod must not set runAsUser=0)'
  test('is refused at securityContext.user', () => {
    expect(refusal({ securityContext: { user: 0 }, containers: [{ image: IMAGE, ports: [{ number: 8080 }], securityContext: { user: 1000 } }] }))
      .toContain('[securityContext.user] the pod sets user 0 while it keeps runAsNonRoot; every container sets its own user, but the restricted Pod Security profile refuses');
  });

  test('a container without its own user is reported once, as before', () => {
    const message = refusal({ securityContext: { user: 0 } });
    expect(message).toContain('has 1 problem:');
    expect(message).toContain("[securityContext.user] container '0' would run as root (user 0)");
  });

  test('the documented escape hatch (ensureNonRoot off) is left alone', () => {
    const containers = [{ image: IMAGE, ports: [{ number: 8080 }], securityContext: { user: 1000 } }];
    expect(() => build({ securityContext: { user: 0, ensureNonRoot: false }, containers })).not.toThrow();
  });
});
