/**
 * The pure helpers of the plain rendering: what they hand cdk8s must already be what cdk8s
 * would make of it (no undefined or null keys, no typed values), except values only cdk8s
 * can resolve (a `Lazy`). test/util/renderings.ts proves the manifests equal the cdk8s-plus
 * rendering; these tests pin what reaches cdk8s's resolver before sanitizing.
 */
import { Lazy, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { withFields } from '../src/_objects';
import { plainJson } from '../src/_plain-container';
import { PlainPod, renderDeploymentSpec, renderServiceSpec, renderStatefulSetSpec } from '../src/_plain-workload';

/** Paths of every undefined or null value in a JSON tree. */
function emptyValuePaths(value: unknown, path = '$'): string[] {
  if (value === undefined || value === null) return [path];
  if (typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => emptyValuePaths(item, `${path}[${i}]`));
  return Object.entries(value).flatMap(([key, item]) => emptyValuePaths(item, `${path}.${key}`));
}

/** Paths of every value that is not plain JSON (class instances such as Quantity). */
function typedValuePaths(value: unknown, path = '$'): string[] {
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => typedValuePaths(item, `${path}[${i}]`));
  if (value.constructor !== Object) return [`${path} (${value.constructor.name})`];
  return Object.entries(value).flatMap(([key, item]) => typedValuePaths(item, `${path}.${key}`));
}

describe('plainJson', () => {
  test('leaves out undefined and null keys at every depth and unwraps Quantity and IntOrString', () => {
    const json = plainJson({
      a: undefined,
      b: null,
      c: { d: undefined, e: kplus.k8s.Quantity.fromString('1Gi'), f: [kplus.k8s.IntOrString.fromNumber(8080), { g: undefined, h: 'x' }] },
      i: false,
      j: 0,
      k: '',
    });
    expect(json).toStrictEqual({ c: { e: '1Gi', f: [8080, { h: 'x' }] }, i: false, j: 0, k: '' });
  });

  test('keeps a Lazy (and any other class instance) as it is, for cdk8s to resolve', () => {
    const lazy = Lazy.any({ produce: () => 'late' });
    const json = plainJson({ env: [{ name: 'X', value: lazy }] });
    expect(json.env[0].value).toBe(lazy);
  });

  test('copies: the input is never modified', () => {
    const input = { a: { b: undefined, c: 1 } };
    const json = plainJson(input);
    json.a.c = 2;
    expect(input).toStrictEqual({ a: { b: undefined, c: 1 } });
  });
});

describe('withFields', () => {
  test('is { ...base, ...fields }: same keys, same order, fields win', () => {
    const base = { b: 1, a: 2, c: 3 };
    const merged = withFields(base, { a: 20, d: 4 });
    expect(merged).toStrictEqual({ ...base, ...{ a: 20, d: 4 } });
    expect(Object.keys(merged)).toEqual(['b', 'a', 'c', 'd']);
    expect(base).toStrictEqual({ b: 1, a: 2, c: 3 });
  });

  test('takes an undefined base', () => {
    expect(withFields(undefined, { a: 1 })).toStrictEqual({ a: 1 });
  });
});

describe('the specs handed to cdk8s', () => {
  const pod: PlainPod = {
    labels: { app: 'x' },
    annotations: { 'rainbond.io/deploy-type': 'stateless_multiple' },
    containers: [new kplus.Container({
      image: 'nginx:1.27',
      portNumber: 8080,
      resources: { memory: { request: Size.mebibytes(64) } },
      readiness: kplus.Probe.fromTcpSocket({ port: 8080 }),
    })],
    initContainers: [],
    securityContext: { user: 1000 },
    automountServiceAccountToken: false,
  };
  const identity = { selectorLabels: { 'app.kubernetes.io/name': 'x' }, spreadAcrossNodes: true };

  test('a Deployment spec without a replica count (autoscaled) has no undefined, null or typed value', () => {
    const spec = renderDeploymentSpec({ pod, identity, replicas: undefined, recreate: false }, 'addr');
    expect(emptyValuePaths(spec)).toEqual([]);
    expect(typedValuePaths(spec)).toEqual([]);
    expect('replicas' in spec).toBe(false);
    expect(spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
  });

  test('a StatefulSet spec with claim templates has no undefined, null or typed value', () => {
    const spec = renderStatefulSetSpec({
      pod,
      identity: { ...identity, spreadAcrossNodes: false },
      claimTemplates: [{ name: 'data', storage: '1Gi', accessMode: 'ReadWriteOnce', labels: {}, mountPath: '/data' }],
      replicas: 3,
      serviceName: 'x',
      podManagementPolicy: kplus.PodManagementPolicy.PARALLEL,
    }, 'addr');
    expect(emptyValuePaths(spec)).toEqual([]);
    expect(typedValuePaths(spec)).toEqual([]);
    expect(spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('1Gi');
    expect(spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    expect('affinity' in spec.template.spec).toBe(false);
  });

  test('a Service spec without optional fields has no undefined value', () => {
    const spec = renderServiceSpec({ type: kplus.ServiceType.CLUSTER_IP, ports: [{ port: 80 }], selector: { app: 'x' } });
    expect(emptyValuePaths(spec)).toEqual([]);
    expect(spec.ports).toStrictEqual([{ port: 80 }]);
  });
});
