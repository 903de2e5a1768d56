/**
 * Tier 5 (issue 24): the change guard held against the real server and controllers. Every before/after
 * pair of the guard's corpus (test/guard/corpus-pairs.ts) is applied for real in namespaces of its own:
 * apply before, let the controllers settle (the fake kubelet of test/apiserver/kube.ts marks pods
 * Ready), read the live objects back (`kubectl get -o yaml`: a `kind: List` with status, managedFields
 * and server defaults), apply after as a pruning tool would (objects no longer rendered are deleted),
 * settle again. Then:
 * - the live objects work as the guard's before: the same findings as from the synthesized before
 * - the API server refuses the apply exactly when the guard reports an immutable-field finding (blocking)
 * - when it accepts, what the controllers did matches the findings: a claim that a pod used before and
 *   no pod uses after (orphaned), or that was deleted, is named by a finding; a single-instance
 *   stateful pod replaced only with a finding that says so, and a single-instance-downtime notice only
 *   when it is; a deploy-type switch or workload-replaced finding only when the workload kind changed
 */
import { Yaml } from 'cdk8s';
import { FakeKubelet, api, apply, createNamespace, deleteNamespaces, isReady, kubectl, until } from './kube';
import { GuardFinding, GuardRule, ManifestGuard } from '../../src/guard';
import { corpusPairs, CorpusPair } from '../guard/corpus-pairs';

const kubelet = new FakeKubelet(['guard-node-a', 'guard-node-b', 'guard-node-c']);
const BATCH = 10;
const timings: string[] = [];
const namespacesUsed: string[] = [];

const pairs = corpusPairs().map((pair, i) => ({ ...pair, index: i }));
const batches: Array<Array<CorpusPair & { index: number }>> = [];
for (let i = 0; i < pairs.length; i += BATCH) batches.push(pairs.slice(i, i + BATCH));

/** The pair's objects with namespace N moved to g<index>-N. */
function relocate(objects: any[], index: number): any[] {
  return objects.map(o => (o.metadata?.namespace ? { ...o, metadata: { ...o.metadata, namespace: `g${index}-${o.metadata.namespace}` } } : o));
}

const key = (o: any) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;

interface Live { pods: any[]; claims: any[]; workloads: string[] }

async function observe(namespaces: string[]): Promise<Live> {
  const live: Live = { pods: [], claims: [], workloads: [] };
  for (const ns of namespaces) {
    live.pods.push(...(await api('GET', `/api/v1/namespaces/${ns}/pods`)).items.filter((p: any) => !p.metadata.deletionTimestamp));
    live.claims.push(...(await api('GET', `/api/v1/namespaces/${ns}/persistentvolumeclaims`)).items.filter((c: any) => !c.metadata.deletionTimestamp));
    for (const kind of ['statefulsets', 'deployments']) {
      for (const w of (await api('GET', `/apis/apps/v1/namespaces/${ns}/${kind}`)).items) live.workloads.push(`${w.kind ?? (kind === 'statefulsets' ? 'StatefulSet' : 'Deployment')} ${ns}/${w.metadata.name}`);
    }
  }
  return live;
}

async function settled(namespaces: string[]): Promise<boolean> {
  for (const ns of namespaces) {
    for (const s of (await api('GET', `/apis/apps/v1/namespaces/${ns}/statefulsets`)).items) {
      if ((s.status?.readyReplicas ?? 0) !== s.spec.replicas || s.status?.updateRevision !== s.status?.currentRevision
        || s.status?.observedGeneration !== s.metadata.generation || (s.status?.replicas ?? 0) !== s.spec.replicas) return false;
    }
    for (const d of (await api('GET', `/apis/apps/v1/namespaces/${ns}/deployments`)).items) {
      if ((d.status?.readyReplicas ?? 0) !== d.spec.replicas || (d.status?.replicas ?? 0) !== d.spec.replicas
        || d.status?.updatedReplicas !== d.spec.replicas || d.status?.observedGeneration !== d.metadata.generation) return false;
    }
    // no pod of a deleted workload still terminating
    if ((await api('GET', `/api/v1/namespaces/${ns}/pods`)).items.some((p: any) => p.metadata.deletionTimestamp)) return false;
  }
  return true;
}

/** Nodes, and the pods and claims of the namespaces that are not there yet, for a failure message. */
async function diagnose(namespaces: string[]): Promise<string> {
  const out: string[] = [];
  for (const n of (await api('GET', '/api/v1/nodes')).items) {
    out.push(`node ${n.metadata.name} ready=${n.status?.conditions?.find((c: any) => c.type === 'Ready')?.status} taints=${JSON.stringify(n.spec.taints ?? [])}`);
  }
  for (const ns of namespaces) {
    for (const p of (await api('GET', `/api/v1/namespaces/${ns}/pods`)).items) {
      if (isReady(p)) continue;
      out.push(`pod ${ns}/${p.metadata.name} node=${p.spec.nodeName} phase=${p.status?.phase} deleting=${!!p.metadata.deletionTimestamp} `
        + (p.status?.conditions ?? []).map((c: any) => `${c.type}=${c.status}:${c.message ?? ''}`).join(' '));
    }
    for (const c of (await api('GET', `/api/v1/namespaces/${ns}/persistentvolumeclaims`)).items) if (c.status?.phase !== 'Bound') out.push(`claim ${ns}/${c.metadata.name} ${c.status?.phase}`);
    for (const s of (await api('GET', `/apis/apps/v1/namespaces/${ns}/statefulsets`)).items) out.push(`sts ${ns}/${s.metadata.name} ${JSON.stringify(s.status)}`);
  }
  out.push(`kubelet errors: ${kubelet.errors.slice(-5).join(' | ')}`);
  return out.join('\n');
}

const usedClaims = (pods: any[]) => new Set(pods.flatMap(p => (p.spec.volumes ?? [])
  .filter((v: any) => v.persistentVolumeClaim).map((v: any) => `PersistentVolumeClaim ${p.metadata.namespace}/${v.persistentVolumeClaim.claimName}`)));

const comparable = (fs: GuardFinding[]) => fs.map(f => ({ ...f })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const findingsOf = (report: ReturnType<typeof ManifestGuard.compare>) => report.components.flatMap(c => c.findings);

/** Runs one pair; returns the disagreements found (empty: the guard and the cluster agree). */
async function runPair(pair: CorpusPair & { index: number }): Promise<string[]> {
  try {
    return await checkPair(pair);
  } finally {
    for (const ns of new Set(relocate([...pair.before, ...pair.after], pair.index).map(o => o.metadata?.namespace).filter(Boolean))) {
      await api('DELETE', `/api/v1/namespaces/${ns}`).catch(() => undefined);
    }
  }
}

async function checkPair(pair: CorpusPair & { index: number }): Promise<string[]> {
  const problems: string[] = [];
  const before = relocate(pair.before, pair.index);
  const after = relocate(pair.after, pair.index);
  const namespaces = [...new Set([...before, ...after].map(o => o.metadata?.namespace).filter(Boolean))] as string[];
  namespacesUsed.push(...namespaces);
  for (const ns of namespaces) await createNamespace(ns);
  const beforeYaml = Yaml.stringify(...before);
  const afterYaml = Yaml.stringify(...after);

  const first = await apply(before);
  if (first.status !== 0) return [`the before manifests were refused: ${first.stderr}`];
  await until(`${pair.name}: before settled`, () => settled(namespaces), 90_000, 500)
    .catch(async e => { throw new Error(`${e}\n${await diagnose(namespaces)}`); });
  const was = await observe(namespaces);

  // the live objects as the guard's before
  const live = await kubectl(['get', '-f', '-', '-o', 'yaml'], beforeYaml);
  const report = ManifestGuard.compare(beforeYaml, afterYaml);
  const liveReport = ManifestGuard.compare(live.stdout, afterYaml);
  const findings = findingsOf(report);
  if (JSON.stringify(comparable(findingsOf(liveReport))) !== JSON.stringify(comparable(findings))) {
    problems.push(`from the live objects the guard finds ${JSON.stringify(comparable(findingsOf(liveReport)))}, from the synthesized before ${JSON.stringify(comparable(findings))}`);
  }
  if (liveReport.blocked !== report.blocked) problems.push(`blocked from live objects: ${liveReport.blocked}, from synthesized: ${report.blocked}`);

  // apply after, pruning what is no longer rendered
  const second = await apply(after);
  const refused = second.status !== 0;
  const immutable = findings.filter(f => f.rule === GuardRule.IMMUTABLE_FIELD);
  if (refused && !(immutable.length > 0 && report.blocked)) problems.push(`the API server refused the apply but the guard has no blocking immutable-field finding: ${second.stderr.trim()}`);
  if (!refused && immutable.length > 0) problems.push(`the guard says the API server refuses (${immutable.map(f => f.message).join('; ')}) but it accepted`);
  if (refused) return problems;
  const afterKeys = new Set(after.map(key));
  const beforeKeys = new Set(before.map(key));
  for (const o of before.filter(x => !afterKeys.has(key(x)))) {
    await kubectl(['delete', o.kind, o.metadata.name, '-n', o.metadata.namespace, '--ignore-not-found', '--wait=false']);
  }
  await until(`${pair.name}: after settled`, () => settled(namespaces), 90_000, 500);
  const now = await observe(namespaces);

  const named = new Set(findings.flatMap(f => f.objects));
  const usedBefore = usedClaims(was.pods);
  const usedAfter = usedClaims(now.pods);
  const claimsAfter = new Set(now.claims.map(c => `PersistentVolumeClaim ${c.metadata.namespace}/${c.metadata.name}`));
  for (const claim of usedBefore) {
    if (!claimsAfter.has(claim) && !named.has(claim)) problems.push(`${claim} was deleted, but no finding names it`);
    else if (!usedAfter.has(claim) && !named.has(claim)) problems.push(`${claim} is orphaned (no pod uses it any more), but no finding names it`);
  }
  for (const f of findings) {
    for (const o of f.objects.filter(x => x.startsWith('PersistentVolumeClaim '))) {
      // a pruning apply deletes a rendered claim that is no longer rendered; the finding must say so
      const pruned = beforeKeys.has(o) && !afterKeys.has(o);
      const deletedSaid = /is deleted with their data|are deleted with their data/.test(f.message)
        || (pruned && [f.message, ...f.steps].some(t => t.includes(`pruning apply also deletes ${o.split('/')[1]}`)));
      if (usedBefore.has(o) && claimsAfter.has(o) === deletedSaid) problems.push(`${f.rule} says ${o} is ${deletedSaid ? 'deleted' : 'kept'}, but it is ${claimsAfter.has(o) ? 'kept' : 'deleted'}`);
    }
  }
  // workload kind changes
  const kindChanged = (f: GuardFinding) => {
    const ns = f.namespace;
    const c = f.component;
    const had = was.workloads.filter(w => w.endsWith(` ${ns}/${c}`));
    const has = now.workloads.filter(w => w.endsWith(` ${ns}/${c}`));
    return had.length > 0 && has.length > 0 && had[0].split(' ')[0] !== has[0].split(' ')[0];
  };
  for (const f of findings.filter(x => x.rule === GuardRule.DEPLOY_TYPE_SWITCH || x.rule === GuardRule.WORKLOAD_REPLACED)) {
    if (!kindChanged(f)) problems.push(`${f.rule} for ${f.component}, but the workload kind did not change`);
  }
  // and a workload whose kind changed (the old one pruned, the new one created) is named by such a finding
  for (const w of now.workloads) {
    const [kind, ref] = w.split(' ');
    const old = was.workloads.find(x => x.endsWith(` ${ref}`) && !x.startsWith(`${kind} `));
    const [ns, name] = ref.split('/');
    const switchRules = [GuardRule.DEPLOY_TYPE_SWITCH, GuardRule.WORKLOAD_REPLACED];
    if (old && !findings.some(f => f.namespace === ns && f.component === name && switchRules.includes(f.rule))) {
      problems.push(`${old} was replaced by ${w} (all pods at once), but no finding says so`);
    }
  }
  // single-instance stateful pods: replaced <=> a finding says so
  for (const p of was.pods.filter(x => x.metadata.ownerReferences?.[0]?.kind === 'StatefulSet')) {
    const sts = await api('GET', `/apis/apps/v1/namespaces/${p.metadata.namespace}/statefulsets/${p.metadata.ownerReferences[0].name}`);
    if (!sts || sts.spec.replicas !== 1) continue;
    const component = p.metadata.labels?.['app.kubernetes.io/name'] ?? sts.metadata.name;
    const replaced = !now.pods.some(x => x.metadata.uid === p.metadata.uid);
    const replacing = [GuardRule.SINGLE_INSTANCE_DOWNTIME, GuardRule.WORKLOAD_REPLACED, GuardRule.DEPLOY_TYPE_SWITCH];
    const said = findings.some(f => f.component === component && replacing.includes(f.rule));
    if (replaced && !said) problems.push(`the single instance ${p.metadata.name} was replaced (stopped, then started), but no finding says so`);
    if (!replaced && findings.some(f => f.component === component && f.rule === GuardRule.SINGLE_INSTANCE_DOWNTIME)) {
      problems.push(`single-instance-downtime for ${component}, but ${p.metadata.name} kept running`);
    }
  }
  if (!now.pods.every(isReady)) problems.push('not every pod is Ready after the apply');
  return problems;
}

/**
 * A default StorageClass that allows volume expansion, as a cluster with a resizable volume driver has:
 * a claim gets its class on creation (the live claim has storageClassName, the manifest not), and
 * growing a claim is accepted (on a class without allowVolumeExpansion the API server refuses it).
 */
const STORAGE_CLASS = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'guard-test-standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'cdk8s-rainbond.test/fake',
  allowVolumeExpansion: true,
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'Immediate',
};

beforeAll(async () => {
  await api('POST', '/apis/storage.k8s.io/v1/storageclasses', STORAGE_CLASS);
  await kubelet.start();
});

afterAll(async () => {
  await deleteNamespaces([...new Set(namespacesUsed)], 120_000).catch(e => console.error(String(e)));
  await kubelet.stop();
  await api('DELETE', `/apis/storage.k8s.io/v1/storageclasses/${STORAGE_CLASS.metadata.name}`).catch(() => undefined);
  console.log(`guard.atest timings:\n  ${timings.join('\n  ')}`);
});

test.each(batches.map((b, i) => [`${i * BATCH + 1}-${i * BATCH + b.length}`, b] as const))('corpus pairs %s: the guard agrees with the server and the controllers', async (_range, batch) => {
  const t0 = Date.now();
  const results = await Promise.all(batch.map(async pair => {
    try {
      return { pair, problems: await runPair(pair) };
    } catch (e) {
      return { pair, problems: [`failed: ${e}`] };
    }
  }));
  timings.push(`pairs ${_range}: ${Date.now() - t0} ms`);
  const disagreements = results.filter(r => r.problems.length).map(r => `${r.pair.name}:\n    ${r.problems.join('\n    ')}`);
  expect(disagreements.join('\n')).toBe('');
});
