/**
 * Real Kubernetes as the oracle: every object that the unit tests, the README snippets and the
 * example app synthesize is created on a real kube-apiserver (server-side apply, server dry run) in
 * namespaces that enforce the Pod Security Standards `restricted` profile. The API server validates
 * more than the OpenAPI schema (name syntax, port names, selector/label agreement, ...), and
 * PodSecurity judges Pods, so a Pod is also made from every workload's pod template, as its
 * controller would make it, and created (dry run) the same way.
 *
 * Run by test/apiserver/run, which starts the control plane (control-plane/start), records the unit
 * tests' objects (test/util/record-synth.ts) and synthesizes the example app first. Inputs:
 *   KUBECONFIG, KUBECTL           the control plane and its own kubectl
 *   RAINBOND_RECORD_SYNTH_DIR      the recorded objects (<hash>.json: { source, object })
 *   RAINBOND_APISERVER_YAML        more manifests, colon-separated (the example app's dist/*.k8s.yaml)
 *   RAINBOND_APISERVER_REPORT      where the full report goes (JSON)
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';

const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const FIELD_MANAGER = 'cdk8s-rainbond-apiserver-test';
/** Namespace of the namespaced objects that name none (a chart without a namespace). */
const DEFAULT_NAMESPACE = 'rainbond-default';
const BATCH = 50;
const RESTRICTED = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/enforce-version': 'latest',
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/warn-version': 'latest',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/audit-version': 'latest',
};

/**
 * Workloads that tests build outside the `restricted` profile on purpose. Each must still be refused
 * by PodSecurity (its Pod) and warned about (the workload), so this list cannot hide anything else:
 * a finding is excused only when both the object and the test that made it match.
 */
const OUTSIDE_RESTRICTED_ON_PURPOSE: ReadonlyArray<{ object: string; source: string; why: string }> = [
  {
    object: 'apps/v1 Deployment default/legacy',
    source: 'test/root-user.test.ts: the documented way to run an image as root',
    why: 'the README\'s documented escape hatch: ensureNonRoot off and user 0',
  },
  {
    object: 'apps/v1 Deployment default/app',
    source: 'test/component.test.ts: policy: secure, reliable defaults the policy check itself catches a privileged, root, unbounded container',
    why: 'a privileged root container built to prove that the policy check catches it',
  },
  {
    object: 'apps/v1 Deployment shop/frontend',
    source: 'test/compat.test.ts',
    why: 'the app\'s own cdk8s-plus-33 Deployment in the mixed-versions fixture (cdk8s-plus defaults), not a library workload',
  },
  {
    object: 'apps/v1 Deployment shop/admin',
    source: 'test/compat.test.ts',
    why: 'the app\'s own cdk8s-plus-34 Deployment in the mixed-versions fixture (cdk8s-plus defaults), not a library workload',
  },
];

interface Item { readonly source: string; readonly object: any }
interface Finding { readonly object: string; readonly source: string; readonly message: string }
interface Outcome { readonly rejections: Finding[]; readonly warnings: Finding[]; readonly applied: number }

function describeObject(o: any): string {
  return `${o?.apiVersion} ${o?.kind} ${o?.metadata?.namespace ?? '-'}/${o?.metadata?.name}`;
}

function kubectl(args: string[], input?: string): { status: number; stdout: string; stderr: string; combined: string } {
  // stdout and stderr into one file too: kubectl prints an object's warnings just before its result line
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'atest-')), 'out');
  const fd = fs.openSync(out, 'w');
  const r = spawnSync(KUBECTL, args, { input, stdio: ['pipe', fd, fd], encoding: 'utf8', timeout: 600_000 });
  fs.closeSync(fd);
  const combined = fs.readFileSync(out, 'utf8');
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  if (r.error) throw new Error(`${KUBECTL} ${args.join(' ')}: ${r.error.message}`);
  const lines = combined.split('\n');
  const isMessage = (l: string) => /^(Warning: |Error from server|error: |error when )/.test(l);
  return {
    status: r.status ?? 1,
    stdout: lines.filter(l => l !== '' && !isMessage(l)).join('\n'),
    stderr: lines.filter(isMessage).join('\n'),
    combined,
  };
}

function warningsIn(text: string): string[] {
  return text.split('\n').filter(l => l.startsWith('Warning: ')).map(l => l.slice('Warning: '.length));
}

/** Server-side applies (server dry run) a list of objects of one namespace, in batches; one by one where a batch meets a rejection or a warning. */
function applyAll(items: Item[], namespace: string, extra: string[] = []): Outcome {
  const rejections: Finding[] = [];
  const warnings: Finding[] = [];
  let applied = 0;
  const args = ['apply', '--server-side', '--dry-run=server', `--field-manager=${FIELD_MANAGER}`, '--force-conflicts', `--namespace=${namespace}`, ...extra, '-f', '-'];
  const one = (item: Item) => {
    const r = kubectl(args, JSON.stringify(item.object));
    applied++;
    const at = { object: describeObject(item.object), source: item.source };
    for (const w of warningsIn(r.combined)) warnings.push({ ...at, message: w });
    if (r.status !== 0) {
      const message = r.combined.split('\n').filter(l => l !== '' && !l.startsWith('Warning: ')).join('\n');
      rejections.push({ ...at, message });
    }
  };
  for (let i = 0; i < items.length; i += BATCH) {
    const batch = items.slice(i, i + BATCH);
    // a List: kubectl applies its items in order, each with its own request
    const list = { apiVersion: 'v1', kind: 'List', items: batch.map(b => b.object) };
    const r = kubectl(args, JSON.stringify(list));
    // kubectl prints each distinct warning once per process, so a batch that draws any is redone one by one
    if (r.status !== 0 || warningsIn(r.combined).length > 0) batch.forEach(one);
    else applied += batch.length;
  }
  return { rejections, warnings, applied };
}

/** What a controller would create from a workload's pod template; undefined for other kinds. */
export function podOf(workload: any): any | undefined {
  const kind = workload?.kind;
  const template = kind === 'CronJob' ? workload.spec?.jobTemplate?.spec?.template
    : ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController'].includes(kind) ? workload.spec?.template : undefined;
  if (!template?.spec) return undefined;
  // a StatefulSet's first Pod is <name>-0 exactly; the other controllers use generateName, which cuts
  // the base to 58 characters and adds 5 random ones
  const name = kind === 'StatefulSet' ? `${workload.metadata.name}-0` : `${workload.metadata.name}-`.slice(0, 58) + 'x7k2q';
  const spec = JSON.parse(JSON.stringify(template.spec));
  if (kind === 'StatefulSet') {
    // the StatefulSet controller adds a volume per claim template and names the Pod's host
    const claims = workload.spec.volumeClaimTemplates ?? [];
    spec.volumes = [...spec.volumes ?? []];
    for (const claim of claims) {
      if (spec.volumes.some((v: any) => v.name === claim.metadata.name)) continue;
      spec.volumes.push({ name: claim.metadata.name, persistentVolumeClaim: { claimName: `${claim.metadata.name}-${name}` } });
    }
    spec.hostname = name;
    if (workload.spec.serviceName) spec.subdomain = workload.spec.serviceName;
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: workload.metadata.namespace, labels: template.metadata?.labels, annotations: template.metadata?.annotations },
    spec,
  };
}

function loadItems(): Item[] {
  const items: Item[] = [];
  const dir = process.env.RAINBOND_RECORD_SYNTH_DIR;
  if (!dir || !fs.existsSync(dir)) throw new Error('RAINBOND_RECORD_SYNTH_DIR names no recording: run test/apiserver/run');
  for (const f of fs.readdirSync(dir).filter(n => n.endsWith('.json')).sort()) {
    items.push(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
  }
  for (const file of (process.env.RAINBOND_APISERVER_YAML ?? '').split(':').filter(Boolean)) {
    for (const object of Yaml.load(file)) items.push({ source: `example app: ${path.relative(process.cwd(), file)}`, object });
  }
  const seen = new Set<string>();
  return items.filter(i => {
    const hash = createHash('sha256').update(JSON.stringify(i.object)).digest('hex');
    if (seen.has(hash)) return false;
    seen.add(hash);
    return true;
  });
}

function byNamespace(items: Item[]): Map<string, Item[]> {
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    const ns = item.object?.metadata?.namespace ?? DEFAULT_NAMESPACE;
    groups.set(ns, [...groups.get(ns) ?? [], item]);
  }
  return groups;
}

/** Why a finding is expected (see OUTSIDE_RESTRICTED_ON_PURPOSE), or undefined. */
function onPurpose(f: Finding): string | undefined {
  return OUTSIDE_RESTRICTED_ON_PURPOSE.find(e => f.source.includes(`${e.object}, from ${e.source}`)
    || (f.object === e.object && f.source.startsWith(e.source)))?.why;
}

/** Makes (for real) the ServiceAccounts that the Pods name: the ServiceAccount admission plugin refuses a Pod whose account is missing. */
function createServiceAccounts(namespace: string, pods: Item[]): string[] {
  const names = [...new Set(pods.map(p => p.object.spec.serviceAccountName).filter((n: unknown) => typeof n === 'string' && n !== 'default'))];
  if (names.length === 0) return [];
  const list = { apiVersion: 'v1', kind: 'List', items: names.map(name => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } })) };
  const r = kubectl(['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, `--namespace=${namespace}`, '-f', '-'], JSON.stringify(list));
  return r.status === 0 ? [] : [r.combined];
}

function format(findings: Finding[]): string {
  return findings.map(f => `${f.object}  [${f.source}]\n    ${f.message.replace(/\n/g, '\n    ')}`).join('\n');
}

describe('the real API server accepts every synthesized object', () => {
  let items: Item[] = [];
  const objects: Outcome = { rejections: [], warnings: [], applied: 0 };
  const pods: Outcome = { rejections: [], warnings: [], applied: 0 };
  const namespaceErrors: string[] = [];

  beforeAll(() => {
    items = loadItems();
    const namespaces = [...byNamespace(items).keys()].sort();
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: namespaces.map(name => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: RESTRICTED } })),
    };
    const created = kubectl(['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '-f', '-'], JSON.stringify(list));
    if (created.status !== 0) namespaceErrors.push(created.combined);

    for (const [ns, group] of byNamespace(items)) {
      const o = applyAll(group, ns);
      objects.rejections.push(...o.rejections);
      objects.warnings.push(...o.warnings);
      (objects as { applied: number }).applied += o.applied;
      const podItems = group.flatMap(i => {
        const pod = podOf(i.object);
        return pod ? [{ source: `pod of ${describeObject(i.object)}, from ${i.source}`, object: pod }] : [];
      });
      namespaceErrors.push(...createServiceAccounts(ns, podItems));
      const p = applyAll(podItems, ns);
      pods.rejections.push(...p.rejections);
      pods.warnings.push(...p.warnings);
      (pods as { applied: number }).applied += p.applied;
    }
    const report = process.env.RAINBOND_APISERVER_REPORT;
    if (report) {
      fs.mkdirSync(path.dirname(report), { recursive: true });
      fs.writeFileSync(report, JSON.stringify({ namespaces, objects, pods, namespaceErrors }, undefined, 1));
    }
    // eslint-disable-next-line no-console
    console.log(`applied ${objects.applied} objects and ${pods.applied} pods (server dry run) in ${namespaces.length} restricted namespaces: `
      + `${objects.rejections.length + pods.rejections.length} rejections, ${objects.warnings.length + pods.warnings.length} warnings`);
  }, 3_600_000);

  test('the server is the pinned release, and the recording holds the unit tests, the README snippets and the example app', () => {
    const version = JSON.parse(kubectl(['version', '-o', 'json']).stdout);
    expect(version.serverVersion.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
    const sources = new Set(items.map(i => i.source.split(':')[0]));
    expect([...sources]).toEqual(expect.arrayContaining(['test/readme.test.ts', 'test/example.test.ts', 'example app', 'test/component.test.ts']));
    expect(items.length).toBeGreaterThan(100);
    expect(namespaceErrors).toEqual([]);
  });

  test('the oracle itself refuses what it must: a bad port name, and a Pod outside `restricted`', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'oracle-check' },
      spec: {
        selector: { matchLabels: { app: 'oracle-check' } },
        template: {
          metadata: { labels: { app: 'oracle-check' } },
          spec: { containers: [{ name: 'c', image: 'busybox:1', ports: [{ containerPort: 80, name: 'a-port-name-over-15' }] }] },
        },
      },
    };
    const source = 'accepted.atest.ts: oracle check';
    const o = applyAll([{ source, object: deployment }], DEFAULT_NAMESPACE);
    expect(o.rejections.map(f => f.message).join('\n')).toMatch(/Invalid value: "a-port-name-over-15"/);
    const pod = podOf({ ...deployment, spec: { ...deployment.spec, template: { ...deployment.spec.template, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } } } });
    const p = applyAll([{ source, object: pod }], DEFAULT_NAMESPACE);
    expect(p.rejections.map(f => f.message).join('\n')).toMatch(/violates PodSecurity "restricted:latest"/);
  });

  test('no object is rejected', () => {
    expect(format(objects.rejections.filter(f => !onPurpose(f)))).toBe('');
  });

  test('no object draws a warning (PodSecurity restricted: workloads are warned about, not refused)', () => {
    expect(format(objects.warnings.filter(f => !onPurpose(f)))).toBe('');
  });

  test('a Pod made from every workload template is admitted where `restricted` is enforced', () => {
    expect(pods.applied).toBeGreaterThan(10);
    expect(format(pods.rejections.filter(f => !onPurpose(f)))).toBe('');
    expect(format(pods.warnings.filter(f => !onPurpose(f)))).toBe('');
  });

  test('the workloads built outside `restricted` on purpose are warned about and their Pods refused', () => {
    for (const e of OUTSIDE_RESTRICTED_ON_PURPOSE) {
      const recorded = items.some(i => describeObject(i.object) === e.object && i.source.startsWith(e.source));
      if (!recorded) continue; // the test that built it is gone: nothing to excuse
      const excused = (f: Finding) => onPurpose(f) === e.why;
      expect(`${e.object}: warned ${objects.warnings.some(excused)}`).toBe(`${e.object}: warned true`);
      expect(`${e.object}: refused ${pods.rejections.some(f => excused(f) && /violates PodSecurity "restricted/.test(f.message))}`)
        .toBe(`${e.object}: refused true`);
    }
  });
});
