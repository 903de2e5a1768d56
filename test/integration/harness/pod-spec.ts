/**
 * Resolves one pod of a StatefulSet the way the kubelet would see it: env with
 * the downward API filled in and `$(VAR)` expanded, command + args, volumes
 * with their file contents, mounts, security context and probes. Pure: all
 * facts about the running environment come in through `PodIdentity`.
 */
import { expandVars } from './expand';
import { configMapsOf, linkedServicesOf, secretsOf, StatefulSetFacts } from './manifest';
import { parseQuantity, resourceFieldValue } from './quantity';

/** What the API server and the node know about a pod. */
export interface PodIdentity {
  readonly ordinal: number;
  readonly podIP: string;
  /** @default 'rbit-node' */
  readonly nodeName?: string;
  /** @default the pod IP */
  readonly hostIP?: string;
  /** @default derived from the pod name */
  readonly uid?: string;
  /** Node capacity for resourceFieldRef without limits. @default 2 cpus, 8 GiB */
  readonly nodeCpu?: number;
  readonly nodeMemoryBytes?: number;
  /** Cluster IP the fake service-link env vars point at. @default '198.19.255.1' */
  readonly serviceIP?: string;
}

/** Inputs that do not come from the StatefulSet itself. */
export interface ResolveInputs {
  readonly manifests: any[];
  readonly facts: StatefulSetFacts;
  /** secretName -> key -> value; merged over Secret manifests. @default {} */
  readonly secrets?: Record<string, Record<string, string>>;
}

/** A file a configMap/secret/downwardAPI/projected volume holds. */
export interface VolumeFile {
  /** Path relative to the volume root. */
  readonly path: string;
  readonly content: string;
  readonly mode: number;
}

/** A pod volume. */
export interface ResolvedVolume {
  readonly name: string;
  /** 'files' = configMap/secret/downwardAPI/projected (always mounted read-only). */
  readonly kind: 'files' | 'emptyDir' | 'claim';
  /** For kind 'files'. */
  readonly files: VolumeFile[];
  /** For kind 'claim': the PVC name (`<template>-<pod>` for claim templates). */
  readonly claimName?: string;
}

/** A volumeMount of a container. */
export interface ResolvedMount {
  readonly volume: string;
  readonly mountPath: string;
  /** Already `$(VAR)`-expanded (subPathExpr). */
  readonly subPath?: string;
  readonly readOnly: boolean;
}

/** A probe, with named ports resolved to numbers. */
export interface ResolvedProbe {
  readonly kind: 'exec' | 'tcpSocket' | 'httpGet' | 'grpc' | 'sleep';
  readonly command?: string[];
  readonly host?: string;
  readonly port?: number;
  readonly path?: string;
  readonly scheme?: string;
  readonly headers?: Array<{ name: string; value: string }>;
  /** For 'sleep' lifecycle handlers. */
  readonly sleepSeconds?: number;
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
  readonly successThreshold: number;
}

/** One container (or init container) ready to be run. */
export interface ResolvedContainer {
  readonly name: string;
  readonly init: boolean;
  /** command + args after `$(VAR)` expansion. */
  readonly argv: string[];
  /** Final environment, in definition order. */
  readonly env: Record<string, string>;
  readonly workingDir?: string;
  readonly mounts: ResolvedMount[];
  /** The container's `image` reference. */
  readonly image?: string;
  /** undefined = image default (root, or the image facts' user when the cluster has them). */
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  /** securityContext.runAsNonRoot (container over pod). */
  readonly runAsNonRoot: boolean;
  readonly readOnlyRootFilesystem: boolean;
  /** resources.limits.memory in bytes, if set. */
  readonly memoryLimitBytes?: number;
  /** securityContext.allowPrivilegeEscalation === false. */
  readonly noNewPrivs: boolean;
  /** securityContext.capabilities.drop contains 'ALL'. */
  readonly dropAllCaps: boolean;
  readonly ports: Array<{ name?: string; containerPort: number; protocol: string }>;
  readonly readinessProbe?: ResolvedProbe;
  readonly livenessProbe?: ResolvedProbe;
  readonly startupProbe?: ResolvedProbe;
  /** lifecycle.postStart handler (probe timing fields unused). */
  readonly postStart?: ResolvedProbe;
  /** lifecycle.preStop handler (probe timing fields unused). */
  readonly preStop?: ResolvedProbe;
}

/** A pod of the StatefulSet as the kubelet would run it. */
export interface ResolvedPod {
  readonly podName: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly volumes: ResolvedVolume[];
  readonly initContainers: ResolvedContainer[];
  readonly containers: ResolvedContainer[];
  readonly fsGroup?: number;
  readonly supplementalGroups: number[];
  readonly terminationGracePeriodSeconds: number;
}

const DEFAULT_MODE = 0o644;

/** Resolves pod `identity.ordinal` of the StatefulSet in `inputs.facts`. */
export function resolvePod(inputs: ResolveInputs, identity: PodIdentity): ResolvedPod {
  const { facts } = inputs;
  const podName = `${facts.name}-${identity.ordinal}`;
  const spec = facts.template.spec ?? {};
  const where = `StatefulSet '${facts.name}' pod '${podName}'`;
  const labels: Record<string, string> = {
    ...(facts.template.metadata?.labels ?? {}),
    'statefulset.kubernetes.io/pod-name': podName,
    'apps.kubernetes.io/pod-index': String(identity.ordinal),
  };
  const annotations: Record<string, string> = { ...(facts.template.metadata?.annotations ?? {}) };
  const configMaps = configMapsOf(inputs.manifests, facts.namespace);
  const secrets = { ...secretsOf(inputs.manifests, facts.namespace), ...(inputs.secrets ?? {}) };
  const ctx: Ctx = {
    where,
    podName,
    identity,
    labels,
    annotations,
    configMaps,
    secrets,
    namespace: facts.namespace,
    serviceAccountName: spec.serviceAccountName ?? spec.serviceAccount ?? 'default',
    serviceEnv: spec.enableServiceLinks === false
      ? kubernetesServiceEnv(identity)
      : { ...serviceLinkEnv(inputs.manifests, facts.namespace, identity), ...kubernetesServiceEnv(identity) },
  };

  const podSc = spec.securityContext ?? {};
  const allContainers = [
    ...(spec.initContainers ?? []).map((c: any) => ({ c, init: true })),
    ...spec.containers.map((c: any) => ({ c, init: false })),
  ];
  const resolved = allContainers.map(({ c, init }) => resolveContainer(ctx, c, init, podSc));

  const rawContainers: any[] = allContainers.map((x: any) => x.c);
  const volumes: ResolvedVolume[] = (spec.volumes ?? []).map((v: any) => resolveVolume(ctx, v, rawContainers));
  for (const t of facts.claimTemplates) {
    if (!volumes.some((v) => v.name === t)) {
      volumes.push({ name: t, kind: 'claim', files: [], claimName: `${t}-${podName}` });
    }
  }
  for (const c of resolved) {
    for (const m of c.mounts) {
      if (!volumes.some((v) => v.name === m.volume)) {
        throw new Error(`harness: ${where}: container '${c.name}' mounts volume '${m.volume}' which is neither in spec.volumes nor a volumeClaimTemplate.`);
      }
    }
  }

  return {
    podName,
    namespace: facts.namespace,
    labels,
    annotations,
    volumes,
    initContainers: resolved.filter((c) => c.init),
    containers: resolved.filter((c) => !c.init),
    fsGroup: podSc.fsGroup,
    supplementalGroups: podSc.supplementalGroups ?? [],
    terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds ?? 30,
  };
}

interface Ctx {
  readonly where: string;
  readonly podName: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
  readonly identity: PodIdentity;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly configMaps: Record<string, Record<string, string>>;
  readonly secrets: Record<string, Record<string, string>>;
  readonly serviceEnv: Record<string, string>;
}

function resolveContainer(ctx: Ctx, c: any, init: boolean, podSc: any): ResolvedContainer {
  const where = `${ctx.where} container '${c.name}'`;
  const env = resolveEnv(ctx, c, where);
  if (!Array.isArray(c.command) || c.command.length === 0) {
    throw new Error(`harness: ${where} has no 'command'. The image ENTRYPOINT cannot be reproduced outside a container runtime; render the command explicitly.`);
  }
  const lookup = (n: string) => env[n];
  const argv = [...c.command, ...(c.args ?? [])].map((a: string) => expandVars(String(a), lookup));
  const sc = c.securityContext ?? {};
  const ports = (c.ports ?? []).map((p: any) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' }));
  const probe = (p: any, kind: string) => p ? resolveProbe(p, ports, `${where} ${kind}`) : undefined;
  return {
    name: c.name,
    init,
    image: c.image,
    argv,
    env,
    workingDir: c.workingDir,
    mounts: (c.volumeMounts ?? []).map((m: any) => ({
      volume: m.name,
      mountPath: m.mountPath,
      subPath: m.subPathExpr !== undefined ? expandVars(m.subPathExpr, lookup) : (m.subPath || undefined),
      readOnly: m.readOnly === true,
    })),
    runAsUser: sc.runAsUser ?? podSc.runAsUser,
    runAsGroup: sc.runAsGroup ?? podSc.runAsGroup,
    runAsNonRoot: (sc.runAsNonRoot ?? podSc.runAsNonRoot) === true,
    readOnlyRootFilesystem: sc.readOnlyRootFilesystem === true,
    memoryLimitBytes: c.resources?.limits?.memory !== undefined ? parseQuantity(c.resources.limits.memory) : undefined,
    noNewPrivs: sc.allowPrivilegeEscalation === false,
    dropAllCaps: (sc.capabilities?.drop ?? []).includes('ALL'),
    ports,
    readinessProbe: probe(c.readinessProbe, 'readinessProbe'),
    livenessProbe: probe(c.livenessProbe, 'livenessProbe'),
    startupProbe: probe(c.startupProbe, 'startupProbe'),
    postStart: probe(c.lifecycle?.postStart, 'lifecycle.postStart'),
    preStop: probe(c.lifecycle?.preStop, 'lifecycle.preStop'),
  };
}

/** The kubelet's env: envFrom, then env (with `$(VAR)` over earlier ones), then service links. */
function resolveEnv(ctx: Ctx, c: any, where: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of c.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    const source = from.configMapRef
      ? lookupSource(ctx.configMaps, from.configMapRef, 'ConfigMap', where)
      : from.secretRef ? lookupSource(ctx.secrets, from.secretRef, 'Secret', where) : undefined;
    for (const [k, v] of Object.entries(source ?? {})) env[prefix + k] = v;
  }
  for (const e of c.env ?? []) {
    const value = envValue(ctx, c, e, env, where);
    if (value !== undefined) env[e.name] = value;
  }
  for (const [k, v] of Object.entries(ctx.serviceEnv)) {
    if (!(k in env)) env[k] = v;
  }
  if (!('HOSTNAME' in env)) env.HOSTNAME = ctx.podName;
  return env;
}

function lookupSource(all: Record<string, Record<string, string>>, ref: any, kind: string, where: string) {
  const found = all[ref.name];
  if (!found && !ref.optional) {
    throw new Error(`harness: ${where}: ${kind} '${ref.name}' not found (add it to the manifests${kind === 'Secret' ? ' or options.secrets' : ''}).`);
  }
  return found;
}

function envValue(ctx: Ctx, c: any, e: any, env: Record<string, string>, where: string): string | undefined {
  if (e.valueFrom === undefined) {
    return expandVars(String(e.value ?? ''), (n) => (n in env ? env[n] : ctx.serviceEnv[n]));
  }
  const vf = e.valueFrom;
  if (vf.fieldRef) return fieldRef(ctx, vf.fieldRef.fieldPath, `${where} env '${e.name}'`);
  if (vf.resourceFieldRef) return resourceRef(ctx, c, vf.resourceFieldRef, `${where} env '${e.name}'`);
  const keyRef = vf.configMapKeyRef ?? vf.secretKeyRef;
  if (keyRef) {
    const kind = vf.configMapKeyRef ? 'ConfigMap' : 'Secret';
    const source = lookupSource(vf.configMapKeyRef ? ctx.configMaps : ctx.secrets, keyRef, kind, `${where} env '${e.name}'`);
    const value = source?.[keyRef.key];
    if (value === undefined && !keyRef.optional) {
      throw new Error(`harness: ${where} env '${e.name}': key '${keyRef.key}' not found in ${kind} '${keyRef.name}'.`);
    }
    return value;
  }
  throw new Error(`harness: ${where} env '${e.name}': unsupported valueFrom ${JSON.stringify(vf)}.`);
}

/** Downward API field paths, as in fieldRef env and downwardAPI volumes. */
export function fieldRef(ctx: Pick<Ctx, 'podName' | 'namespace' | 'identity' | 'labels' | 'annotations' | 'serviceAccountName'>, path: string, where: string): string {
  const id = ctx.identity;
  const simple: Record<string, string> = {
    'metadata.name': ctx.podName,
    'metadata.namespace': ctx.namespace,
    'metadata.uid': id.uid ?? `00000000-0000-4000-8000-${Buffer.from(ctx.podName).toString('hex').padEnd(12, '0').slice(0, 12)}`,
    'status.podIP': id.podIP,
    'status.podIPs': id.podIP,
    'status.hostIP': id.hostIP ?? id.podIP,
    'status.hostIPs': id.hostIP ?? id.podIP,
    'spec.nodeName': id.nodeName ?? 'rbit-node',
    'spec.serviceAccountName': ctx.serviceAccountName,
    'metadata.labels': formatMap(ctx.labels),
    'metadata.annotations': formatMap(ctx.annotations),
  };
  if (path in simple) return simple[path];
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? ctx.labels : ctx.annotations)[m[2]] ?? '';
  throw new Error(`harness: ${where}: unsupported fieldRef fieldPath '${path}'.`);
}

function formatMap(map: Record<string, string>): string {
  return Object.keys(map).sort().map((k) => `${k}=${JSON.stringify(map[k])}`).join('\n');
}

function resourceRef(ctx: Ctx, c: any, ref: any, where: string): string {
  const resource: string = ref.resource;
  const isCpu = resource.endsWith('cpu');
  const [section] = resource.split('.');
  const raw = c.resources?.[section]?.[isCpu ? 'cpu' : resource.split('.').slice(1).join('.')]
    ?? (section === 'requests' ? c.resources?.limits?.[isCpu ? 'cpu' : resource.split('.').slice(1).join('.')] : undefined);
  let value: number;
  if (raw !== undefined) {
    value = parseQuantity(raw);
  } else if (section === 'limits') {
    value = isCpu ? (ctx.identity.nodeCpu ?? 2) : (ctx.identity.nodeMemoryBytes ?? 8 * 2 ** 30);
  } else if (section === 'requests') {
    value = 0;
  } else {
    throw new Error(`harness: ${where}: unsupported resourceFieldRef resource '${resource}'.`);
  }
  return resourceFieldValue(value, ref.divisor, isCpu);
}

function resolveProbe(p: any, ports: Array<{ name?: string; containerPort: number }>, where: string): ResolvedProbe {
  const port = (value: any): number => {
    if (typeof value === 'number') return value;
    if (/^[0-9]+$/.test(String(value))) return Number(value);
    const named = ports.find((x) => x.name === value);
    if (!named) throw new Error(`harness: ${where}: port '${value}' is not a named container port.`);
    return named.containerPort;
  };
  const timing = {
    initialDelaySeconds: p.initialDelaySeconds ?? 0,
    periodSeconds: p.periodSeconds ?? 10,
    timeoutSeconds: p.timeoutSeconds ?? 1,
    failureThreshold: p.failureThreshold ?? 3,
    successThreshold: p.successThreshold ?? 1,
  };
  if (p.exec) return { kind: 'exec', command: p.exec.command ?? [], ...timing };
  if (p.tcpSocket) return { kind: 'tcpSocket', host: p.tcpSocket.host, port: port(p.tcpSocket.port), ...timing };
  if (p.httpGet) {
    return {
      kind: 'httpGet',
      host: p.httpGet.host,
      port: port(p.httpGet.port),
      path: p.httpGet.path ?? '/',
      scheme: p.httpGet.scheme ?? 'HTTP',
      headers: p.httpGet.httpHeaders ?? [],
      ...timing,
    };
  }
  if (p.grpc) return { kind: 'grpc', port: port(p.grpc.port), ...timing };
  if (p.sleep) return { kind: 'sleep', sleepSeconds: p.sleep.seconds ?? 0, ...timing };
  throw new Error(`harness: ${where}: handler has none of exec, tcpSocket, httpGet, grpc, sleep.`);
}

function resolveVolume(ctx: Ctx, v: any, containers: any[]): ResolvedVolume {
  const where = `${ctx.where} volume '${v.name}'`;
  if (v.emptyDir) return { name: v.name, kind: 'emptyDir', files: [] };
  if (v.persistentVolumeClaim) return { name: v.name, kind: 'claim', files: [], claimName: v.persistentVolumeClaim.claimName };
  if (v.configMap) return { name: v.name, kind: 'files', files: keyFiles(ctx.configMaps, v.configMap, v.configMap.name, 'ConfigMap', where) };
  if (v.secret) return { name: v.name, kind: 'files', files: keyFiles(ctx.secrets, v.secret, v.secret.secretName, 'Secret', where) };
  if (v.downwardAPI) return { name: v.name, kind: 'files', files: downwardFiles(ctx, v.downwardAPI.items ?? [], v.downwardAPI.defaultMode, containers, where) };
  if (v.projected) {
    const files: VolumeFile[] = [];
    for (const s of v.projected.sources ?? []) {
      const mode = v.projected.defaultMode;
      if (s.configMap) files.push(...keyFiles(ctx.configMaps, { ...s.configMap, defaultMode: mode }, s.configMap.name, 'ConfigMap', where));
      else if (s.secret) files.push(...keyFiles(ctx.secrets, { ...s.secret, defaultMode: mode }, s.secret.name, 'Secret', where));
      else if (s.downwardAPI) files.push(...downwardFiles(ctx, s.downwardAPI.items ?? [], mode, containers, where));
      else throw new Error(`harness: ${where}: unsupported projected source ${JSON.stringify(s)}.`);
    }
    return { name: v.name, kind: 'files', files };
  }
  throw new Error(`harness: ${where}: unsupported volume type ${JSON.stringify(Object.keys(v).filter((k) => k !== 'name'))}; supported: emptyDir, persistentVolumeClaim, configMap, secret, downwardAPI, projected.`);
}

function keyFiles(all: Record<string, Record<string, string>>, src: any, name: string, kind: string, where: string): VolumeFile[] {
  const data = all[name];
  if (!data) {
    if (src.optional) return [];
    throw new Error(`harness: ${where}: ${kind} '${name}' not found (add it to the manifests${kind === 'Secret' ? ' or options.secrets' : ''}).`);
  }
  const defaultMode = src.defaultMode ?? DEFAULT_MODE;
  if (!src.items) {
    return Object.keys(data).sort().map((k) => ({ path: k, content: data[k], mode: defaultMode }));
  }
  return src.items.map((item: any) => {
    if (!(item.key in data)) {
      throw new Error(`harness: ${where}: key '${item.key}' not found in ${kind} '${name}'.`);
    }
    return { path: safeRelative(item.path, where), content: data[item.key], mode: item.mode ?? defaultMode };
  });
}

function downwardFiles(ctx: Ctx, items: any[], defaultMode: number | undefined, containers: any[], where: string): VolumeFile[] {
  return items.map((item: any) => {
    let content: string;
    if (item.fieldRef) {
      content = fieldRef(ctx, item.fieldRef.fieldPath, where);
    } else if (item.resourceFieldRef) {
      const cname = item.resourceFieldRef.containerName;
      const c = containers.find((x) => x.name === cname);
      if (!c) throw new Error(`harness: ${where}: downwardAPI item '${item.path}' names unknown container '${cname}'.`);
      content = resourceRef(ctx, c, item.resourceFieldRef, where);
    } else {
      throw new Error(`harness: ${where}: downwardAPI item '${item.path}' has no fieldRef or resourceFieldRef.`);
    }
    return { path: safeRelative(item.path, where), content, mode: item.mode ?? defaultMode ?? DEFAULT_MODE };
  });
}

function safeRelative(path: string, where: string): string {
  if (!path || path.startsWith('/') || path.split('/').includes('..')) {
    throw new Error(`harness: ${where}: item path '${path}' must be relative and must not contain '..'.`);
  }
  return path;
}

/** The env the kubelet always adds for the `kubernetes` Service of the default namespace. */
function kubernetesServiceEnv(identity: PodIdentity): Record<string, string> {
  return serviceEnv('kubernetes', [{ name: 'https', port: 443, protocol: 'TCP' }], identity.serviceIP ?? '198.19.255.1');
}

/** Docker-link style env of every non-headless Service in the namespace (enableServiceLinks). */
export function serviceLinkEnv(manifests: any[], namespace: string, identity: PodIdentity): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of linkedServicesOf(manifests, namespace)) {
    Object.assign(env, serviceEnv(s.name, s.ports, identity.serviceIP ?? '198.19.255.1'));
  }
  return env;
}

function serviceEnv(name: string, ports: any[], ip: string): Record<string, string> {
  const env: Record<string, string> = {};
  if (ports.length === 0) return env;
  const prefix = name.toUpperCase().replace(/-/g, '_');
  env[`${prefix}_SERVICE_HOST`] = ip;
  env[`${prefix}_SERVICE_PORT`] = String(ports[0].port);
  for (const p of ports) {
    if (p.name) env[`${prefix}_SERVICE_PORT_${String(p.name).toUpperCase().replace(/-/g, '_')}`] = String(p.port);
  }
  const first = ports[0];
  env[`${prefix}_PORT`] = `${String(first.protocol ?? 'TCP').toLowerCase()}://${ip}:${first.port}`;
  for (const p of ports) {
    const proto = String(p.protocol ?? 'TCP');
    const base = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
    env[base] = `${proto.toLowerCase()}://${ip}:${p.port}`;
    env[`${base}_PROTO`] = proto.toLowerCase();
    env[`${base}_PORT`] = String(p.port);
    env[`${base}_ADDR`] = ip;
  }
  return env;
}
