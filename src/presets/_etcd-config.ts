/**
 * Pure renderers of the etcd preset's configuration.
 * Nothing here is exported from the package index.
 *
 * The official etcd images since v3.5 are distroless (no shell), so the whole
 * configuration is passed as `ETCD_*` environment variables, which etcd 3.4 and
 * 3.5 both read (`--my-flag` ⇔ `ETCD_MY_FLAG`). Per-pod values are built with
 * Kubernetes' `$(VAR)` expansion from `ETCD_NAME`, which comes from the pod name.
 * No setting is given twice: etcd 3.4 exits when a flag shadows its env variable.
 */

/** Port clients use. */
export const ETCD_CLIENT_PORT = 2379;
/** Port members replicate on. */
export const ETCD_PEER_PORT = 2380;
/** Where each member's volume is mounted. */
export const ETCD_VOLUME_MOUNT_PATH = '/var/lib/etcd';
/**
 * etcd's data directory: a subdirectory of the volume, so etcd creates it
 * with the 0700 mode it checks for, whatever the volume root looks like.
 */
export const ETCD_DATA_DIR = `${ETCD_VOLUME_MOUNT_PATH}/data`;
/** HTTP path that answers 200 only while the member serves with a quorum (etcd 3.4 and 3.5). */
export const ETCD_HEALTH_PATH = '/health';
/**
 * Plain-HTTP port of `--listen-metrics-urls` (`/metrics` and `/health`), opened when clients
 * speak TLS: the kubelet's httpGet probe cannot present a client certificate, and the
 * distroless image has no shell or curl for an exec probe.
 */
export const ETCD_METRICS_PORT = 2381;
/** Where the client TLS Secret (`tls.crt`, `tls.key`, `ca.crt`) is mounted. */
export const ETCD_CLIENT_TLS_DIR = '/etc/etcd/tls/client';
/** Where the peer TLS Secret (`tls.crt`, `tls.key`, `ca.crt`) is mounted. */
export const ETCD_PEER_TLS_DIR = '/etc/etcd/tls/peer';

/** One environment variable of the etcd container: a literal value or the pod name. */
export interface EtcdEnvVar {
  readonly name: string;
  /** Literal value; may contain `$(ETCD_NAME)`, which Kubernetes expands. */
  readonly value?: string;
  /** When true, the value is the pod name (fieldRef `metadata.name`). */
  readonly fromPodName?: boolean;
}

/** Member name of a pod: the first label of its FQDN, i.e. the pod name. */
export function memberName(podDnsName: string): string {
  return podDnsName.split('.')[0];
}

/** Domain shared by all members: the pod FQDN without the pod name. */
export function memberDomain(podDnsName: string): string {
  const dot = podDnsName.indexOf('.');
  if (dot <= 0) {
    throw new Error(`etcd preset: '${podDnsName}' is not a pod FQDN (<pod>.<service>.<namespace>.svc.<domain>)`);
  }
  return podDnsName.slice(dot + 1);
}

/** `http://<host>:<port>`, or `https://` when `tls`. */
export function httpUrl(host: string, port: number, tls = false): string {
  return `${tls ? 'https' : 'http'}://${host}:${port}`;
}

/**
 * Value of `ETCD_INITIAL_CLUSTER`: `<pod>=http(s)://<pod FQDN>:2380` for every member, ordinal 0 first.
 */
export function initialCluster(podDnsNames: string[], peerTls = false): string {
  return podDnsNames.map(fqdn => `${memberName(fqdn)}=${httpUrl(fqdn, ETCD_PEER_PORT, peerTls)}`).join(',');
}

/** Default cluster token: unique per component and namespace. */
export function defaultClusterToken(componentName: string, namespace: string): string {
  return `etcd-${namespace}-${componentName}`;
}

/** Rule violations of a cluster token, each with its fix; empty when valid. */
export function clusterTokenProblems(token: string): string[] {
  if (token.length === 0) {
    return ['clusterToken must not be empty. Fix: omit clusterToken to use etcd-<namespace>-<component>, or give a non-empty token.'];
  }
  if (!/^[A-Za-z0-9._-]+$/.test(token)) {
    return [`clusterToken '${token}' may only contain letters, digits, '.', '_' and '-'. Fix: choose a token like 'etcd-prod-orders'.`];
  }
  return [];
}

/** Inputs of the etcd environment. */
export interface EtcdEnvInput {
  /** FQDN of every member, ordinal 0 first. */
  readonly podDnsNames: string[];
  /** Initial cluster token. */
  readonly clusterToken: string;
  /** `new` to bootstrap the cluster, `existing` for members added to a running cluster. */
  readonly initialClusterState: string;
  /** Clients speak TLS (certificate files under {@link ETCD_CLIENT_TLS_DIR}). @default false */
  readonly clientTls?: boolean;
  /** Clients must present a certificate signed by the client Secret's `ca.crt`. Needs clientTls. @default false */
  readonly clientCertAuth?: boolean;
  /** Members speak mutual TLS to each other (files under {@link ETCD_PEER_TLS_DIR}). @default false */
  readonly peerTls?: boolean;
}

/** Rule violations of the TLS settings, each with its fix; empty when valid. */
export function tlsProblems(input: {
  readonly tlsGiven: boolean;
  readonly clientTls: boolean;
  readonly peerTls: boolean;
  readonly clientCertAuth: boolean;
}): string[] {
  const problems: string[] = [];
  if (input.tlsGiven && !input.clientTls && !input.peerTls) {
    problems.push('tls names neither clientSecret nor peerSecret. Fix: give the Secret(s) holding tls.crt, tls.key and ca.crt, or omit tls for plain HTTP.');
  }
  if (input.clientCertAuth && !input.clientTls) {
    problems.push('tls.clientCertAuth needs tls.clientSecret: client certificates are only checked on a TLS client port. Fix: add clientSecret, or remove clientCertAuth.');
  }
  return problems;
}

/**
 * The complete environment of an etcd member, in order: `ETCD_NAME` comes
 * first so that later values may refer to it as `$(ETCD_NAME)`.
 */
export function etcdEnv(input: EtcdEnvInput): EtcdEnvVar[] {
  if (input.podDnsNames.length === 0) {
    throw new Error('etcd preset: an etcd cluster needs at least one member');
  }
  const domain = memberDomain(input.podDnsNames[0]);
  const self = `$(ETCD_NAME).${domain}`;
  const clientTls = input.clientTls ?? false;
  const peerTls = input.peerTls ?? false;
  const clientCertAuth = input.clientCertAuth ?? false;
  const files = (prefix: string, dir: string, withCa: boolean): EtcdEnvVar[] => [
    { name: `ETCD_${prefix}CERT_FILE`, value: `${dir}/tls.crt` },
    { name: `ETCD_${prefix}KEY_FILE`, value: `${dir}/tls.key` },
    ...withCa ? [
      { name: `ETCD_${prefix}TRUSTED_CA_FILE`, value: `${dir}/ca.crt` },
      { name: `ETCD_${prefix}CLIENT_CERT_AUTH`, value: 'true' },
    ] : [],
  ];
  return [
    { name: 'ETCD_NAME', fromPodName: true },
    { name: 'ETCD_DATA_DIR', value: ETCD_DATA_DIR },
    { name: 'ETCD_LISTEN_PEER_URLS', value: httpUrl('0.0.0.0', ETCD_PEER_PORT, peerTls) },
    { name: 'ETCD_LISTEN_CLIENT_URLS', value: httpUrl('0.0.0.0', ETCD_CLIENT_PORT, clientTls) },
    { name: 'ETCD_INITIAL_ADVERTISE_PEER_URLS', value: httpUrl(self, ETCD_PEER_PORT, peerTls) },
    { name: 'ETCD_ADVERTISE_CLIENT_URLS', value: httpUrl(self, ETCD_CLIENT_PORT, clientTls) },
    { name: 'ETCD_INITIAL_CLUSTER', value: initialCluster(input.podDnsNames, peerTls) },
    // The kubelet's probe cannot show a client certificate: /health on plain HTTP for it.
    ...clientTls ? [{ name: 'ETCD_LISTEN_METRICS_URLS', value: httpUrl('0.0.0.0', ETCD_METRICS_PORT) }] : [],
    ...clientTls ? files('', ETCD_CLIENT_TLS_DIR, clientCertAuth) : [],
    // Members always authenticate each other when peers speak TLS.
    ...peerTls ? files('PEER_', ETCD_PEER_TLS_DIR, true) : [],
    // Read only while bootstrapping an empty data dir; a member restarted on its data rejoins.
    { name: 'ETCD_INITIAL_CLUSTER_STATE', value: input.initialClusterState },
    { name: 'ETCD_INITIAL_CLUSTER_TOKEN', value: input.clusterToken },
    // 3.4 defaults to the deprecated capnslog logger and to no pre-vote; 3.5 defaults to both of these.
    { name: 'ETCD_LOGGER', value: 'zap' },
    { name: 'ETCD_PRE_VOTE', value: 'true' },
    { name: 'ETCD_AUTO_COMPACTION_MODE', value: 'periodic' },
    { name: 'ETCD_AUTO_COMPACTION_RETENTION', value: '1' },
  ];
}

/**
 * Expands `$(VAR)` references the way the kubelet does, for tests and for
 * checking the rendered environment of a given pod.
 */
export function expandEnv(env: EtcdEnvVar[], podName: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const v of env) {
    const raw = v.fromPodName ? podName : v.value ?? '';
    result[v.name] = raw.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (match, ref) => result[ref] ?? match);
  }
  return result;
}
