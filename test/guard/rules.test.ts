import * as fs from 'fs';
import { findingsOf, toYaml } from './synth';
import { ManifestGuard, GuardRule } from '../../src/guard';
import { groupByComponent } from '../../src/guard/component-state';
import { loadManifestText } from '../../src/guard/load';
import { KubeObject } from '../../src/guard/manifest';
import { changedImmutableStatefulSetFields, STATEFULSET_MUTABLE } from '../../src/guard/rules/immutable-field';
import { clusterDomainOf } from '../../src/guard/rules/quorum';

/** A hand-written StatefulSet following the component contract. */
function statefulSet(spec: Record<string, unknown> = {}, annotations: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'apps', annotations: { 'rainbond.io/component': 'db', 'rainbond.io/deploy-type': 'state_multiple', ...annotations } },
    spec: {
      replicas: 3,
      serviceName: 'db',
      selector: { matchLabels: { 'app.kubernetes.io/name': 'db' } },
      template: { metadata: { labels: { 'app.kubernetes.io/name': 'db' } }, spec: { containers: [{ name: 'db', image: 'db:1' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } }],
      ...spec,
    },
  };
}

function service(name: string, clusterIP: string | undefined): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'apps', annotations: { 'rainbond.io/component': 'db' } },
    spec: { ...(clusterIP === undefined ? {} : { clusterIP }), ports: [{ port: 5432 }] },
  };
}

describe('changedImmutableStatefulSetFields', () => {
  test('values the API server defaults are not changes', () => {
    const explicit = statefulSet({
      podManagementPolicy: 'OrderedReady',
      volumeClaimTemplates: [{
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', resources: { requests: { storage: '10Gi' } } },
        status: { phase: 'Pending' },
      }],
    });
    expect(changedImmutableStatefulSetFields(statefulSet(), explicit)).toEqual([]);
  });

  test('the fields Kubernetes 1.28 lets an update change are not reported', () => {
    const after = statefulSet({
      replicas: 5,
      minReadySeconds: 10,
      updateStrategy: { type: 'OnDelete' },
      template: {},
      ordinals: { start: 1 },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
    });
    expect(changedImmutableStatefulSetFields(statefulSet(), after)).toEqual([]);
  });

  test('every StatefulSetSpec field of the 1.28 API outside the mutable list is refused when it changes', () => {
    // the field list comes from the Kubernetes 1.28 types cdk8s-plus-28 ships (its jsii assembly), not from the guard
    const assembly = JSON.parse(fs.readFileSync(require.resolve('cdk8s-plus-28/.jsii'), 'utf-8'));
    const fields: string[] = assembly.types['cdk8s-plus-28.k8s.StatefulSetSpec'].properties.map((p: { name: string }) => p.name);
    expect(fields.length).toBeGreaterThan(10);
    for (const mutable of STATEFULSET_MUTABLE) expect(fields).toContain(mutable);
    const immutable = fields.filter(f => !STATEFULSET_MUTABLE.has(f)).sort();
    expect(immutable).toEqual(['podManagementPolicy', 'revisionHistoryLimit', 'selector', 'serviceName', 'volumeClaimTemplates']);
    for (const field of immutable) {
      expect(changedImmutableStatefulSetFields(statefulSet(), statefulSet({ [field]: { changed: field } }))).toEqual([field]);
    }
  });

  test('revisionHistoryLimit is refused outside the 1.28 list and blocks, saying 1.33 and later accept it; its default 10 is no change', () => {
    expect(changedImmutableStatefulSetFields(statefulSet(), statefulSet({ revisionHistoryLimit: 3 }))).toEqual(['revisionHistoryLimit']);
    expect(changedImmutableStatefulSetFields(statefulSet(), statefulSet({ revisionHistoryLimit: 10 }))).toEqual([]);
    const report = ManifestGuard.compare(toYaml([statefulSet()]), toYaml([statefulSet({ revisionHistoryLimit: 3 })]));
    const [finding] = findingsOf(report, GuardRule.IMMUTABLE_FIELD);
    expect(finding.message).toBe('StatefulSet db: Kubernetes before 1.33 refuses an update of spec.revisionHistoryLimit, 1.33 and later accept it');
    expect(finding.steps[0]).toBe('On a cluster of a version that accepts it the apply goes through as it is (kubectl version prints the server\'s); '
      + 'on an earlier one: Delete the StatefulSet but keep its pods and claims: kubectl delete statefulset db -n apps --cascade=orphan');
    expect(finding.steps[finding.steps.length - 1]).toBe('Then acknowledge with --allow immutable-field');
    expect(report.blocked).toBe(true);
    // beside a field every version refuses
    const both = ManifestGuard.compare(toYaml([statefulSet()]), toYaml([statefulSet({ revisionHistoryLimit: 3, serviceName: 'db-peers' })]));
    expect(findingsOf(both, GuardRule.IMMUTABLE_FIELD)[0].message).toBe('StatefulSet db: the API server refuses an update of spec.serviceName, '
      + 'and before Kubernetes 1.33 of spec.revisionHistoryLimit (only replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy, '
      + 'minReadySeconds may change, and revisionHistoryLimit from 1.33)');
  });

  test('a claim template size written differently is the same value', () => {
    const sized = (storage: string) => statefulSet({
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } } }],
    });
    expect(changedImmutableStatefulSetFields(sized('1024Gi'), sized('1Ti'))).toEqual([]);
    expect(changedImmutableStatefulSetFields(sized('1Gi'), sized('1G'))).toEqual(['volumeClaimTemplates']);
  });

  test('immutable fields are reported sorted', () => {
    const after = statefulSet({ podManagementPolicy: 'Parallel', serviceName: 'db-headless' });
    expect(changedImmutableStatefulSetFields(statefulSet(), after)).toEqual(['podManagementPolicy', 'serviceName']);
  });

  test('a dropped claim template is reported with its leftover claims', () => {
    const report = ManifestGuard.compare(toYaml([statefulSet()]), toYaml([statefulSet({ volumeClaimTemplates: [] })]));
    const [finding] = findingsOf(report, GuardRule.IMMUTABLE_FIELD);
    expect(finding.steps.join('\n')).toContain('Dropped template(s) data: their claims stay behind');
  });
});

describe('Service clusterIP', () => {
  test.each([
    [undefined, '', false],
    ['', undefined, false],
    ['10.0.0.5', '10.0.0.5', false],
    ['None', 'None', false],
    ['None', undefined, true],
    [undefined, 'None', true],
    ['10.0.0.5', '10.0.0.6', true],
  ])('%s -> %s refused: %s', (before, after, refused) => {
    const report = ManifestGuard.compare(toYaml([statefulSet(), service('db', before)]), toYaml([statefulSet(), service('db', after)]));
    expect(findingsOf(report, GuardRule.IMMUTABLE_FIELD).length).toBe(refused ? 1 : 0);
  });
});

describe('reading components', () => {
  test('the managed-by label and instance label identify a component without annotations', () => {
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'db-conf', namespace: 'apps', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-rainbond', 'app.kubernetes.io/instance': 'db' } } };
    const { components, foreign } = groupByComponent(loadManifestText(toYaml([statefulSet(), obj]), 't'));
    expect([...components.keys()]).toEqual(['apps/db']);
    expect([...components.get('apps/db')!.objects.keys()].sort()).toEqual(['ConfigMap/apps/db-conf', 'StatefulSet/apps/db']);
    expect(foreign).toEqual([]);
  });

  test('without a deploy-type annotation the kind decides, and replicas default to 1', () => {
    const sts = statefulSet({ replicas: undefined });
    delete (sts.metadata.annotations as any)['rainbond.io/deploy-type'];
    const state = groupByComponent(loadManifestText(toYaml([sts]), 't')).components.get('apps/db')!;
    expect(state.stateful).toBe(true);
    expect(state.deployType).toBe('state_multiple');
    expect(state.replicas).toBe(1);
    expect(state.claimTemplates).toEqual([{ name: 'data', accessModes: ['ReadWriteOnce'], storage: '10Gi' }]);
  });

  test('any non-empty cluster-preset annotation makes a quorum preset', () => {
    const before = toYaml([statefulSet({}, { 'rainbond.io/cluster-preset': 'consul' })]);
    const after = toYaml([statefulSet({ replicas: 5 }, { 'rainbond.io/cluster-preset': 'consul' })]);
    const [finding] = findingsOf(ManifestGuard.compare(before, after), GuardRule.QUORUM_MEMBER_CHANGE);
    expect(finding.message).toContain('consul cluster db changes from 3 to 5 members');
  });

  test('a removed component is reported without findings', () => {
    const report = ManifestGuard.compare(toYaml([statefulSet(), { ...service('web', undefined), metadata: { name: 'web', namespace: 'apps', annotations: { 'rainbond.io/component': 'web' } } }]), toYaml([statefulSet()]));
    expect(report.components.map(c => [c.component, c.change, c.findings.length])).toEqual([
      ['db', 'state_multiple, 3 replicas', 0],
      ['web', 'removed (was stateless_multiple, 1 replica)', 0],
    ]);
  });

  test('the cluster domain is read from rendered member addresses, else cluster.local', () => {
    const withEnv = statefulSet({ template: { spec: { containers: [{ name: 'db', env: [{ name: 'PEERS', value: 'db-0.db.apps.svc.k8s.example.org:2380' }] }] } } });
    const state = (obj: KubeObject) => groupByComponent(loadManifestText(toYaml([obj]), 't')).components.get('apps/db')!;
    expect(clusterDomainOf(state(withEnv))).toBe('k8s.example.org');
    expect(clusterDomainOf(state(statefulSet()))).toBe('cluster.local');
  });
});
