import { allFindings, findingsOf } from './synth';
import { GuardRule, ManifestGuard } from '../../src/guard';

/** Hand-written YAML fixtures following conventions 3 and 4 (volume-type annotation, autoscaler marker). */
function workload(kind: 'StatefulSet' | 'Deployment', deployType: string, opts: { replicas?: number; volumes?: string; templates?: string } = {}): string {
  return `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: app
  namespace: apps
  annotations: {rainbond.io/component: app, rainbond.io/deploy-type: ${deployType}}
spec:
${opts.replicas === undefined ? '' : `  replicas: ${opts.replicas}\n`}${kind === 'StatefulSet' ? '  serviceName: app\n' : ''}  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers: [{name: app, image: 'app:1'}]
${opts.volumes ?? ''}${opts.templates ?? ''}`;
}

const memoryAndConfigVolumes = `      volumes:
        - {name: cache, emptyDir: {medium: Memory, sizeLimit: 64Mi}}
        - {name: settings, configMap: {name: app-settings}}
`;

const configMap = `apiVersion: v1
kind: ConfigMap
metadata: {name: app-settings, namespace: apps, annotations: {rainbond.io/component: app}}
data: {app.conf: 'x=1'}
`;

const localTemplate = `  volumeClaimTemplates:
    - metadata: {name: data, annotations: {rainbond.io/volume-type: local}}
      spec: {accessModes: [ReadWriteOnce], storageClassName: local-path, resources: {requests: {storage: 5Gi}}}
`;

const sharedClaim = (type: string, mode: string) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: app-files, namespace: apps, annotations: {rainbond.io/component: app, rainbond.io/volume-type: ${type}}}
spec: {accessModes: [${mode}], resources: {requests: {storage: 5Gi}}}
`;

const claimVolume = `      volumes:
        - {name: files, persistentVolumeClaim: {claimName: app-files}}
`;

function hpa(target: string, kind = 'Deployment', maxReplicas = 10): string {
  return `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: app, namespace: apps, annotations: {rainbond.io/component: app}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: ${kind}, name: ${target}}
  minReplicas: 2
  maxReplicas: ${maxReplicas}
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]
`;
}

const docs = (...parts: string[]) => parts.join('---\n');

describe('volume types in the deploy-type-switch and shared-RWO rules', () => {
  test('memoryfs (emptyDir) and config-file (ConfigMap) volumes never block a switch, in either direction', () => {
    const stateful = docs(workload('StatefulSet', 'state_singleton', { replicas: 1, volumes: memoryAndConfigVolumes }), configMap);
    const stateless = docs(workload('Deployment', 'stateless_singleton', { replicas: 1, volumes: memoryAndConfigVolumes }), configMap);
    expect(findingsOf(ManifestGuard.compare(stateful, stateless), GuardRule.DEPLOY_TYPE_SWITCH)).toEqual([]);
    expect(findingsOf(ManifestGuard.compare(stateless, stateful), GuardRule.DEPLOY_TYPE_SWITCH)).toEqual([]);
  });

  test('a local volume blocks a switch to stateless and says why', () => {
    const report = ManifestGuard.compare(
      workload('StatefulSet', 'state_multiple', { replicas: 2, templates: localTemplate }),
      workload('Deployment', 'stateless_multiple', { replicas: 2 }));
    const [finding] = findingsOf(report, GuardRule.DEPLOY_TYPE_SWITCH);
    expect(finding.message).toContain('the volume data is of type local (node-local, single writer), which a stateless component can\'t have');
    expect(finding.message).toContain('data-app-0, data-app-1 would be orphaned');
    expect(report.blocked).toBe(true);
  });

  test('a local claim shared by several replicas is single-node whatever its access modes', () => {
    const before = docs(workload('Deployment', 'stateless_multiple', { replicas: 1, volumes: claimVolume }), sharedClaim('local', 'ReadWriteMany'));
    const after = docs(workload('Deployment', 'stateless_multiple', { replicas: 3, volumes: claimVolume }), sharedClaim('local', 'ReadWriteMany'));
    const [finding] = findingsOf(ManifestGuard.compare(before, after), GuardRule.SHARED_RWO_VOLUME);
    expect(finding.message).toContain('runs 3 replicas that share the node-local (volume type local) claim app-files');
    const shareFile = (replicas: number) => docs(workload('Deployment', 'stateless_multiple', { replicas, volumes: claimVolume }), sharedClaim('share-file', 'ReadWriteMany'));
    expect(findingsOf(ManifestGuard.compare(shareFile(1), shareFile(3)), GuardRule.SHARED_RWO_VOLUME)).toEqual([]);
  });
});

describe('replicas owned by a HorizontalPodAutoscaler', () => {
  const stateful = (replicas?: number) => workload('StatefulSet', 'state_multiple', { replicas, templates: localTemplate });

  test('a stateful component handing its replicas to an autoscaler is no scale-down, but the handover itself resets replicas to 1', () => {
    const report = ManifestGuard.compare(stateful(5), docs(stateful(), hpa('app', 'StatefulSet')));
    expect(allFindings(report).map(f => f.rule)).toEqual([GuardRule.AUTOSCALER_HANDOVER]);
    const [handover] = allFindings(report);
    expect(handover.message).toBe('StatefulSet app hands its 5 replicas to HorizontalPodAutoscaler app: the apply drops spec.replicas, which the deployed manifests set, '
      + 'so it falls back to its default of 1 and all pods but one terminate until the autoscaler scales back up');
    expect(handover.steps[0]).toContain('kubectl apply edit-last-applied statefulset/app -n apps');
    // one replica before: nothing to lose
    expect(allFindings(ManifestGuard.compare(stateful(1), docs(stateful(), hpa('app', 'StatefulSet'))))).toEqual([]);
    expect(report.components[0].change).toBe('state_multiple, 5 replicas -> autoscaled 2-10 replicas (HorizontalPodAutoscaler app)');
    // without the autoscaler the omitted replicas mean 1: a real scale-down
    expect(findingsOf(ManifestGuard.compare(stateful(5), stateful()), GuardRule.STATEFUL_SCALE_DOWN)).toHaveLength(1);
  });

  test('a stateful component taken off its autoscaler for a smaller fixed count is a scale-down from the autoscaler\'s maxReplicas', () => {
    // the autoscaler may be running up to 4 pods; the fixed count deletes every pod at or above it
    const report = ManifestGuard.compare(docs(stateful(), hpa('app', 'StatefulSet', 4)), stateful(2));
    const [finding] = findingsOf(report, GuardRule.STATEFUL_SCALE_DOWN);
    expect(finding.message).toBe('stateful component app leaves HorizontalPodAutoscaler app, which may run up to 4 instances, for a fixed 2: '
      + 'any of pods app-2, app-3 that run go away and their claims data-app-2, data-app-3 are retained with stale data that a later scale-up would silently reuse');
    expect(finding.steps[0]).toBe('See how many run now: kubectl get statefulset app -n apps -o jsonpath=\'{.spec.replicas}\'');
    expect(report.blocked).toBe(true);
    // leaving spec.replicas out without the autoscaler means 1
    expect(findingsOf(ManifestGuard.compare(docs(stateful(), hpa('app', 'StatefulSet', 4)), stateful()), GuardRule.STATEFUL_SCALE_DOWN)).toHaveLength(1);
    // a fixed count of at least maxReplicas removes no pod; a new autoscaler with fewer owns the scaling
    expect(findingsOf(ManifestGuard.compare(docs(stateful(), hpa('app', 'StatefulSet', 4)), stateful(4)), GuardRule.STATEFUL_SCALE_DOWN)).toEqual([]);
    expect(findingsOf(ManifestGuard.compare(docs(stateful(), hpa('app', 'StatefulSet', 4)), docs(stateful(), hpa('app', 'StatefulSet', 3))), GuardRule.STATEFUL_SCALE_DOWN)).toEqual([]);
  });

  test('an autoscaler that targets another workload, or a workload that still sets replicas, owns nothing', () => {
    expect(findingsOf(ManifestGuard.compare(stateful(5), docs(stateful(), hpa('other', 'StatefulSet'))), GuardRule.STATEFUL_SCALE_DOWN)).toHaveLength(1);
    expect(findingsOf(ManifestGuard.compare(stateful(5), docs(stateful(2), hpa('app', 'StatefulSet'))), GuardRule.STATEFUL_SCALE_DOWN)).toHaveLength(1);
  });

  test('changing the autoscaler bounds of a stateless component is not flagged, and the autoscaler is a known kind', () => {
    const web = (max: number) => docs(workload('Deployment', 'stateless_multiple'), hpa('app', 'Deployment', max));
    const report = ManifestGuard.compare(web(10), web(4));
    expect(allFindings(report)).toEqual([]);
    expect(report.skipped).toEqual([]);
    expect(report.components[0].change).toBe('stateless_multiple, autoscaled 2-10 replicas (HorizontalPodAutoscaler app) -> autoscaled 2-4 replicas (HorizontalPodAutoscaler app)');
  });

  test('an autoscaler that may run several pods on a ReadWriteOnce claim is still flagged', () => {
    const before = docs(workload('Deployment', 'stateless_multiple', { replicas: 1, volumes: claimVolume }), sharedClaim('share-file', 'ReadWriteOnce'));
    const after = docs(workload('Deployment', 'stateless_multiple', { volumes: claimVolume }), sharedClaim('share-file', 'ReadWriteOnce'), hpa('app'));
    const [finding] = findingsOf(ManifestGuard.compare(before, after), GuardRule.SHARED_RWO_VOLUME);
    expect(finding.message).toContain('may run up to 10 replicas (HorizontalPodAutoscaler app) that share the ReadWriteOnce claim app-files');
  });
});
