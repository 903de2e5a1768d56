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
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { applyAll, createServiceAccounts, DEFAULT_NAMESPACE, describeObject, FIELD_MANAGER, Finding, Item, kubectl, Outcome, podOf, RESTRICTED } from './oracle';

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

  test('the oracle itself refuses what it must: a bad port name, a Pod outside `restricted`, an unknown field', () => {
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
    // strict field validation (kubectl's default --validate=strict): the live server is the strict schema check of its release
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'oracle-check' }, spec: { clusterIp: 'None', ports: [{ port: 80 }] } };
    const u = applyAll([{ source, object: service }], DEFAULT_NAMESPACE);
    expect(u.rejections.map(f => f.message).join('\n')).toMatch(/\.spec\.clusterIp: field not declared in schema/);
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
