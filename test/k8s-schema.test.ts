import { k8sSchema } from './util/synth';

const validStatefulSet = () => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'db', namespace: 'default' },
  spec: {
    serviceName: 'db',
    selector: { matchLabels: { app: 'db' } },
    template: {
      metadata: { labels: { app: 'db' } },
      spec: { containers: [{ name: 'db', image: 'db:1', ports: [{ containerPort: 5432 }] }] },
    },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  },
});

describe('strict Kubernetes 1.28 validator', () => {
  test('reads the 1.28 type metadata shipped with cdk8s-plus-28', () => {
    expect(k8sSchema().definitionCount).toBe(582);
  });

  test('accepts a valid StatefulSet', () => {
    expect(k8sSchema().errors(validStatefulSet())).toEqual([]);
  });

  test('rejects a misspelled field', () => {
    const object: any = validStatefulSet();
    object.spec.template.spec.containers[0].imagePullPolcy = 'Always';
    expect(k8sSchema().errors(object)).toEqual([
      "StatefulSet db: /spec/template/spec/containers/0 must NOT have additional properties 'imagePullPolcy'",
    ]);
  });

  test('rejects a missing required field', () => {
    const object: any = validStatefulSet();
    delete object.spec.selector;
    delete object.spec.template.spec.containers[0].name;
    expect(k8sSchema().errors(object)).toEqual(expect.arrayContaining([
      "StatefulSet db: /spec must have required property 'selector'",
      "StatefulSet db: /spec/template/spec/containers/0 must have required property 'name'",
    ]));
  });

  test('rejects a wrong type and an unknown kind', () => {
    const object: any = validStatefulSet();
    object.spec.replicas = '3';
    expect(k8sSchema().errors(object)).toEqual(['StatefulSet db: /spec/replicas must be number']);
    expect(k8sSchema().errors({ apiVersion: 'apps/v1', kind: 'StatefulSett', metadata: { name: 'x' } }))
      .toEqual(["no Kubernetes 1.28 schema for apiVersion/kind 'apps/v1/StatefulSett'"]);
  });

  test('knows the JSON names the API uses, not the TypeScript ones', () => {
    const object: any = validStatefulSet();
    object.spec.template.spec.containers[0].resources = { limits: { cpu: '1' }, requests: { memory: 1024 } };
    expect(k8sSchema().errors(object)).toEqual([]);
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, ports: [{ port: 80, targetPort: 'http' }] },
    };
    expect(k8sSchema().errors(service)).toEqual([]);
    expect(k8sSchema().errors({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { maxUnavailable: 1.5 } }))
      .toEqual(expect.arrayContaining([expect.stringMatching(/maxUnavailable/)]));
  });
});
