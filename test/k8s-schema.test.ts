import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing, ApiObject } from 'cdk8s';
import { describeMinors, K8sSchema, KUBERNETES_MINORS, SERVER_RELEASES } from './util/k8s-schema';
import { k8sSchema } from './util/synth';
import { isKubernetesGroup } from './util/validate-every-synth';

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

const v128 = () => new K8sSchema(28);

describe('strict Kubernetes validator, one minor', () => {
  test('reads 1.28 to 1.34 from the cdk8s-plus packages, 1.35 to 1.37 from real API servers\' OpenAPI v3', () => {
    // Type counts of the k8s modules of cdk8s-plus-28 2.5.6 … cdk8s-plus-34 2.0.54 (pinned dev dependencies),
    // then the schemas kept from the documents of kube-apiserver 1.35.4, 1.36.3 and 1.37.2.
    expect(KUBERNETES_MINORS.map(m => new K8sSchema(m).definitionCount)).toEqual([582, 585, 635, 638, 644, 721, 748, 351, 355, 372]);
    expect(SERVER_RELEASES).toEqual({ 35: '1.35.4', 36: '1.36.3', 37: '1.37.2' });
    expect(KUBERNETES_MINORS.map(m => new K8sSchema(m).serverRelease ?? '-')).toEqual(['-', '-', '-', '-', '-', '-', '-', '1.35.4', '1.36.3', '1.37.2']);
    for (const release of Object.values(SERVER_RELEASES)) {
      const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'kubernetes-openapi', `v${release}.json`), 'utf8'));
      expect(fixture.source).toContain(`kube-apiserver v${release} built from k8s.io/kubernetes`);
      expect(fixture.kinds['apps/v1/StatefulSet']).toBe('io.k8s.api.apps.v1.StatefulSet');
    }
    expect(() => new K8sSchema(27)).toThrow('no schema for Kubernetes 1.27; supported: 1.28, 1.29, 1.30, 1.31, 1.32, 1.33, 1.34, 1.35, 1.36, 1.37');
  });

  test('a server\'s schema is as strict as the jsii one, and checks enums and integers too', () => {
    const v137 = new K8sSchema(37);
    expect(v137.errors(validStatefulSet())).toEqual([]);
    const misspelled: any = validStatefulSet();
    misspelled.spec.template.spec.containers[0].imagePullPolcy = 'Always';
    expect(v137.errors(misspelled)).toEqual([
      "StatefulSet db: /spec/template/spec/containers/0 must NOT have additional properties 'imagePullPolcy'",
    ]);
    const wrongEnum: any = validStatefulSet();
    wrongEnum.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes';
    expect(v137.errors(wrongEnum)).toEqual(['StatefulSet db: /spec/template/spec/containers/0/imagePullPolicy must be equal to one of the allowed values']);
    expect(v128().errors(wrongEnum)).toEqual([]);
    const missing: any = validStatefulSet();
    delete missing.spec.template.spec.containers[0].name;
    expect(v137.errors(missing)).toEqual(["StatefulSet db: /spec/template/spec/containers/0 must have required property 'name'"]);
    expect(v137.errors({ apiVersion: 'apps/v1', kind: 'StatefulSett', metadata: { name: 'x' } })).toEqual(["unknown apiVersion/kind 'apps/v1/StatefulSett'"]);
  });

  test('accepts a valid StatefulSet', () => {
    expect(v128().errors(validStatefulSet())).toEqual([]);
  });

  test('rejects a misspelled field', () => {
    const object: any = validStatefulSet();
    object.spec.template.spec.containers[0].imagePullPolcy = 'Always';
    expect(v128().errors(object)).toEqual([
      "StatefulSet db: /spec/template/spec/containers/0 must NOT have additional properties 'imagePullPolcy'",
    ]);
  });

  test('rejects a missing required field', () => {
    const object: any = validStatefulSet();
    delete object.spec.selector;
    delete object.spec.template.spec.containers[0].name;
    expect(v128().errors(object)).toEqual(expect.arrayContaining([
      "StatefulSet db: /spec must have required property 'selector'",
      "StatefulSet db: /spec/template/spec/containers/0 must have required property 'name'",
    ]));
  });

  test('rejects a wrong type and an unknown kind', () => {
    const object: any = validStatefulSet();
    object.spec.replicas = '3';
    expect(v128().errors(object)).toEqual(['StatefulSet db: /spec/replicas must be number']);
    expect(v128().errors({ apiVersion: 'apps/v1', kind: 'StatefulSett', metadata: { name: 'x' } }))
      .toEqual(["unknown apiVersion/kind 'apps/v1/StatefulSett'"]);
    expect(v128().errors({ apiVersion: 'apps/v1', kind: 'toString', metadata: { name: 'x' } }))
      .toEqual(["unknown apiVersion/kind 'apps/v1/toString'"]);
  });

  test('knows the JSON names the API uses, not the TypeScript ones', () => {
    const object: any = validStatefulSet();
    object.spec.template.spec.containers[0].resources = { limits: { cpu: '1' }, requests: { memory: 1024 } };
    expect(v128().errors(object)).toEqual([]);
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, ports: [{ port: 80, targetPort: 'http' }] },
    };
    expect(v128().errors(service)).toEqual([]);
    expect(v128().errors({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { maxUnavailable: 1.5 } }))
      .toEqual(expect.arrayContaining([expect.stringMatching(/maxUnavailable/)]));
  });
});

describe('strict Kubernetes validator, every minor 1.28 to 1.37', () => {
  test('validates against ten minors', () => {
    expect(k8sSchema().minors).toEqual([28, 29, 30, 31, 32, 33, 34, 35, 36, 37]);
    expect(k8sSchema().errors(validStatefulSet())).toEqual([]);
  });

  test('a field added in a later minor fails on the earlier ones only', () => {
    // lifecycle.preStop.sleep exists from 1.29 (KEP-3960).
    const object: any = validStatefulSet();
    object.spec.template.spec.containers[0].lifecycle = { preStop: { sleep: { seconds: 5 } } };
    expect(k8sSchema().errors(object)).toEqual([
      "Kubernetes 1.28: StatefulSet db: /spec/template/spec/containers/0/lifecycle/preStop must NOT have additional properties 'sleep'",
    ]);
    // lifecycle.stopSignal exists from 1.33 on.
    object.spec.template.spec.containers[0].lifecycle = { stopSignal: 'SIGUSR1' };
    expect(k8sSchema().errors(object)).toEqual([
      "Kubernetes 1.28-1.32: StatefulSet db: /spec/template/spec/containers/0/lifecycle must NOT have additional properties 'stopSignal'",
    ]);
  });

  test('a field removed or changed in a later minor fails on that minor', () => {
    // PodResourceClaim.source (1.26-1.30) was replaced by resourceClaimName in 1.31 (DRA structured parameters).
    const object: any = validStatefulSet();
    object.spec.template.spec.resourceClaims = [{ name: 'gpu', source: { resourceClaimName: 'gpu-claim' } }];
    expect(k8sSchema().errors(object)).toEqual([
      "Kubernetes 1.31-1.37: StatefulSet db: /spec/template/spec/resourceClaims/0 must NOT have additional properties 'source'",
    ]);
    object.spec.template.spec.resourceClaims = [{ name: 'gpu', resourceClaimName: 'gpu-claim' }];
    expect(k8sSchema().errors(object)).toEqual([
      "Kubernetes 1.28-1.30: StatefulSet db: /spec/template/spec/resourceClaims/0 must NOT have additional properties 'resourceClaimName'",
    ]);
  });

  test('a field of one minor only fails on every other: the pod spec\'s workloadRef (1.35) became schedulingGroup (1.36)', () => {
    const object: any = validStatefulSet();
    object.spec.template.spec.workloadRef = { name: 'w', podGroup: 'g' };
    expect(k8sSchema().errors(object)).toEqual([
      "Kubernetes 1.28-1.34, 1.36-1.37: StatefulSet db: /spec/template/spec must NOT have additional properties 'workloadRef'",
    ]);
  });

  test('an API version removed in a later minor fails there', () => {
    // flowcontrol.apiserver.k8s.io/v1beta3 was removed in 1.32.
    const flowSchema = {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
      kind: 'FlowSchema',
      metadata: { name: 'f' },
      spec: { priorityLevelConfiguration: { name: 'p' } },
    };
    expect(k8sSchema().errors(flowSchema)).toEqual([
      "Kubernetes 1.32-1.37: unknown apiVersion/kind 'flowcontrol.apiserver.k8s.io/v1beta3/FlowSchema'",
    ]);
    // ... and one that is new fails before it: resource.k8s.io/v1beta2 appears in 1.33.
    const resourceClaim = { apiVersion: 'resource.k8s.io/v1beta2', kind: 'ResourceClaim', metadata: { name: 'r' }, spec: {} };
    // (the servers' fixtures keep only the group-versions the library and its tests write: resource.k8s.io is not one)
    expect(k8sSchema().errors(resourceClaim)).toEqual([
      "Kubernetes 1.28-1.32, 1.35-1.37: unknown apiVersion/kind 'resource.k8s.io/v1beta2/ResourceClaim'",
    ]);
  });

  test('one line per distinct error, with the minors it fails on', () => {
    const object: any = validStatefulSet();
    object.spec.replicas = '3';
    expect(k8sSchema().errors(object)).toEqual([
      'Kubernetes 1.28-1.34: StatefulSet db: /spec/replicas must be number',
      'Kubernetes 1.35-1.37: StatefulSet db: /spec/replicas must be integer',
    ]);
    expect(describeMinors([33, 28, 29, 30, 32])).toBe('1.28-1.30, 1.32-1.33');
    expect(describeMinors([31])).toBe('1.31');
  });
});

describe('every Testing.synth of every test is validated (jest setup file)', () => {
  test('an invalid object fails Testing.synth, naming the minors', () => {
    const chart = new Chart(Testing.app(), 'c');
    new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { clusterIp: 'None' } });
    expect(() => Testing.synth(chart)).toThrow("Kubernetes 1.28-1.37: Service s: /spec must NOT have additional properties 'clusterIp'");
  });

  test('objects of a CRD group are left to synthValid', () => {
    const chart = new Chart(Testing.app(), 'c');
    new ApiObject(chart, 'cert', { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c' } });
    expect(Testing.synth(chart)).toHaveLength(1);
    expect(isKubernetesGroup('cert-manager.io')).toBe(false);
    expect(isKubernetesGroup('networking.k8s.io')).toBe(true);
    expect(isKubernetesGroup('apps')).toBe(true);
  });
});
