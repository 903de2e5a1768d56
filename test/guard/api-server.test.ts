import { allFindings, findingsOf, toYaml } from './synth';
import { GuardRule, GuardSeverity, ManifestGuard } from '../../src/guard';
import { KubeObject } from '../../src/guard/manifest';

/** Hand-written objects following the component contract (annotations), independent of what the construct renders today. */
function meta(name: string, component: string, namespace = 'apps'): KubeObject['metadata'] {
  return { name, namespace, annotations: { 'rainbond.io/component': component } };
}

function service(spec: Record<string, unknown>, name = 'db-client'): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: meta(name, 'db'), spec: { ports: [{ port: 5432 }], selector: { app: 'db' }, ...spec },
  };
}

interface StatefulSetExtra {
  readonly namespace?: string;
  readonly spec?: Record<string, unknown>;
  readonly resources?: unknown;
  readonly storage?: string;
}

function statefulSet(name: string, extra: StatefulSetExtra = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { ...meta(name, name, extra.namespace), annotations: { 'rainbond.io/component': name, 'rainbond.io/deploy-type': 'state_multiple' } },
    spec: {
      replicas: 2,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: 'postgres:16', ...(extra.resources ? { resources: extra.resources } : {}) }] },
      },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: extra.storage ?? '10Gi' } } } }],
      ...extra.spec,
    },
  };
}

function deployment(name: string, claimName?: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { ...meta(name, name), annotations: { 'rainbond.io/component': name, 'rainbond.io/deploy-type': 'stateless_singleton' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'main', image: 'nginx:1.27' }],
          ...(claimName ? { volumes: [{ name: 'files', persistentVolumeClaim: { claimName } }] } : {}),
        },
      },
    },
  };
}

function claim(name: string, component: string, storage = '10Gi'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta(name, component),
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
  };
}

function compare(before: KubeObject[], after: KubeObject[]) {
  return ManifestGuard.compare(toYaml(before), toYaml(after));
}

describe('Service clusterIP, clusterIPs and ipFamilies (1.28 validateUpgradeDowngradeClusterIPs / IPFamilies)', () => {
  const sts = statefulSet('db');
  const serviceFindings = (b: Record<string, unknown>, a: Record<string, unknown>) =>
    findingsOf(compare([sts, service(b)], [sts, service(a)]), GuardRule.IMMUTABLE_FIELD);

  test('a pinned clusterIP against an allocated one is flagged with a way to check it', () => {
    const [finding] = serviceFindings({}, { clusterIP: '10.96.0.50' });
    expect(finding.message).toBe('Service db-client pins spec.clusterIP 10.96.0.50 while the deployed Service has an allocated one; '
      + 'the API server refuses it unless the allocated IP is exactly 10.96.0.50; the API server refuses the update');
    expect(finding.steps[0]).toBe("Check the allocated IP: kubectl get service db-client -n apps -o jsonpath='{.spec.clusterIP}'; if it is 10.96.0.50, the apply is accepted");
  });

  test.each([
    ['a pinned IP left out afterwards (the API server keeps the allocated one)', { clusterIP: '10.96.0.50' }, {}],
    ['the same pinned IP', { clusterIP: '10.96.0.50' }, { clusterIP: '10.96.0.50', clusterIPs: ['10.96.0.50'] }],
    ['headless staying headless with new IP families', { clusterIP: 'None', ipFamilies: ['IPv4'] }, { clusterIP: 'None', ipFamilies: ['IPv6'] }],
    ['an added secondary family', { ipFamilies: ['IPv4'] }, { ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack' }],
    ['ExternalName', { type: 'ExternalName', externalName: 'a.example.org' }, { type: 'ExternalName', externalName: 'b.example.org' }],
  ])('no finding: %s', (_name, b, a) => {
    expect(serviceFindings(b, a)).toEqual([]);
  });

  test.each([
    ['a changed clusterIP', { clusterIP: '10.96.0.50' }, { clusterIP: '10.96.0.51' }, 'changes spec.clusterIP from 10.96.0.50 to 10.96.0.51'],
    ['a changed secondary clusterIP', { clusterIPs: ['10.96.0.50', 'fd00::50'] }, { clusterIPs: ['10.96.0.50', 'fd00::51'] }, 'changes the secondary cluster IP from fd00::50 to fd00::51'],
    ['an allocated Service turned headless', {}, { clusterIP: 'None' }, 'cluster IP -> None'],
    ['a headless Service given a pinned IP', { clusterIP: 'None' }, { clusterIP: '10.96.0.50' }, 'None -> cluster IP'],
    ['changed IP families of a non-headless Service', { ipFamilies: ['IPv4'] }, { ipFamilies: ['IPv6'] }, 'changes spec.ipFamilies from [IPv4] to [IPv6]'],
  ])('refused: %s', (_name, b, a, text) => {
    const [finding] = serviceFindings(b, a);
    expect(finding.message).toContain(text);
    expect(finding.message).toContain('the API server refuses the update');
  });

  test('headless -> ClusterIP without a pinned IP silently stays headless, and the guard does not claim a refusal', () => {
    const [finding] = serviceFindings({ clusterIP: 'None' }, {});
    expect(finding.severity).toBe(GuardSeverity.BLOCKING);
    expect(finding.message).toContain('the apply succeeds but the Service silently stays headless');
    expect(finding.message).not.toContain('refuses');
    expect(finding.steps[0]).toContain('kubectl delete service db-client -n apps');
  });
});

describe('immutable ConfigMap and Secret', () => {
  const sts = statefulSet('db');
  const configMap = (data: Record<string, string>, immutable?: boolean): KubeObject => ({
    apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('db-config', 'db'), data, ...(immutable === undefined ? {} : { immutable }),
  });
  const secret = (fields: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: meta('db-secret', 'db'), immutable: true, ...fields });
  const findings = (b: KubeObject, a: KubeObject) => findingsOf(compare([sts, b], [sts, a]), GuardRule.IMMUTABLE_FIELD);

  test('a data change of an immutable ConfigMap is refused, naming the keys', () => {
    const [finding] = findings(configMap({ a: '1', b: '2' }, true), configMap({ a: '1', b: '3', c: '4' }, true));
    expect(finding.objects).toEqual(['ConfigMap apps/db-config']);
    expect(finding.message).toBe('ConfigMap db-config: it is immutable: true and its data.b, data.c change; the API server refuses the update');
    expect(finding.steps[1]).toContain('kubectl delete configmap db-config -n apps');
  });

  test('unsetting immutable is refused; a mutable ConfigMap may change', () => {
    expect(findings(configMap({ a: '1' }, true), configMap({ a: '1' }))[0].message).toContain("immutable: true can't be unset");
    expect(findings(configMap({ a: '1' }), configMap({ a: '2' }))).toEqual([]);
    expect(findings(configMap({ a: '1' }), configMap({ a: '2' }, true))).toEqual([]);
  });

  test('a Secret compares stored data: stringData equal to data is no change, a new value is refused', () => {
    const encoded = Buffer.from('s3cret').toString('base64');
    expect(findings(secret({ data: { password: encoded } }), secret({ stringData: { password: 's3cret' } }))).toEqual([]);
    const [finding] = findings(secret({ data: { password: encoded } }), secret({ stringData: { password: 'other' } }));
    expect(finding.message).toBe('Secret db-secret: it is immutable: true and its data.password changes; the API server refuses the update');
  });

  test("a Secret's type never changes", () => {
    const [finding] = findings(secret({ immutable: false, data: {} }), secret({ immutable: false, type: 'kubernetes.io/tls', data: {} }));
    expect(finding.message).toContain('type changes from Opaque to kubernetes.io/tls');
  });
});

describe('quantities compare by value everywhere', () => {
  test('a claim size written differently is no change; a real shrink is refused', () => {
    const web = deployment('web', 'web-files');
    const same = compare([web, claim('web-files', 'web', '1024Gi')], [web, claim('web-files', 'web', '1Ti')]);
    expect(allFindings(same)).toEqual([]);
    const [shrink] = findingsOf(compare([web, claim('web-files', 'web', '1Ti')], [web, claim('web-files', 'web', '1000Gi')]), GuardRule.IMMUTABLE_FIELD);
    expect(shrink.message).toContain('the storage request shrinks from 1Ti to 1000Gi');
  });

  test('claim templates and pod template resources written differently are no change', () => {
    const before = statefulSet('db', { storage: '1024Gi', resources: { limits: { memory: '1Gi', cpu: '0.7' } } });
    const after = statefulSet('db', { storage: '1Ti', resources: { limits: { memory: '1024Mi', cpu: '700m' } } });
    expect(allFindings(compare([before], [after]))).toEqual([]);
    // a single-instance update notice only when the template really changes
    const single = (memory: string) => statefulSet('db', { spec: { replicas: 1 }, resources: { limits: { memory } } });
    expect(allFindings(compare([single('1Gi')], [single('1024Mi')]))).toEqual([]);
    expect(findingsOf(compare([single('1Gi')], [single('2Gi')]), GuardRule.SINGLE_INSTANCE_DOWNTIME)).toHaveLength(1);
  });

  test('environment values are never read as quantities', () => {
    const withEnv = (value: string) => {
      const sts = statefulSet('db', { spec: { replicas: 1 } });
      sts.spec.template.spec.containers[0].env = [{ name: 'LIMIT', value }];
      return sts;
    };
    expect(findingsOf(compare([withEnv('1k')], [withEnv('1000')]), GuardRule.SINGLE_INSTANCE_DOWNTIME)).toHaveLength(1);
  });
});

describe('stateful components renamed, moved or removed', () => {
  test('moved to another namespace: blocking, with the re-bind steps', () => {
    const report = compare([statefulSet('db')], [statefulSet('db', { namespace: 'data' })]);
    const [moved] = findingsOf(report, GuardRule.STATEFUL_COMPONENT_RENAMED);
    expect(moved.severity).toBe(GuardSeverity.BLOCKING);
    expect(moved.namespace).toBe('apps');
    expect(moved.message).toBe('stateful component db moves from namespace apps to data: the new StatefulSet starts on new, empty claims data-db-0, data-db-1 '
      + 'while the data stays in data-db-0, data-db-1');
    expect(moved.objects).toEqual(['StatefulSet apps/db', 'StatefulSet data/db', 'PersistentVolumeClaim apps/data-db-0', 'PersistentVolumeClaim apps/data-db-1',
      'PersistentVolumeClaim data/data-db-0', 'PersistentVolumeClaim data/data-db-1']);
    expect(moved.steps.join('\n')).toContain("Claims can't be mounted across namespaces");
    expect(moved.steps.join('\n')).toContain('spec.volumeName');
    expect(findingsOf(report, GuardRule.STATEFUL_COMPONENT_REMOVED)).toEqual([]);
    expect(report.blocked).toBe(true);
  });

  test('renamed in the same namespace: blocking, with copy steps; acknowledged by the old name', () => {
    const report = compare([statefulSet('db')], [statefulSet('postgres')]);
    const [renamed] = findingsOf(report, GuardRule.STATEFUL_COMPONENT_RENAMED);
    expect(renamed.message).toContain('stateful component db is renamed to postgres');
    expect(renamed.steps[0]).toBe("If the rename is not intended, keep the old name (componentName: 'db')");
    expect(renamed.steps[1]).toBe('Stop the old component: kubectl scale statefulset db -n apps --replicas=0, and wait until its pods are gone');
    expect(renamed.steps[2]).toContain('Pre-create data-postgres-0, data-postgres-1');
    // the new name is the rename's other side, not a separate new component
    expect(findingsOf(report, GuardRule.COMPONENT_ADDED)).toEqual([]);
    expect(compare([statefulSet('db')], [statefulSet('postgres')]).blocked).toBe(true);
    expect(ManifestGuard.compare(toYaml([statefulSet('db')]), toYaml([statefulSet('postgres')]), { allow: ['stateful-component-renamed:apps/db'] }).blocked).toBe(false);
  });

  test('a different system under a new name, storing something else, is not a rename', () => {
    // renames are matched by storage, not image: a system that stores something else differs in its claim templates
    const other = statefulSet('cache', { storage: '1Gi' });
    other.spec.template.spec.containers[0].image = 'redis:7.2';
    const report = compare([statefulSet('db')], [other]);
    expect(findingsOf(report, GuardRule.STATEFUL_COMPONENT_RENAMED)).toEqual([]);
    expect(findingsOf(report, GuardRule.STATEFUL_COMPONENT_REMOVED)).toHaveLength(1);
  });

  test('a rename with an image bump is still a rename: matched by what it stores', () => {
    const mounted = (name: string, image: string, extra: StatefulSetExtra = {}) => {
      const sts = statefulSet(name, extra);
      sts.spec.template.spec.containers[0].image = image;
      sts.spec.template.spec.containers[0].volumeMounts = [{ name: 'data', mountPath: '/var/lib/postgresql/data' }];
      return sts;
    };
    const report = compare([mounted('db', 'postgres:16')], [mounted('postgres', 'postgres:17', { storage: '10240Mi' })]);
    const [renamed] = findingsOf(report, GuardRule.STATEFUL_COMPONENT_RENAMED);
    expect(renamed.severity).toBe(GuardSeverity.BLOCKING);
    expect(renamed.component).toBe('db');
    expect(renamed.message).toBe('stateful component db is renamed to postgres: the new StatefulSet starts on new, empty claims data-postgres-0, data-postgres-1 '
      + 'while the data stays in data-db-0, data-db-1 (matched by what it stores, whatever the name and image: deploy type state_multiple, claim template data (10Gi) at /var/lib/postgresql/data); '
      + 'the image also changes (postgres:16 -> postgres:17), which does not carry the data over; dependants that follow the new name connect to postgres, a new, empty database');
    expect(renamed.steps).toContain('Then acknowledge with --allow stateful-component-renamed:apps/db');
    expect(renamed.steps[renamed.steps.length - 1]).toContain('If db and postgres are different systems');
    expect(findingsOf(report, GuardRule.STATEFUL_COMPONENT_REMOVED)).toEqual([]);
    expect(findingsOf(report, GuardRule.COMPONENT_ADDED)).toEqual([]);
    expect(report.blocked).toBe(true);
    // another mount path, storage class or size is other storage: a removal and an addition
    const elsewhere = mounted('postgres', 'postgres:17');
    elsewhere.spec.template.spec.containers[0].volumeMounts[0].mountPath = '/data';
    const otherClass = mounted('postgres', 'postgres:17');
    otherClass.spec.volumeClaimTemplates[0].spec.storageClassName = 'fast';
    for (const after of [elsewhere, otherClass, mounted('postgres', 'postgres:17', { storage: '20Gi' })]) {
      const other = compare([mounted('db', 'postgres:16')], [after]);
      expect(findingsOf(other, GuardRule.STATEFUL_COMPONENT_RENAMED)).toEqual([]);
      expect(findingsOf(other, GuardRule.STATEFUL_COMPONENT_REMOVED)).toHaveLength(1);
    }
  });

  test('removed with whenDeleted: Delete is blocking; with Retain (the default) a notice', () => {
    const web = deployment('web');
    const deleting = statefulSet('db', { spec: { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } } });
    const report = compare([web, deleting], [web]);
    const [deleted] = findingsOf(report, GuardRule.STATEFUL_CLAIMS_DELETED);
    expect(deleted.severity).toBe(GuardSeverity.BLOCKING);
    expect(deleted.message).toContain('deleting the StatefulSet deletes the claims data-db-0, data-db-1');
    expect(deleted.steps[1]).toContain('"whenDeleted":"Retain"');
    expect(findingsOf(report, GuardRule.STATEFUL_COMPONENT_REMOVED)).toEqual([]);
    expect(report.blocked).toBe(true);

    const retained = compare([web, statefulSet('db', { spec: { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } } })], [web]);
    expect(findingsOf(retained, GuardRule.STATEFUL_CLAIMS_DELETED)).toEqual([]);
    expect(findingsOf(retained, GuardRule.STATEFUL_COMPONENT_REMOVED)[0].severity).toBe(GuardSeverity.NOTICE);
    expect(retained.blocked).toBe(false);
  });
});

describe('shared-rwo-volume where nothing is deployed yet', () => {
  const shared = () => {
    const web = deployment('web', 'web-files');
    web.metadata.annotations['rainbond.io/deploy-type'] = 'stateless_multiple';
    web.spec.replicas = 3;
    return [web, claim('web-files', 'web')];
  };

  test('a first deployment is a notice, not a block: nothing running breaks, no data is lost', () => {
    const report = ManifestGuard.compare('', toYaml(shared()));
    const [finding] = findingsOf(report, GuardRule.SHARED_RWO_VOLUME);
    expect(finding.severity).toBe(GuardSeverity.NOTICE);
    expect(finding.acknowledged).toBe(false);
    expect(finding.message).toContain('web is not deployed yet, so nothing running breaks and no data is lost: a notice, not a block');
    expect(report.blocked).toBe(false);
    // a new component next to deployed ones has nothing deployed either
    expect(findingsOf(compare([statefulSet('db')], [statefulSet('db'), ...shared()]), GuardRule.SHARED_RWO_VOLUME)[0].severity).toBe(GuardSeverity.NOTICE);
  });

  test('a deployed component that starts sharing its claim still blocks', () => {
    const [finding] = findingsOf(compare([deployment('web', 'web-files'), claim('web-files', 'web')], shared()), GuardRule.SHARED_RWO_VOLUME);
    expect(finding.severity).toBe(GuardSeverity.BLOCKING);
    expect(finding.message).not.toContain('not deployed yet');
  });
});

describe('workload-replaced', () => {
  test('a StatefulSet without claims becoming a Deployment is a notice naming both workloads; nothing blocks', () => {
    const before = statefulSet('db', { spec: { volumeClaimTemplates: undefined } });
    const after = deployment('db');
    const report = compare([before, service({})], [after, service({})]);
    const [notice] = allFindings(report);
    expect(notice.rule).toBe(GuardRule.WORKLOAD_REPLACED);
    expect(notice.severity).toBe(GuardSeverity.NOTICE);
    expect(notice.objects).toEqual(['StatefulSet apps/db', 'Deployment apps/db', 'Service apps/db-client']);
    expect(notice.message).toContain('StatefulSet db is deleted and Deployment db is created, so all pods are replaced at once');
    expect(notice.message).toContain('the client Service db-client keeps its name');
    expect(notice.message).not.toContain('headless');
    expect(report.blocked).toBe(false);
    // the same switch with a claim template is the blocking deploy-type-switch instead
    expect(allFindings(compare([statefulSet('db')], [deployment('db')])).map(f => f.rule)).toEqual([GuardRule.DEPLOY_TYPE_SWITCH]);
  });
});

describe('shared-claim-removed', () => {
  test('a stateless claim that disappears with its volume is reported: pruning deletes it and its volume', () => {
    const report = compare([deployment('web', 'web-files'), claim('web-files', 'web')], [deployment('web')]);
    const [finding] = findingsOf(report, GuardRule.SHARED_CLAIM_REMOVED);
    expect(finding.severity).toBe(GuardSeverity.BLOCKING);
    expect(finding.objects).toEqual(['PersistentVolumeClaim apps/web-files']);
    expect(finding.message).toContain('a pruning apply (kubectl apply --prune, Argo CD with prune, Flux) deletes it');
    expect(finding.steps.join('\n')).toContain('persistentVolumeReclaimPolicy":"Retain"');
  });

  test('a removed stateless component with a claim is reported; one without is not', () => {
    const db = statefulSet('db');
    const removed = compare([db, deployment('web', 'web-files'), claim('web-files', 'web')], [db]);
    expect(findingsOf(removed, GuardRule.SHARED_CLAIM_REMOVED)[0].message).toContain('of removed stateless component web');
    expect(allFindings(compare([db, deployment('web')], [db]))).toEqual([]);
  });
});

describe('text report', () => {
  test('names only the components a finding concerns; --verbose names every component', () => {
    const db = statefulSet('db');
    const report = compare([db, deployment('web'), deployment('api')], [statefulSet('db', { spec: { replicas: 1 } }), deployment('web'), deployment('api')]);
    const text = ManifestGuard.format(report);
    expect(text).toContain('apps/db (state_multiple, 2 -> 1 replicas)');
    expect(text).not.toContain('apps/web');
    expect(text).not.toContain('apps/api');
    expect(text).toContain('checked 3 component(s); not listed: 2 component(s) without findings (--verbose lists them)');
    const verbose = ManifestGuard.format(report, { verbose: true });
    expect(verbose).toContain('apps/web (stateless_singleton, 1 replica): no findings');
    expect(verbose).toContain('apps/api (stateless_singleton, 1 replica): no findings');
  });
});

describe('Deployment strategy RollingUpdate -> Recreate', () => {
  const withStrategy = (strategy?: Record<string, unknown>) => {
    const d = deployment('web');
    if (strategy) d.spec.strategy = strategy;
    return d;
  };

  test('refused when the deployed manifest left rollingUpdate to the server defaults', () => {
    for (const before of [withStrategy(), withStrategy({ type: 'RollingUpdate' })]) {
      const [finding] = findingsOf(compare([before], [withStrategy({ type: 'Recreate' })]), GuardRule.IMMUTABLE_FIELD);
      expect(finding.message).toContain('spec.strategy changes from RollingUpdate to Recreate, but the deployed Deployment holds the server-defaulted spec.strategy.rollingUpdate');
      expect(finding.message).toContain('which a server-side apply (kubectl apply --server-side, Flux, Argo CD with ServerSideApply) keeps');
      expect(finding.steps[0]).toBe('With a client-side kubectl apply (no --server-side), apply as it is');
      expect(finding.steps[1]).toContain('kubectl patch deployment web -n apps --type json');
    }
  });

  test('accepted when the deployed manifest wrote rollingUpdate itself (the apply removes it), as RainbondComponent renders it', () => {
    const explicit = withStrategy({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    expect(findingsOf(compare([explicit], [withStrategy({ type: 'Recreate' })]), GuardRule.IMMUTABLE_FIELD)).toEqual([]);
    expect(findingsOf(compare([withStrategy({ type: 'Recreate' })], [withStrategy()]), GuardRule.IMMUTABLE_FIELD)).toEqual([]);
  });
});
