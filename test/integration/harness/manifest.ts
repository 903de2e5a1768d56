/**
 * Finds the objects of a synthesized chart the harness needs: the StatefulSet,
 * its ConfigMaps and Services. Pure.
 */

/** The facts of one StatefulSet the harness runs. */
export interface StatefulSetFacts {
  readonly name: string;
  readonly namespace: string;
  /** spec.serviceName: the governing (headless) Service. */
  readonly serviceName: string;
  readonly replicas: number;
  readonly podManagementPolicy: 'OrderedReady' | 'Parallel';
  /** spec.minReadySeconds: how long a Ready pod must stay Ready to count as available. */
  readonly minReadySeconds: number;
  /** spec.template (metadata + spec). */
  readonly template: any;
  /** Names of spec.volumeClaimTemplates. */
  readonly claimTemplates: string[];
  /** Cluster domain found in the manifests' pod FQDNs, if any. */
  readonly clusterDomainHint?: string;
}

/** Kind + name + namespace lookup over synthesized objects. */
export function findObject(manifests: any[], kind: string, name: string, namespace?: string): any | undefined {
  return manifests.find((o) => o && o.kind === kind && o.metadata?.name === name
    && (namespace === undefined || (o.metadata?.namespace ?? 'default') === namespace));
}

/** Reads the StatefulSet `name` from `manifests`; throws naming what is missing. */
export function statefulSetFacts(manifests: any[], name: string): StatefulSetFacts {
  if (!Array.isArray(manifests)) {
    throw new Error('harness: manifests must be the array returned by Testing.synth(chart).');
  }
  const sts = findObject(manifests, 'StatefulSet', name);
  if (!sts) {
    const found = manifests.filter((o) => o?.kind === 'StatefulSet').map((o) => o.metadata?.name);
    throw new Error(`harness: no StatefulSet named '${name}' in the manifests (found: ${found.join(', ') || 'none'}).`);
  }
  const spec = sts.spec ?? {};
  const namespace = sts.metadata?.namespace ?? 'default';
  if (!spec.template?.spec?.containers?.length) {
    throw new Error(`harness: StatefulSet '${name}' has no spec.template.spec.containers.`);
  }
  const serviceName: string = spec.serviceName ?? name;
  return {
    name,
    namespace,
    serviceName,
    replicas: spec.replicas ?? 1,
    podManagementPolicy: spec.podManagementPolicy === 'Parallel' ? 'Parallel' : 'OrderedReady',
    minReadySeconds: spec.minReadySeconds ?? 0,
    template: spec.template,
    claimTemplates: (spec.volumeClaimTemplates ?? []).map((t: any) => t.metadata?.name).filter((n: any) => !!n),
    clusterDomainHint: clusterDomainHint(manifests, name, serviceName, namespace),
  };
}

/**
 * The pods of Deployment `name` as companions of a StatefulSet run: same
 * namespace and network, no claims, started on request (Parallel).
 */
export function companionFacts(manifests: any[], name: string, sts: StatefulSetFacts): StatefulSetFacts {
  const deployment = findObject(manifests, 'Deployment', name, sts.namespace);
  if (!deployment) {
    const found = manifests.filter((o) => o?.kind === 'Deployment').map((o) => o.metadata?.name);
    throw new Error(`harness: no Deployment named '${name}' in namespace '${sts.namespace}' (found: ${found.join(', ') || 'none'}).`);
  }
  if (!deployment.spec?.template?.spec?.containers?.length) {
    throw new Error(`harness: Deployment '${name}' has no spec.template.spec.containers.`);
  }
  return {
    name,
    namespace: sts.namespace,
    serviceName: sts.serviceName,
    replicas: deployment.spec.replicas ?? 1,
    podManagementPolicy: 'Parallel',
    minReadySeconds: deployment.spec.minReadySeconds ?? 0,
    template: deployment.spec.template,
    claimTemplates: [],
    clusterDomainHint: sts.clusterDomainHint,
  };
}

/**
 * Looks for `<sts>-<n>.<svc>.<ns>.svc.<domain>` anywhere in the manifests and
 * returns `<domain>`; undefined when no pod FQDN is rendered.
 */
export function clusterDomainHint(manifests: any[], sts: string, svc: string, ns: string): string | undefined {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`${esc(sts)}-\\d+\\.${esc(svc)}\\.${esc(ns)}\\.svc\\.([a-z0-9-]+(?:\\.[a-z0-9-]+)*)`);
  const text = JSON.stringify(manifests);
  return re.exec(text)?.[1];
}

/** The ConfigMaps of `namespace`, name -> data (binaryData decoded as latin1 text). */
export function configMapsOf(manifests: any[], namespace: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const o of manifests) {
    if (o?.kind !== 'ConfigMap' || (o.metadata?.namespace ?? 'default') !== namespace) continue;
    const data: Record<string, string> = { ...(o.data ?? {}) };
    for (const [k, v] of Object.entries<string>(o.binaryData ?? {})) {
      data[k] = Buffer.from(v, 'base64').toString('latin1');
    }
    out[o.metadata.name] = data;
  }
  return out;
}

/** Secrets given as manifests (stringData / base64 data) in `namespace`, name -> key -> value. */
export function secretsOf(manifests: any[], namespace: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const o of manifests) {
    if (o?.kind !== 'Secret' || (o.metadata?.namespace ?? 'default') !== namespace) continue;
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries<string>(o.data ?? {})) data[k] = Buffer.from(v, 'base64').toString('utf8');
    Object.assign(data, o.stringData ?? {});
    out[o.metadata.name] = data;
  }
  return out;
}

/**
 * Services of `namespace` that get kubelet "service link" env vars
 * (those with a cluster IP, i.e. not headless), with their ports.
 */
export function linkedServicesOf(manifests: any[], namespace: string): Array<{ name: string; ports: any[] }> {
  return manifests
    .filter((o) => o?.kind === 'Service' && (o.metadata?.namespace ?? 'default') === namespace)
    .filter((o) => o.spec?.clusterIP !== 'None' && (o.spec?.type ?? 'ClusterIP') !== 'ExternalName')
    .map((o) => ({ name: o.metadata.name as string, ports: (o.spec?.ports ?? []) as any[] }));
}
