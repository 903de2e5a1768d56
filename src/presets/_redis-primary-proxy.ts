/**
 * The primary-only access path of the Redis Sentinel preset, for clients that do
 * not speak Sentinel: a small HAProxy Deployment whose health check asks every
 * member `INFO replication` and routes connections only to the one reporting
 * `role:master`, behind the Service `<name>-primary`. Nothing here is exported
 * from the package index.
 *
 * Image contract (official `haproxy` image, Debian based; its recorded facts
 * and sources are HAPROXY_IMAGE in _image-facts.ts): user `haproxy` uid/gid 99,
 * binary `/usr/local/sbin/haproxy` (on PATH), `/bin/sh` and `sed` from Debian,
 * checked by test/presets/image-contract.test.ts. The configuration has no pidfile,
 * stats socket, chroot or log file, so HAProxy writes nothing and runs under a
 * read-only root filesystem. The same configuration runs with Debian's haproxy 2.6
 * in the integration test.
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { contentChecksum } from '../_checksum';
import { ANNOTATION_CONFIG_CHECKSUM } from '../_contract';
import { HAPROXY_IMAGE } from './_image-facts';
import { clientPeer, lazyIngress } from './_network-policy';
import { REDIS_PORT, REDIS_SCRIPT_ENV } from './_redis-config';
import { PresetNetworkPolicy } from './network-policy';

/** User and group of the official haproxy image (its USER). */
export const PROXY_USER_ID = HAPROXY_IMAGE.defaultUser.uid;
/** HTTP port answering `/healthz` with 200 only while a primary is known. */
export const PROXY_HEALTH_PORT = 8404;
/** HTTP path of the proxy's health answer. */
export const PROXY_HEALTH_PATH = '/healthz';
/** Where the proxy's ConfigMap is mounted. */
export const PROXY_CONF_DIR = '/etc/redis-primary-proxy';
/** Seconds before a proxy's first readiness probe: longer than its first round of checks. */
export const PROXY_READY_DELAY_SECONDS = 5;
/** Proxy pods: two, so a node drain or a restart leaves one. */
export const PROXY_REPLICAS = 2;

/** haproxy.cfg of the proxy: every member a server, only the primary passes the check. */
export function renderHaproxyCfg(podDnsNames: string[]): string {
  return [
    '# Rendered by cdk8s-rainbond (redis-sentinel preset): plain Redis clients reach the current primary only.',
    'global',
    '  log stdout format raw local0 notice',
    '  maxconn 1024',
    '  # no pidfile, stats socket, chroot or log file: HAProxy writes nothing (read-only root filesystem)',
    '',
    '# Pod IPs change when a member is rescheduled: re-resolve the member FQDNs through the cluster DNS.',
    '# A member without a record (pod gone) is dropped after 30 s; DNS errors keep the last address.',
    'resolvers cluster',
    '  parse-resolv-conf',
    '  resolve_retries 3',
    '  timeout resolve 1s',
    '  timeout retry 1s',
    '  hold valid 10s',
    '  hold obsolete 30s',
    '  hold nx 30s',
    '  hold timeout 1h',
    '  hold refused 1h',
    '  hold other 1h',
    '',
    'defaults',
    '  mode tcp',
    '  log global',
    '  timeout connect 3s',
    '  timeout client 1h',
    '  timeout server 1h',
    '  timeout check 2s',
    '',
    '# readiness: 200 while a primary is known, 503 otherwise',
    'frontend health',
    '  mode http',
    `  bind :${PROXY_HEALTH_PORT}`,
    `  monitor-uri ${PROXY_HEALTH_PATH}`,
    '  monitor fail if { nbsrv(primary) lt 1 }',
    '',
    'frontend redis',
    `  bind :${REDIS_PORT}`,
    '  default_backend primary',
    '',
    'backend primary',
    '  # the lowest-numbered primary: never two at once, even while a returning old primary is demoted',
    '  balance first',
    '  option tcp-check',
    '  tcp-check connect',
    '  tcp-check send "${REDIS_AUTH_COMMAND}\\r\\n"',
    '  tcp-check expect string +OK',
    '  # QUIT right away: a replica closes the connection without role:master, which fails the check at once',
    '  tcp-check send "INFO replication\\r\\nQUIT\\r\\n"',
    ...podDnsNames.length > 1 ? [
      '  # a primary with a replica: an old primary that was cut off says role:master after the partition heals,',
      '  # with stale data and no replica, until Sentinel demotes it (and it refuses writes: min-replicas-to-write)',
      '  tcp-check expect rstring role:master[[:space:]]+connected_slaves:[1-9]',
    ] : ['  tcp-check expect string role:master'],
    '  # a demoted primary loses its clients, which reconnect to the new one',
    '  default-server check inter 1s fall 1 rise 2 on-marked-down shutdown-sessions resolvers cluster init-addr last,libc,none',
    ...podDnsNames.map((fqdn, i) => `  server member-${i} ${fqdn}:${REDIS_PORT}`),
    '',
  ].join('\n');
}

/**
 * Start script of the proxy: builds the `AUTH` command of the health check from the
 * password (a Redis inline command, the password double-quoted with `\` and `"`
 * escaped) and runs HAProxy in the foreground.
 */
export function renderProxyStartScript(): string {
  const password = REDIS_SCRIPT_ENV.password.name;
  return `#!/bin/sh
# Rendered by cdk8s-rainbond (redis-sentinel preset): HAProxy in front of the current Redis primary.
set -eu
: "\${${password}:?${password} must be set (from the credentials Secret)}"
case "$${password}" in *'
'*) echo "the Redis password must not contain a line break" >&2; exit 1;; esac
REDIS_AUTH_COMMAND="AUTH \\"$(printf '%s' "$${password}" | sed 's/[\\\\"]/\\\\&/g')\\""
export REDIS_AUTH_COMMAND
exec haproxy -db -f "${PROXY_CONF_DIR}/haproxy.cfg"
`;
}

/** What the proxy needs from the preset. */
export interface PrimaryProxyInput {
  readonly componentName: string;
  readonly namespace: string;
  readonly podDnsNames: string[];
  readonly image: string;
  readonly passwordSecret: kplus.ISecret;
  readonly passwordSecretKey: string;
  readonly networkPolicy?: PresetNetworkPolicy;
}

/** Labels of the proxy pods (never matching the members' selector). */
export function proxyLabels(componentName: string): { [key: string]: string } {
  return {
    'app.kubernetes.io/name': `${componentName}-primary`,
    'app.kubernetes.io/instance': `${componentName}-primary`,
    'app.kubernetes.io/component': 'redis-primary-proxy',
  };
}

/** Creates the proxy's ConfigMap, Deployment, PodDisruptionBudget, Service `<name>-primary` and, when asked, NetworkPolicy under `scope`. */
export function addPrimaryProxy(scope: Construct, input: PrimaryProxyInput): void {
  const name = `${input.componentName}-primary`;
  const labels = proxyLabels(input.componentName);
  const metadata = { name, namespace: input.namespace };
  const data = { 'haproxy.cfg': renderHaproxyCfg(input.podDnsNames), 'start.sh': renderProxyStartScript() };
  const configMap = new kplus.k8s.KubeConfigMap(scope, 'RedisPrimaryProxyConfig', { metadata, data });
  new kplus.k8s.KubeDeployment(scope, 'RedisPrimaryProxy', {
    metadata,
    spec: {
      replicas: PROXY_REPLICAS,
      selector: { matchLabels: { ...labels } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(0), maxSurge: kplus.k8s.IntOrString.fromNumber(1) } },
      template: {
        // a changed member list or script rolls the proxy pods, like the members' own config checksum
        metadata: { labels: { ...labels }, annotations: { [ANNOTATION_CONFIG_CHECKSUM]: contentChecksum(data) } },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: {
            runAsNonRoot: true, runAsUser: PROXY_USER_ID, runAsGroup: PROXY_USER_ID, seccompProfile: { type: 'RuntimeDefault' },
          },
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [{
                weight: 100,
                podAffinityTerm: { labelSelector: { matchLabels: { ...labels } }, topologyKey: 'kubernetes.io/hostname' },
              }],
            },
          },
          terminationGracePeriodSeconds: 10,
          containers: [{
            name: 'haproxy',
            image: input.image,
            command: ['sh', `${PROXY_CONF_DIR}/start.sh`],
            ports: [
              { name: 'redis', containerPort: REDIS_PORT, protocol: 'TCP' },
              { name: 'health', containerPort: PROXY_HEALTH_PORT, protocol: 'TCP' },
            ],
            env: [{
              name: REDIS_SCRIPT_ENV.password.name,
              valueFrom: { secretKeyRef: { name: input.passwordSecret.name, key: input.passwordSecretKey } },
            }],
            volumeMounts: [{ name: 'config', mountPath: PROXY_CONF_DIR, readOnly: true }],
            // HAProxy counts every server as up until its first check (1 s interval, at most 3 s
            // connect timeout): wait past that, so a restarted proxy never sends clients to a replica.
            readinessProbe: {
              httpGet: { path: PROXY_HEALTH_PATH, port: kplus.k8s.IntOrString.fromNumber(PROXY_HEALTH_PORT) },
              initialDelaySeconds: PROXY_READY_DELAY_SECONDS,
              periodSeconds: 2,
              timeoutSeconds: 2,
              failureThreshold: 2,
            },
            livenessProbe: {
              tcpSocket: { port: kplus.k8s.IntOrString.fromNumber(REDIS_PORT) },
              initialDelaySeconds: 10,
              periodSeconds: 10,
              timeoutSeconds: 3,
              failureThreshold: 3,
            },
            resources: {
              requests: { cpu: kplus.k8s.Quantity.fromString('50m'), memory: kplus.k8s.Quantity.fromString('32Mi') },
              limits: { cpu: kplus.k8s.Quantity.fromString('500m'), memory: kplus.k8s.Quantity.fromString('128Mi') },
            },
            securityContext: {
              runAsNonRoot: true,
              privileged: false,
              readOnlyRootFilesystem: true,
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'] },
            },
          }],
          volumes: [{ name: 'config', configMap: { name: configMap.name } }],
        },
      },
    },
  });
  new kplus.k8s.KubePodDisruptionBudget(scope, 'RedisPrimaryProxyBudget', {
    metadata,
    spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...labels } } },
  });
  new kplus.k8s.KubeService(scope, 'RedisPrimaryService', {
    metadata,
    spec: {
      type: 'ClusterIP',
      selector: { ...labels },
      ports: [{ name: 'redis', port: REDIS_PORT, targetPort: kplus.k8s.IntOrString.fromNumber(REDIS_PORT), protocol: 'TCP' }],
    },
  });
  if (input.networkPolicy) {
    const clients = (input.networkPolicy.clients ?? []).map(clientPeer);
    new kplus.k8s.KubeNetworkPolicy(scope, 'RedisPrimaryProxyNetworkPolicy', {
      metadata,
      spec: {
        podSelector: { matchLabels: { ...labels } },
        policyTypes: ['Ingress'],
        // the listed clients and the components that declare a dependency on the cluster (scope), read at synthesis
        ingress: lazyIngress(scope, dependants => clients.length + dependants.length > 0
          ? [{ from: [...clients, ...dependants], ports: [{ port: kplus.k8s.IntOrString.fromNumber(REDIS_PORT), protocol: 'TCP' }] }]
          : []),
      },
    });
  }
}
