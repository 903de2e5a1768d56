import * as fs from 'fs';
import * as path from 'path';
import { corpusPair, corpusPairNames } from './corpus-pairs';
import { allFindings, db, findObject, findingsOf, synthObjects, synthYaml, toYaml, web } from './synth';
import { DeployType } from '../../src/deploy-type';
import { GuardOptions, GuardReport, GuardRule, GuardSeverity, ManifestGuard } from '../../src/guard';

/**
 * The guard's corpus: the before/after pairs of ./corpus-pairs.ts (the API-server tier applies the same
 * pairs for real, test/apiserver/guard.atest.ts), each held here to what the guard must report.
 */
const tested = new Set<string>();

/** The objects before and after a pair of the corpus, built fresh. */
function pair(name: string): { before: any[]; after: any[] } {
  tested.add(name);
  return corpusPair(name);
}

/** The guard's report on a pair of the corpus. */
function compare(name: string, options?: GuardOptions): GuardReport {
  const { before, after } = pair(name);
  return ManifestGuard.compare(toYaml(before), toYaml(after), options);
}

describe('safe changes are not flagged', () => {
  test.each([
    ['image bump', 'db'],
    ['environment change', 'db'],
    ['resource change', 'web'],
    ['scaling a stateless multiple component', 'web'],
    ['adding a label', 'web'],
    ['scaling up a stateful component without a preset', 'db'],
    ['no change to an etcd cluster', 'etcd'],
  ])('%s', (name, component) => {
    const report = compare(name);
    expect(allFindings(report)).toEqual([]);
    expect(report.blocked).toBe(false);
    expect(report.blockingCount).toBe(0);
    expect(report.components.map(c => c.component)).toEqual([component]);
  });

  test('an added label on a stateful component changes only mutable fields', () => {
    const report = compare('an added label on a stateful component');
    // the StatefulSet's claim templates must not carry the extra label, or the API server refuses the update
    expect(findingsOf(report, GuardRule.IMMUTABLE_FIELD)).toEqual([]);
  });

  test('a new component is reported as added with one notice: its claims start empty', () => {
    const report = compare('a new component');
    const added = report.components.find(c => c.component === 'db')!;
    expect(added.change).toBe('added (state_multiple, 3 replicas)');
    expect(added.findings.map(f => [f.rule, f.severity])).toEqual([[GuardRule.COMPONENT_ADDED, GuardSeverity.NOTICE]]);
    expect(added.findings[0].message).toMatch(/^new component db: the apply creates \d+ object\(s\); its claims data-db-0, data-db-1, data-db-2 start empty$/);
    expect(added.findings[0].objects).toContain('StatefulSet apps/db');
    expect(report.blocked).toBe(false);
  });
});

describe('deploy-type-switch', () => {
  test('stateful -> stateless names every orphaned per-instance claim and the new empty claim', () => {
    const report = compare('stateful -> stateless with storage');
    const [finding] = findingsOf(report, GuardRule.DEPLOY_TYPE_SWITCH);
    expect(finding.severity).toBe(GuardSeverity.BLOCKING);
    expect(finding.namespace).toBe('apps');
    expect(finding.component).toBe('db');
    expect(finding.objects).toEqual(expect.arrayContaining([
      'StatefulSet apps/db', 'Deployment apps/db',
      'PersistentVolumeClaim apps/data-db-0', 'PersistentVolumeClaim apps/data-db-1', 'PersistentVolumeClaim apps/data-db-2',
      'PersistentVolumeClaim apps/db-data',
    ]));
    expect(finding.message).toContain('data-db-0, data-db-1, data-db-2 would be orphaned');
    expect(finding.message).toContain('new, empty claim db-data');
    expect(finding.steps[0]).toContain('kubectl scale statefulset db -n apps --replicas=0');
    expect(finding.steps.join('\n')).toContain('kubectl delete pvc -n apps data-db-0 data-db-1 data-db-2');
    expect(report.blocked).toBe(true);
  });

  test('stateless -> stateful names the orphaned shared claim and the new per-instance claims', () => {
    const report = compare('stateless -> stateful with storage');
    const [finding] = findingsOf(report, GuardRule.DEPLOY_TYPE_SWITCH);
    expect(finding.message).toContain('shared claim web-files would be orphaned');
    expect(finding.message).toContain('new, empty per-instance claims files-web-0, files-web-1');
    expect(finding.steps[0]).toContain('kubectl scale deployment web -n apps --replicas=0');
    expect(finding.steps[3]).toContain('(a pruning apply also deletes web-files and, with reclaim policy Delete, its volume: copy the data first)');
    // the switch names the orphaned claim itself: no second shared-claim-removed finding
    expect(findingsOf(report, GuardRule.SHARED_CLAIM_REMOVED)).toEqual([]);
  });

  test('a switch without persistent storage is not a deploy-type-switch finding', () => {
    const report = compare('stateful -> stateless without storage');
    expect(findingsOf(report, GuardRule.DEPLOY_TYPE_SWITCH)).toEqual([]);
    // the client Service web-client keeps its name and type across the switch: nothing the API server refuses
    expect(findingsOf(report, GuardRule.IMMUTABLE_FIELD)).toEqual([]);
  });

  test('stateful -> stateless without storage is a workload-replaced notice: the StatefulSet goes, a Deployment comes, all pods at once', () => {
    const report = compare('stateful -> stateless without storage');
    expect(allFindings(report).map(f => [f.rule, f.severity])).toEqual([[GuardRule.WORKLOAD_REPLACED, GuardSeverity.NOTICE]]);
    const [notice] = allFindings(report);
    expect(notice.component).toBe('web');
    expect(notice.objects).toEqual(['StatefulSet apps/web', 'Deployment apps/web', 'Service apps/web-client']);
    expect(notice.message).toBe('deploy type changes from state_singleton (StatefulSet) to stateless_singleton (Deployment): StatefulSet web is deleted and '
      + 'Deployment web is created, so all pods are replaced at once, not rolled one by one; the client Service web-client keeps its name, so clients keep their address; '
      + 'the headless Service web goes away (per-pod DNS names such as web-0.web stop resolving); no persistent storage, so no data is lost');
    expect(notice.steps[0]).toBe('Stop the component first, as Rainbond does before a switch: kubectl scale statefulset web -n apps --replicas=0, and wait until its pods are gone');
    expect(notice.steps[1]).toContain('kubectl delete statefulset web -n apps (until then it keeps running and web-client sends traffic to the pods of both)');
    expect(report.blocked).toBe(false);
    expect(report.noticeCount).toBe(1);
  });

  test('stateless -> stateful without storage is a workload-replaced notice too', () => {
    const report = compare('stateless -> stateful without storage');
    const [notice] = findingsOf(report, GuardRule.WORKLOAD_REPLACED);
    expect(notice.message).toMatch(/^deploy type changes from stateless_multiple \(Deployment\) to state_multiple \(StatefulSet\): Deployment web is deleted and StatefulSet web is created/);
    expect(notice.message).toContain('the client Service web-client keeps its name');
    expect(notice.steps[0]).toContain('kubectl scale deployment web -n apps --replicas=0');
    expect(findingsOf(report, GuardRule.DEPLOY_TYPE_SWITCH)).toEqual([]);
    expect(report.blocked).toBe(false);
  });

  test('a switch with storage is only the blocking deploy-type-switch, not also the notice', () => {
    const report = compare('stateful -> stateless with storage');
    expect(findingsOf(report, GuardRule.WORKLOAD_REPLACED)).toEqual([]);
    expect(findingsOf(report, GuardRule.DEPLOY_TYPE_SWITCH)).toHaveLength(1);
  });

  test.each([
    ['stateful -> stateless', 'stateful -> stateless without storage', DeployType.STATELESS_SINGLE],
    ['stateless -> stateful', 'stateless single -> stateful single without storage', DeployType.STATEFUL_SINGLE],
  ])('%s keeps the client Service web-client unchanged, so clients keep their address', (_, name, to) => {
    const { before, after } = pair(name);
    expect(after.find(o => o.kind === (to === DeployType.STATEFUL_SINGLE ? 'StatefulSet' : 'Deployment'))?.metadata.name).toBe('web');
    expect(findObject(after, 'Service', 'web-client').spec).toEqual(findObject(before, 'Service', 'web-client').spec);
    expect(findingsOf(ManifestGuard.compare(toYaml(before), toYaml(after)), GuardRule.IMMUTABLE_FIELD)).toEqual([]);
  });

  test('allow acknowledges the switch but keeps it in the report', () => {
    const partly = compare('stateful -> stateless with storage', { allow: ['deploy-type-switch'] });
    expect(findingsOf(partly, GuardRule.DEPLOY_TYPE_SWITCH)[0].acknowledged).toBe(true);
    // the client Service db-client is the same on both sides: the switch is the only blocking finding
    expect(findingsOf(partly, GuardRule.IMMUTABLE_FIELD)).toEqual([]);
    expect(partly.acknowledgedCount).toBe(1);
    expect(partly.blocked).toBe(false);
  });
});

describe('immutable-field', () => {
  test('a larger claim template is refused on apply; the fix is an orphaning delete', () => {
    const report = compare('a larger claim template');
    const [finding] = findingsOf(report, GuardRule.IMMUTABLE_FIELD);
    expect(finding.objects).toEqual(['StatefulSet apps/db']);
    expect(finding.message).toContain('spec.volumeClaimTemplates');
    expect(finding.steps[0]).toBe('Delete the StatefulSet but keep its pods and claims: kubectl delete statefulset db -n apps --cascade=orphan');
    expect(report.blocked).toBe(true);
  });

  test('a new volume on a stateful component is a new claim template', () => {
    const report = compare('a new volume on a stateful component');
    const [finding] = findingsOf(report, GuardRule.IMMUTABLE_FIELD);
    expect(finding.steps.join('\n')).toContain('New template(s) logs');
  });

  test('a podManagementPolicy change is refused', () => {
    const report = compare('a podManagementPolicy change');
    const [finding] = findingsOf(report, GuardRule.IMMUTABLE_FIELD);
    expect(finding.message).toContain('spec.podManagementPolicy');
  });

  test('serviceName and selector changes are refused, selector with a plain delete', () => {
    const [finding] = findingsOf(compare('serviceName and selector changes'), GuardRule.IMMUTABLE_FIELD);
    expect(finding.message).toContain('spec.selector, spec.serviceName');
    expect(finding.steps[0]).toContain('kubectl delete statefulset db -n apps;');
    expect(finding.steps.join('\n')).toContain('kubectl rollout restart statefulset db -n apps');
  });

  test('a Deployment selector change is refused', () => {
    const [finding] = findingsOf(compare('a Deployment selector change'), GuardRule.IMMUTABLE_FIELD);
    expect(finding.objects).toEqual(['Deployment apps/web']);
    expect(finding.message).toBe('Deployment web: spec.selector is immutable; the API server refuses the update');
  });

  test('single -> multiple changes the shared claim access mode, which a claim cannot change', () => {
    const report = compare('single -> multiple changes the shared claim access mode');
    const [finding] = findingsOf(report, GuardRule.IMMUTABLE_FIELD);
    expect(finding.objects).toEqual(['PersistentVolumeClaim apps/web-files']);
    expect(finding.message).toContain('spec.accessModes');
  });

  test('a shrinking claim is refused; a growing one is a notice: only an expandable StorageClass accepts it', () => {
    const [shrink] = findingsOf(compare('a shrinking claim'), GuardRule.IMMUTABLE_FIELD);
    expect(shrink.message).toContain('shrinks from 20Gi to 10Gi');
    // recovering from a failed expansion is the one shrink the API server accepts (1.32 and later)
    expect(shrink.steps[0]).toBe('If the claim\'s expansion to 20Gi failed and never completed, Kubernetes 1.32 and later accept a request above its current capacity '
      + '(kubectl get pvc web-files -n apps -o jsonpath=\'{.status.capacity.storage}\'), to recover; otherwise:');
    expect(findingsOf(compare('a shrinking claim'), GuardRule.CLAIM_EXPANSION)).toEqual([]);
    const grow = compare('a growing claim');
    expect(allFindings(grow).map(f => [f.rule, f.severity])).toEqual([[GuardRule.CLAIM_EXPANSION, GuardSeverity.NOTICE]]);
    const [notice] = allFindings(grow);
    expect(notice.objects).toEqual(['PersistentVolumeClaim apps/web-files']);
    expect(notice.message).toMatch(/^PersistentVolumeClaim web-files grows from 10Gi to 20Gi: the API server accepts this only for a bound claim whose StorageClass allows volume expansion/);
    expect(notice.steps[0]).toBe('Check that the claim\'s StorageClass allows expansion (prints true): '
      + 'kubectl get storageclass $(kubectl get pvc web-files -n apps -o jsonpath=\'{.spec.storageClassName}\') -o jsonpath=\'{.allowVolumeExpansion}\'');
    expect(grow.blocked).toBe(false);
  });
});

describe('quorum presets', () => {
  test('etcd 3 -> 5: one member at a time (add, start, wait healthy), each started with its own member list', () => {
    const report = compare('etcd 3 -> 5');
    const [finding] = findingsOf(report, GuardRule.QUORUM_MEMBER_CHANGE);
    expect(finding.severity).toBe(GuardSeverity.BLOCKING);
    expect(finding.objects).toEqual(['StatefulSet db/etcd']);
    expect(finding.steps).toHaveLength(4);
    expect(finding.steps[0]).toContain('initialClusterState: EtcdInitialClusterState.EXISTING');
    expect(finding.steps[1]).toContain('3 -> 4 members: admit it: kubectl exec -n db etcd-0 -- etcdctl member add etcd-3 --peer-urls=http://etcd-3.etcd.db.svc.cluster.local:2380');
    // etcd-3 starts with exactly four members listed (etcd refuses a joining member whose list differs: "member count is unequal")
    expect(finding.steps[1]).toContain('ETCD_INITIAL_CLUSTER=etcd-0=http://etcd-0.etcd.db.svc.cluster.local:2380,etcd-1=http://etcd-1.etcd.db.svc.cluster.local:2380,'
      + 'etcd-2=http://etcd-2.etcd.db.svc.cluster.local:2380,etcd-3=http://etcd-3.etcd.db.svc.cluster.local:2380;');
    expect(finding.steps[1]).toContain('kubectl set env statefulset/etcd -n db -c ');
    expect(finding.steps[1]).toContain('kubectl scale statefulset etcd -n db --replicas=4');
    expect(finding.steps[2]).toMatch(/^4 -> 5 members: .*member add etcd-4 .*etcd-4=http:\/\/etcd-4\.etcd\.db\.svc\.cluster\.local:2380; .*--replicas=5/);
    expect(finding.steps[3]).toMatch(/"partition":0.*apply the new manifests \(5 members/);
    expect(findingsOf(report, GuardRule.STATEFUL_SCALE_DOWN)).toEqual([]);
    expect(report.components[0].change).toBe('state_multiple, 3 -> 5 replicas, preset etcd');
  });

  test('etcd 5 -> 3 removes members highest ordinal first and flags the retained claims', () => {
    const report = compare('etcd 5 -> 3');
    const [change] = findingsOf(report, GuardRule.QUORUM_MEMBER_CHANGE);
    expect(change.steps[0]).toMatch(/^5 -> 4 members: .*etcd-4.*member remove/);
    expect(change.steps[1]).toMatch(/^4 -> 3 members: .*etcd-3/);
    const [scaleDown] = findingsOf(report, GuardRule.STATEFUL_SCALE_DOWN);
    expect(scaleDown.objects).toEqual(['StatefulSet db/etcd', 'PersistentVolumeClaim db/data-etcd-3', 'PersistentVolumeClaim db/data-etcd-4']);
    expect(scaleDown.steps[0]).toContain('Remove the members from the cluster first');
    expect(report.blockingCount).toBe(2);
  });

  test('an even member count reached by scaling is flagged with the odd neighbours', () => {
    const report = compare('etcd 3 -> 4 by scaling');
    const [even] = findingsOf(report, GuardRule.EVEN_MEMBER_COUNT);
    expect(even.severity).toBe(GuardSeverity.BLOCKING);
    expect(even.steps[0]).toBe('Set replicas to 3 or 5 instead');
    expect(findingsOf(report, GuardRule.QUORUM_MEMBER_CHANGE)).toHaveLength(1);
  });

  test('allowing one rule for one component leaves the other rule blocking', () => {
    const report = compare('etcd 5 -> 3', { allow: ['quorum-member-change:db/etcd'] });
    expect(findingsOf(report, GuardRule.QUORUM_MEMBER_CHANGE)[0].acknowledged).toBe(true);
    expect(findingsOf(report, GuardRule.STATEFUL_SCALE_DOWN)[0].acknowledged).toBe(false);
    expect(report.blocked).toBe(true);
    const both = compare('etcd 5 -> 3', { allow: ['quorum-member-change:etcd', 'stateful-scale-down'] });
    expect(both.blocked).toBe(false);
    const otherComponent = compare('etcd 5 -> 3', { allow: ['quorum-member-change:zk', 'stateful-scale-down:zk'] });
    expect(otherComponent.blockingCount).toBe(2);
  });
});

describe('stateful-scale-down', () => {
  test('names the claims of every removed ordinal', () => {
    const report = compare('stateful scale-down 5 -> 2');
    const [finding] = findingsOf(report, GuardRule.STATEFUL_SCALE_DOWN);
    expect(finding.objects).toEqual([
      'StatefulSet apps/db', 'PersistentVolumeClaim apps/data-db-2', 'PersistentVolumeClaim apps/data-db-3', 'PersistentVolumeClaim apps/data-db-4',
    ]);
    expect(finding.message).toContain('retained with stale data');
    expect(finding.steps).toContain('Delete the retained claims so a later scale-up starts clean: kubectl delete pvc -n apps data-db-2 data-db-3 data-db-4 (or keep them on purpose and note it)');
  });

  test('with whenScaled: Delete the claims are lost instead of kept', () => {
    const [finding] = findingsOf(compare('stateful scale-down with whenScaled: Delete'), GuardRule.STATEFUL_SCALE_DOWN);
    expect(finding.message).toContain('its claim data-db-2 is deleted with their data');
  });
});

describe('single/multiple rules', () => {
  test('a ReadWriteOnce claim shared by several replicas after scaling is flagged', () => {
    const report = compare('a ReadWriteOnce claim shared after scaling');
    const [shared] = findingsOf(report, GuardRule.SHARED_RWO_VOLUME);
    expect(shared.severity).toBe(GuardSeverity.BLOCKING);
    expect(shared.objects).toEqual(['Deployment apps/web', 'PersistentVolumeClaim apps/web-files']);
    expect(shared.message).toContain('runs 3 replicas that share the ReadWriteOnce claim web-files');
    const [single] = findingsOf(report, GuardRule.SINGLE_INSTANCE_REPLICAS);
    expect(single.message).toContain('single-instance deploy type stateless_singleton but 3 replicas');
    expect(single.steps[0]).toContain('stateless_multiple');
  });

  test('first deployment of a stateless component whose autoscaler may share its ReadWriteOnce claim: a notice, exit 0', () => {
    // RainbondComponent refuses this at synthesis; manifests written elsewhere can still hold it: an autoscaler added by hand
    const handOver = 'handing a single-replica component to an autoscaler';
    const report = ManifestGuard.compare('', toYaml(pair(handOver).after));
    expect(allFindings(report).map(f => [f.rule, f.severity])).toEqual([
      [GuardRule.SHARED_RWO_VOLUME, GuardSeverity.NOTICE], [GuardRule.COMPONENT_ADDED, GuardSeverity.NOTICE],
    ]);
    expect(findingsOf(report, GuardRule.SHARED_RWO_VOLUME)[0].message)
      .toContain('may run up to 3 replicas (HorizontalPodAutoscaler web) that share the ReadWriteOnce claim web-files');
    expect(report.blocked).toBe(false);
    // handing a deployed single-replica component to that autoscaler blocks: its running pods would start to share the claim
    const [handedOver] = findingsOf(compare(handOver), GuardRule.SHARED_RWO_VOLUME);
    expect(handedOver.severity).toBe(GuardSeverity.BLOCKING);
  });

  test('a ReadWriteMany claim shared by replicas is fine', () => {
    const report = compare('a ReadWriteMany claim shared by more replicas');
    expect(findingsOf(report, GuardRule.SHARED_RWO_VOLUME)).toEqual([]);
  });
});

describe('single-instance-downtime', () => {
  test('an update of a single-instance stateful component is a notice, not a block', () => {
    const report = compare('an update of a single-instance stateful component');
    const [notice] = allFindings(report);
    expect(notice.rule).toBe(GuardRule.SINGLE_INSTANCE_DOWNTIME);
    expect(notice.severity).toBe(GuardSeverity.NOTICE);
    expect(notice.message).toContain('db-0 is stopped and then started again');
    expect(report.noticeCount).toBe(1);
    expect(report.blocked).toBe(false);
  });

  test('the notice names the changed field', () => {
    const [notice] = allFindings(compare('an update of a single-instance stateful component'));
    expect(notice.message).toMatch(/^single-instance stateful component db: the pod template changes \(spec\.template\.spec\.containers\[[^\]]+\]\.image\), so db-0/);
  });

  test('moving the component into another construct (same componentName) names the cdk8s.io/metadata.addr label and why', () => {
    const report = compare('moving the component into another construct');
    const [notice] = allFindings(report);
    expect(notice.rule).toBe(GuardRule.SINGLE_INSTANCE_DOWNTIME);
    expect(notice.component).toBe('db');
    expect(notice.message).toContain('the pod template changes (spec.template.metadata.labels["cdk8s.io/metadata.addr"]), so db-0 is stopped and then started again');
    expect(notice.message).toMatch(/the label cdk8s\.io\/metadata\.addr changes from test-db-Workload-\w+ to test-data-db-Workload-\w+: cdk8s-plus derives it from the construct path/);
    expect(notice.steps[0]).toMatch(/^To avoid the restart, move the construct back to where it was \(the path that gives test-db-Workload-\w+\), or accept one restart$/);
    expect(report.blocked).toBe(false);
  });

  test('no notice when the pod template is unchanged', () => {
    expect(allFindings(compare('no change to a single-instance stateful component'))).toEqual([]);
  });
});

test('findings are grouped per component and sorted by namespace and name', () => {
  const report = compare('findings grouped per component');
  expect(report.components.map(c => `${c.namespace}/${c.component}`)).toEqual(['apps/db', 'apps/web', 'db/etcd']);
  expect(report.components.map(c => c.findings.map(f => f.rule))).toEqual([
    [GuardRule.STATEFUL_SCALE_DOWN], [], [GuardRule.QUORUM_MEMBER_CHANGE],
  ]);
});

describe('other clustered presets built with the construct', () => {
  test('ZooKeeper (static membership) 3 -> 5 in a custom cluster domain', () => {
    const report = compare('ZooKeeper 3 -> 5 in a custom cluster domain');
    const [finding] = findingsOf(report, GuardRule.QUORUM_MEMBER_CHANGE);
    expect(finding.message).toContain('zookeeper cluster db changes from 3 to 5 members');
    expect(finding.steps[0]).toContain('kubectl scale statefulset db -n apps --replicas=0');
    expect(finding.steps[1]).toContain('server.4=db-3.db.apps.svc.corp.internal:2888:3888');
    expect(report.skipped).toEqual([]);
  });

  test('Redis Sentinel 5 -> 3 fails over and resets the Sentinels', () => {
    const report = compare('Redis Sentinel 5 -> 3');
    const [finding] = findingsOf(report, GuardRule.QUORUM_MEMBER_CHANGE);
    expect(finding.steps[0]).toContain('if db-4 is the primary, fail over first: SENTINEL FAILOVER <master>');
    expect(finding.steps[0]).toContain('SENTINEL RESET <master>');
    expect(findingsOf(report, GuardRule.STATEFUL_SCALE_DOWN)).toHaveLength(1);
  });
});

describe('stateful-component-removed', () => {
  test('a removed stateful component is a notice naming the claims left behind (whenDeleted: Retain)', () => {
    const report = compare('a removed stateful component');
    const [notice] = findingsOf(report, GuardRule.STATEFUL_COMPONENT_REMOVED);
    expect(notice.severity).toBe(GuardSeverity.NOTICE);
    expect(notice.component).toBe('db');
    expect(notice.objects).toEqual(['StatefulSet apps/db', 'PersistentVolumeClaim apps/data-db-0', 'PersistentVolumeClaim apps/data-db-1']);
    expect(notice.steps[1]).toBe('If it was removed on purpose, back up and delete the claims once no longer needed: kubectl delete pvc -n apps data-db-0 data-db-1');
    expect(report.blocked).toBe(false);
  });

  test('a renamed stateful component is blocking: the new name starts on new, empty claims', () => {
    const report = compare('a renamed stateful component');
    expect(findingsOf(report, GuardRule.STATEFUL_COMPONENT_REMOVED)).toEqual([]);
    const [renamed] = findingsOf(report, GuardRule.STATEFUL_COMPONENT_RENAMED);
    expect(renamed.severity).toBe(GuardSeverity.BLOCKING);
    expect(renamed.component).toBe('db');
    expect(renamed.message).toContain('is renamed to postgres: the new StatefulSet starts on new, empty claims data-postgres-0, data-postgres-1 while the data stays in data-db-0, data-db-1');
    expect(report.components.map(c => c.change)).toEqual(['removed (was state_multiple, 2 replicas)', 'added (state_multiple, 2 replicas)']);
    expect(report.blocked).toBe(true);
  });

  test('a rename combined with an image bump is still a rename: matched by the claim templates and mount paths', () => {
    const report = compare('a rename with an image bump');
    expect(findingsOf(report, GuardRule.STATEFUL_COMPONENT_REMOVED)).toEqual([]);
    expect(findingsOf(report, GuardRule.COMPONENT_ADDED)).toEqual([]);
    const [renamed] = findingsOf(report, GuardRule.STATEFUL_COMPONENT_RENAMED);
    expect(renamed.severity).toBe(GuardSeverity.BLOCKING);
    expect(renamed.component).toBe('db');
    expect(renamed.message).toContain('stateful component db is renamed to postgres: the new StatefulSet starts on new, empty claims data-postgres-0, data-postgres-1 '
      + 'while the data stays in data-db-0, data-db-1');
    expect(renamed.message).toContain('claim template data (10Gi) at /var/lib/data');
    expect(renamed.message).toContain('the image also changes (postgres:16 -> postgres:17)');
    expect(renamed.steps).toContain('Then acknowledge with --allow stateful-component-renamed:apps/db');
    expect(report.blocked).toBe(true);
    expect(compare('a rename with an image bump', { allow: ['stateful-component-renamed:apps/db'] }).blocked).toBe(false);
  });

  test('a new name storing something else is a removal and an addition, not a rename', () => {
    const report = compare('a new name storing something else');
    expect(findingsOf(report, GuardRule.STATEFUL_COMPONENT_RENAMED)).toEqual([]);
    expect(allFindings(report).map(f => [f.component, f.rule])).toEqual([['cache', GuardRule.COMPONENT_ADDED], ['db', GuardRule.STATEFUL_COMPONENT_REMOVED]]);
    expect(report.blocked).toBe(false);
  });
});

describe('live objects as the before (kubectl get -o yaml)', () => {
  test('a bound claim read back from the cluster is no immutable change: volumeName and the default storageClassName are the cluster\'s', () => {
    const objects = synthObjects(web());
    const claim = findObject(objects, 'PersistentVolumeClaim', 'web-files');
    const live = {
      apiVersion: 'v1',
      kind: 'List',
      items: objects.map(o => (o === claim
        ? {
          ...o,
          metadata: { ...o.metadata, uid: '0c3f6f1e-0000-4000-8000-000000000001', resourceVersion: '812', managedFields: [{ manager: 'kubectl', operation: 'Apply' }] },
          spec: { ...o.spec, volumeName: 'pvc-0c3f6f1e', storageClassName: 'local-path', volumeMode: 'Filesystem' },
          status: { phase: 'Bound', accessModes: o.spec.accessModes, capacity: o.spec.resources.requests },
        }
        : { ...o, metadata: { ...o.metadata, uid: 'u', resourceVersion: '1' } })),
      metadata: { resourceVersion: '' },
    };
    const report = ManifestGuard.compare(toYaml([live]), synthYaml(web()));
    expect(allFindings(report)).toEqual([]);
    // a synthesized before that names a class the after drops is still a change the API server refuses
    const named = synthObjects(web());
    findObject(named, 'PersistentVolumeClaim', 'web-files').spec.storageClassName = 'fast-ssd';
    expect(findingsOf(ManifestGuard.compare(toYaml(named), synthYaml(web())), GuardRule.IMMUTABLE_FIELD)[0].message).toContain('spec.storageClassName');
  });
});

describe('a claim\'s storage class set where the deployed manifests left it to the cluster', () => {
  // the API server accepts it when the claim has no class or already has that one (validateStorageClassUpgradeFromNil);
  // checked on Kubernetes 1.37.2: with a default class 'standard' at creation, 'fast' is refused and 'standard' goes through
  test('blocks, and says how to see whether the cluster already gave the claim that class', () => {
    const withClass = synthObjects(web());
    findObject(withClass, 'PersistentVolumeClaim', 'web-files').spec.storageClassName = 'standard';
    const report = ManifestGuard.compare(synthYaml(web()), toYaml(withClass));
    const [finding] = findingsOf(report, GuardRule.IMMUTABLE_FIELD);
    expect(finding.message).toBe('PersistentVolumeClaim web-files: spec.storageClassName is set to standard where the deployed manifests left it to the cluster; '
      + 'the API server refuses the update unless the claim has no class yet or already has standard (the default StorageClass when it was created)');
    expect(finding.steps[0]).toBe('Check the class the claim has: kubectl get pvc web-files -n apps -o jsonpath=\'{.spec.storageClassName}\'; if it prints standard or nothing, the apply goes through');
    expect(report.blocked).toBe(true);
  });
});

describe('a live single-instance StatefulSet as the before', () => {
  // read back from a real API server: server defaults (probe timings, fieldRef apiVersion, port protocol,
  // terminationMessagePath, schedulerName, ...) filled in, hostNetwork: false dropped, status and managedFields
  const live = fs.readFileSync(path.join(__dirname, 'fixtures', 'live-single-instance-db.yaml'), 'utf8');
  const cache = (image: string) => db({ deployType: DeployType.STATEFUL_SINGLE, replicas: 1, containers: [{ image, portNumber: 6379 }] });

  test('the same manifest again is no change: server defaults are not a pod template change', () => {
    expect(allFindings(ManifestGuard.compare(live, synthYaml(cache('redis:7.0'))))).toEqual([]);
  });

  test('an image bump names only the image', () => {
    const [notice] = allFindings(ManifestGuard.compare(live, synthYaml(cache('redis:7.2'))));
    expect(notice.rule).toBe(GuardRule.SINGLE_INSTANCE_DOWNTIME);
    expect(notice.message).toMatch(/^single-instance stateful component db: the pod template changes \(spec\.template\.spec\.containers\[[^\]]+\]\.image\), so db-0/);
  });
});

// last in this file: tests run in order, so every pair has been asked for by now
test('every pair of the corpus is held to its findings here', () => {
  expect(corpusPairNames().filter(name => !tested.has(name))).toEqual([]);
});
