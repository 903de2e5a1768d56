/**
 * A small client for the test control plane (the admin kubeconfig's client certificate, plain
 * HTTPS, no dependency), a fake kubelet and a fake volume provisioner, for the tiers that let the
 * real controllers act on what the library renders (controllers.atest.ts, guard.atest.ts).
 *
 * The control plane has no nodes and no kubelet: FakeKubelet registers Node objects, renews their
 * Leases (the heartbeat the node-lifecycle controller watches), marks the pods bound to its nodes
 * Running and Ready the way a kubelet reports status (phase, podIP, conditions, containerStatuses
 * through the status subresource) and confirms the deletion of terminating pods. A node can be
 * stopped: from then on nothing is reported for it, as for a machine that lost power. It also
 * provisions a PersistentVolume for every pending claim (pre-bound by claimRef), since no storage
 * driver runs.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import { Yaml } from 'cdk8s';

export const KUBECTL = process.env.KUBECTL ?? 'kubectl';

interface Conn { host: string; port: number; ca: Buffer; cert: Buffer; key: Buffer }

function connection(): Conn {
  const file = process.env.KUBECONFIG;
  if (!file) throw new Error('KUBECONFIG is not set (run through test/apiserver/run)');
  const text = fs.readFileSync(file, 'utf8');
  const field = (name: string) => {
    const m = text.match(new RegExp(`${name}: (.+)`));
    if (!m) throw new Error(`${file}: no ${name}`);
    return m[1].trim();
  };
  const url = new URL(field('server'));
  return {
    host: url.hostname,
    port: Number(url.port),
    ca: fs.readFileSync(field('certificate-authority')),
    cert: fs.readFileSync(field('client-certificate')),
    key: fs.readFileSync(field('client-key')),
  };
}

let conn: Conn | undefined;
const agent = new https.Agent({ keepAlive: true, maxSockets: 64 });

export class ApiError extends Error {
  constructor(readonly status: number, readonly body: string, what: string) { super(`${what}: HTTP ${status}: ${body.slice(0, 500)}`); }
}

/** One API request; JSON in and out. 404 on GET gives undefined. */
export function api(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<any> {
  conn ??= connection();
  const c = conn;
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: c.host,
      port: c.port,
      ca: c.ca,
      cert: c.cert,
      key: c.key,
      agent,
      method,
      path,
      headers: { Accept: 'application/json', ...(data ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data) } : {}) },
      timeout: 30_000,
    }, res => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', d => { text += d; });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status === 404 && method === 'GET') return resolve(undefined);
        if (status >= 300) return reject(new ApiError(status, text, `${method} ${path}`));
        resolve(text ? JSON.parse(text) : undefined);
      });
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
    if (data) req.write(data);
    req.end();
  });
}

export const mergePatch = (path: string, body: unknown) => api('PATCH', path, body, 'application/merge-patch+json');
export const strategicPatch = (path: string, body: unknown) => api('PATCH', path, body, 'application/strategic-merge-patch+json');

/**
 * kubectl against the test control plane; throws on failure unless allowFailure. Asynchronous: a
 * blocking spawn would stop the fake kubelet's heartbeats, and the node-lifecycle controller would
 * take the nodes for lost.
 */
export function kubectl(args: string[], input?: string, allowFailure = false): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(KUBECTL, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.setEncoding('utf8').on('data', d => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', d => { stderr += d; });
    child.on('error', e => { clearTimeout(timer); reject(e); });
    child.on('close', code => {
      clearTimeout(timer);
      const out = { status: code ?? 1, stdout, stderr };
      if (out.status !== 0 && !allowFailure) reject(new Error(`kubectl ${args.join(' ')} failed (${out.status}): ${stderr}`));
      else resolve(out);
    });
    child.stdin.end(input ?? '');
  });
}

/** Polls until check returns a value other than undefined/false, or throws after timeoutMs with describe(). */
export async function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) { last = e; }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ''}`);
    await sleep(everyMs);
  }
}

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Rewrites every namespaced object of a synthesized manifest into one namespace. */
export function inNamespace(objects: any[], namespace: string): any[] {
  return objects.map(o => (o.kind === 'Namespace' ? o : { ...o, metadata: { ...o.metadata, namespace } }))
    .filter(o => o.kind !== 'Namespace');
}

export async function createNamespace(name: string): Promise<void> {
  await api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'cdk8s-rainbond-test': 'controllers' } } });
}

/** Deletes namespaces and waits (bounded) until they are gone; the fake kubelet confirms pod deletions. */
export async function deleteNamespaces(names: string[], timeoutMs = 60_000): Promise<void> {
  for (const n of names) await api('DELETE', `/api/v1/namespaces/${n}`).catch(() => undefined);
  await until(`namespaces ${names.join(', ')} deleted`, async () => {
    for (const n of names) if (await api('GET', `/api/v1/namespaces/${n}`)) return false;
    return true;
  }, timeoutMs, 500);
}

/** Server-side apply (for real) of the objects; returns kubectl's result, refusals included. */
export function apply(objects: any[], fieldManager = 'cdk8s-rainbond-controllers-test') {
  return kubectl(['apply', '--server-side', '--force-conflicts', `--field-manager=${fieldManager}`, '-f', '-'], Yaml.stringify(...objects), true);
}

export interface PodEvent { type: string; name: string; uid: string; ready: boolean; deleting: boolean; rv: number; at: number }

/** Records the pod events of a namespace (a watch), in the API server's order. */
export class PodWatch {
  readonly events: PodEvent[] = [];
  private req?: ReturnType<typeof https.request>;
  constructor(namespace: string) {
    conn ??= connection();
    const c = conn;
    this.req = https.request({
      host: c.host,
      port: c.port,
      ca: c.ca,
      cert: c.cert,
      key: c.key,
      method: 'GET',
      path: `/api/v1/namespaces/${namespace}/pods?watch=true&allowWatchBookmarks=false`,
    }, res => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', d => {
        buf += d;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i); buf = buf.slice(i + 1);
          if (!line.trim()) continue;
          const e = JSON.parse(line);
          const p = e.object;
          if (p?.kind !== 'Pod') continue;
          this.events.push({
            type: e.type,
            name: p.metadata.name,
            uid: p.metadata.uid,
            ready: isReady(p),
            deleting: !!p.metadata.deletionTimestamp,
            rv: Number(p.metadata.resourceVersion),
            at: Date.now(),
          });
        }
      });
      res.on('error', () => undefined);
    });
    this.req.on('error', () => undefined);
    this.req.end();
  }
  stop(): void { this.req?.destroy(); }
}

export function isReady(pod: any): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

/** Confirms a pod's deletion once its containers are gone, as a kubelet does (grace 0, this uid only). */
async function confirmDeletion(path: string, uid: string): Promise<void> {
  await api('DELETE', path, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid } }).catch(() => undefined);
}

/**
 * Runs the pods the fake kubelet hands it as real processes (test/apiserver/harness-runner.ts): the
 * kubelet reports what it says and confirms a deletion once it has stopped the pod.
 */
export interface PodRunner {
  /** Whether this runner runs the pod. */
  owns(pod: any): boolean;
  /** Starts the pod if it is new (without waiting); what a kubelet would report now. */
  sync(pod: any): { running: boolean; ready: boolean; podIP: string };
  /** Stops the pod's containers (preStop, SIGTERM, the grace period); resolves when they are gone. */
  stop(pod: any): Promise<void>;
}

/**
 * The fake kubelet (and volume provisioner). Node names are its own; it only touches pods bound
 * to them. `hold` keeps named pods unready (a readiness probe failing) until released.
 */
export class FakeKubelet {
  private readonly alive = new Set<string>();
  private timer?: NodeJS.Timeout;
  private beat?: NodeJS.Timeout;
  private busy = false;
  private ip = 10;
  private lastBeat = new Map<string, number>();
  /** pods (namespace/name) kept unready */
  readonly hold = new Set<string>();
  /** when set, the pods of these namespaces are not marked Ready automatically */
  readonly manual = new Set<string>();
  readonly podIPs = new Map<string, string>();
  /** Runners of real pods; a pod no runner owns is reported Running and Ready at once. */
  readonly runners: PodRunner[] = [];
  /** Deletions a runner is carrying out, by pod uid: done once its containers are gone. */
  private readonly stopping = new Map<string, { done: boolean }>();
  errors: string[] = [];

  constructor(readonly nodes: string[]) {}

  async start(): Promise<void> {
    for (const n of this.nodes) {
      await api('DELETE', `/api/v1/nodes/${n}`).catch(() => undefined);
      await until(`old node ${n} gone`, async () => !(await api('GET', `/api/v1/nodes/${n}`)));
      await api('POST', '/api/v1/nodes', {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: n, labels: { 'kubernetes.io/hostname': n, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' } },
        spec: {},
      });
      this.alive.add(n);
      await this.heartbeat(n, true);
    }
    await until('nodes schedulable (no taints)', async () => {
      for (const n of this.nodes) {
        const node = await api('GET', `/api/v1/nodes/${n}`);
        if ((node.spec.taints ?? []).length) return false;
      }
      return true;
    }, 30_000);
    this.timer = setInterval(() => { void this.tick(); }, 300);
    // heartbeats on their own timer: a slow round over many pods must not look like a lost node
    this.beat = setInterval(() => {
      for (const n of this.alive) void this.heartbeat(n, false).catch(e => { this.errors.push(String(e)); });
    }, 2000);
  }

  /** Stops reporting for a node: no heartbeat, no pod status, no confirmed deletion. */
  stopNode(n: string): void { this.alive.delete(n); }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.beat) clearInterval(this.beat);
    this.timer = undefined;
    this.beat = undefined;
    await until('the last kubelet round', () => !this.busy, 10_000, 50);
    for (const n of this.nodes) await api('DELETE', `/api/v1/nodes/${n}`).catch(() => undefined);
    await api('DELETE', '/api/v1/namespaces/kube-node-lease/leases').catch(() => undefined);
    await api('DELETE', '/api/v1/persistentvolumes?labelSelector=cdk8s-rainbond-test%3Dprovisioned').catch(() => undefined);
  }

  private async heartbeat(n: string, full: boolean): Promise<void> {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const micro = new Date().toISOString().replace('Z', '000Z');
    const lease = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${n}`;
    const spec = { holderIdentity: n, leaseDurationSeconds: 40, renewTime: micro };
    if (await api('GET', lease)) await mergePatch(lease, { spec });
    else await api('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', { metadata: { name: n }, spec });
    if (full) {
      const cond = (type: string, status: string, reason: string) =>
        ({ type, status, reason, message: reason, lastHeartbeatTime: now, lastTransitionTime: now });
      await strategicPatch(`/api/v1/nodes/${n}/status`, {
        status: {
          capacity: { 'cpu': '64', 'memory': '256Gi', 'pods': '250', 'ephemeral-storage': '1Ti' },
          allocatable: { 'cpu': '64', 'memory': '256Gi', 'pods': '250', 'ephemeral-storage': '1Ti' },
          conditions: [
            cond('Ready', 'True', 'KubeletReady'), cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory'),
            cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure'), cond('PIDPressure', 'False', 'KubeletHasSufficientPID'),
          ],
          addresses: [{ type: 'InternalIP', address: `192.168.0.${10 + this.nodes.indexOf(n)}` }, { type: 'Hostname', address: n }],
          nodeInfo: {
            machineID: n,
            systemUUID: n,
            bootID: n,
            kernelVersion: '6.0',
            osImage: 'fake',
            containerRuntimeVersion: 'fake://1',
            kubeletVersion: 'v1.37.2',
            kubeProxyVersion: 'v1.37.2',
            operatingSystem: 'linux',
            architecture: 'amd64',
          },
        },
      });
    }
    this.lastBeat.set(n, Date.now());
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.provision();
      const pods = (await api('GET', '/api/v1/pods')).items as any[];
      for (const p of pods) {
        const node = p.spec.nodeName;
        if (!node || !this.alive.has(node)) continue;
        const key = `${p.metadata.namespace}/${p.metadata.name}`;
        const path = `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}`;
        const runner = this.runners.find(r => r.owns(p));
        if (runner) {
          await this.run(runner, p, path).catch(e => { this.errors.push(String(e)); });
          continue;
        }
        if (p.metadata.deletionTimestamp) {
          await confirmDeletion(path, p.metadata.uid); // the containers stopped
          continue;
        }
        const running = p.status?.phase === 'Running';
        if (this.manual.has(p.metadata.namespace)) {
          if (!running) await this.report(p, false).catch(e => { this.errors.push(String(e)); });
          continue;
        }
        const want = !this.hold.has(key);
        if (running && isReady(p) === want) continue;
        await this.report(p, want).catch(e => { this.errors.push(String(e)); });
      }
    } catch (e) {
      this.errors.push(String(e));
    } finally {
      this.busy = false;
    }
  }

  /** A pod a runner runs: stopped before its deletion is confirmed; its status is the runner's. */
  private async run(runner: PodRunner, p: any, path: string): Promise<void> {
    const uid = p.metadata.uid;
    if (p.metadata.deletionTimestamp) {
      let stop = this.stopping.get(uid);
      if (!stop) {
        const started = { done: false };
        this.stopping.set(uid, started);
        void runner.stop(p).catch(e => { this.errors.push(String(e)); }).finally(() => { started.done = true; });
        stop = started;
      }
      if (stop.done) {
        await confirmDeletion(path, uid);
        this.stopping.delete(uid);
      }
      return;
    }
    const s = runner.sync(p);
    if (!s.running) return;
    if (p.status?.phase === 'Running' && isReady(p) === s.ready && p.status?.podIP === s.podIP) return;
    await this.report(p, s.ready, s.podIP);
  }

  /** Reports a pod Running, Ready or not (the status a kubelet writes). */
  async report(p: any, ready: boolean, address?: string): Promise<void> {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const key = p.metadata.uid;
    if (!this.podIPs.has(key)) this.podIPs.set(key, address ?? `10.244.${Math.floor(this.ip / 250)}.${(this.ip++ % 250) + 1}`);
    const podIP = this.podIPs.get(key)!;
    const r = ready ? 'True' : 'False';
    const cond = (type: string, status: string) => ({ type, status, lastProbeTime: null, lastTransitionTime: now });
    const containers = (spec: any[]) => (spec ?? []).map((c: any) => ({
      name: c.name,
      image: c.image,
      imageID: `${c.image}@sha256:${'0'.repeat(64)}`,
      ready,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: now } },
      containerID: `fake://${key}-${c.name}`,
    }));
    await strategicPatch(`/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}/status`, {
      metadata: { uid: p.metadata.uid },
      status: {
        phase: 'Running',
        podIP,
        podIPs: [{ ip: podIP }],
        hostIP: `192.168.0.${10 + this.nodes.indexOf(p.spec.nodeName)}`,
        startTime: now,
        conditions: [cond('PodScheduled', 'True'), cond('Initialized', 'True'), cond('ContainersReady', r), cond('Ready', r)],
        containerStatuses: containers(p.spec.containers),
        initContainerStatuses: (p.spec.initContainers ?? []).map((c: any) => ({
          name: c.name,
          image: c.image,
          imageID: `${c.image}@sha256:${'0'.repeat(64)}`,
          ready: true,
          restartCount: 0,
          state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now } },
        })),
      },
    });
  }

  /** Marks one pod Ready now (for namespaces in manual mode). */
  async markReady(namespace: string, name: string, ready = true): Promise<void> {
    const p = await api('GET', `/api/v1/namespaces/${namespace}/pods/${name}`);
    await this.report(p, ready);
  }

  private async provision(): Promise<void> {
    const claims = (await api('GET', '/api/v1/persistentvolumeclaims')).items as any[];
    for (const c of claims) {
      if (c.status?.phase !== 'Pending' || c.spec.volumeName || c.metadata.deletionTimestamp) continue;
      const name = `pv-${c.metadata.uid}`;
      if (await api('GET', `/api/v1/persistentvolumes/${name}`)) continue;
      await api('POST', '/api/v1/persistentvolumes', {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name, labels: { 'cdk8s-rainbond-test': 'provisioned' } },
        spec: {
          capacity: { storage: c.spec.resources.requests.storage },
          accessModes: c.spec.accessModes,
          persistentVolumeReclaimPolicy: 'Retain',
          storageClassName: c.spec.storageClassName ?? '',
          hostPath: { path: `/tmp/fake-pv/${name}` },
          claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: c.metadata.namespace, name: c.metadata.name, uid: c.metadata.uid },
        },
      }).catch(e => { this.errors.push(String(e)); });
    }
  }
}
