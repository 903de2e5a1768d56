/**
 * The real API server as an oracle, shared by the test/apiserver tier: kubectl against the control
 * plane that test/apiserver/run starts (KUBECTL, KUBECONFIG), server-side apply with server dry run in
 * batches, namespaces that enforce Pod Security `restricted`, and the Pod a controller would make from
 * a workload's template.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const KUBECTL = process.env.KUBECTL ?? 'kubectl';
export const FIELD_MANAGER = 'cdk8s-rainbond-apiserver-test';
/** Namespace of the namespaced objects that name none (a chart without a namespace). */
export const DEFAULT_NAMESPACE = 'rainbond-default';
export const BATCH = 50;
export const RESTRICTED = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/enforce-version': 'latest',
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/warn-version': 'latest',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/audit-version': 'latest',
};

export interface Item { readonly source: string; readonly object: any }
export interface Finding { readonly object: string; readonly source: string; readonly message: string }
export interface Outcome { readonly rejections: Finding[]; readonly warnings: Finding[]; readonly applied: number }

export function describeObject(o: any): string {
  return `${o?.apiVersion} ${o?.kind} ${o?.metadata?.namespace ?? '-'}/${o?.metadata?.name}`;
}

export function kubectl(args: string[], input?: string): { status: number; stdout: string; stderr: string; combined: string } {
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

export function warningsIn(text: string): string[] {
  return text.split('\n').filter(l => l.startsWith('Warning: ')).map(l => l.slice('Warning: '.length));
}

/** Server-side applies (server dry run) a list of objects of one namespace, in batches; one by one where a batch meets a rejection or a warning. */
export function applyAll(items: Item[], namespace: string, extra: string[] = []): Outcome {
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

/** Makes (for real) the ServiceAccounts that the Pods name: the ServiceAccount admission plugin refuses a Pod whose account is missing. */
export function createServiceAccounts(namespace: string, pods: Item[]): string[] {
  const names = [...new Set(pods.map(p => p.object.spec.serviceAccountName).filter((n: unknown) => typeof n === 'string' && n !== 'default'))];
  if (names.length === 0) return [];
  const list = { apiVersion: 'v1', kind: 'List', items: names.map(name => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } })) };
  const r = kubectl(['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, `--namespace=${namespace}`, '-f', '-'], JSON.stringify(list));
  return r.status === 0 ? [] : [r.combined];
}

