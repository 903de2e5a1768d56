/**
 * Pure renderers of the ZooKeeper preset's configuration.
 * Nothing here is exported from the package index.
 *
 * The preset renders `zoo.cfg` and a start script into a ConfigMap and runs
 * `bash <start script>`: the script writes `myid` (= ordinal + 1) into the data
 * dir and execs `zkServer.sh start-foreground <zoo.cfg>`. It relies on nothing
 * from an image's entrypoint, so the same files run in the official image and
 * with Debian's zookeeper package.
 */
import { Size, SizeRoundingBehavior } from 'cdk8s';

/** Port clients use. */
export const ZK_CLIENT_PORT = 2181;
/** Port followers connect to the leader on. */
export const ZK_QUORUM_PORT = 2888;
/** Port of leader election. */
export const ZK_ELECTION_PORT = 3888;
/** Where each member's volume (dataDir, holding `myid`) is mounted. */
export const ZK_DATA_DIR = '/data';
/** Where the preset's ConfigMap is mounted. */
export const ZK_CONFIG_DIR = '/config';
/** Where logs may be written (an emptyDir; `zkServer.sh` creates it if missing). */
export const ZK_LOG_DIR = '/logs';
/** ConfigMap key of the server configuration. */
export const ZOO_CFG_KEY = 'zoo.cfg';
/** ConfigMap key of the start script. */
export const START_SCRIPT_KEY = 'start.sh';
/** ConfigMap key of the probe script. */
export const PROBE_SCRIPT_KEY = 'probe.sh';

/**
 * Four-letter-word commands the server answers. ZooKeeper ≥ 3.5.3 answers only
 * whitelisted ones; the probes use `srvr` and `ruok`, `mntr` is for monitoring.
 */
export const FOUR_LETTER_WORDS = ['srvr', 'ruok', 'mntr'];

/** Keys the preset manages; extra configuration may not set them. */
export const MANAGED_KEYS = [
  'dataDir', 'dataLogDir', 'clientPort', 'quorumListenOnAllIPs', '4lw.commands.whitelist', 'standaloneEnabled',
  'reconfigEnabled', 'dynamicConfigFile', 'admin.enableServer',
];

/** True for a key the preset sets itself (including `server.N`). */
export function isManagedKey(key: string): boolean {
  return MANAGED_KEYS.includes(key) || /^server\.\d+$/.test(key);
}

/** `server.<ordinal+1>=<fqdn>:2888:3888;2181` for every member, ordinal 0 first. */
export function serverLines(podDnsNames: string[]): string[] {
  return podDnsNames.map((fqdn, ordinal) =>
    `server.${ordinal + 1}=${fqdn}:${ZK_QUORUM_PORT}:${ZK_ELECTION_PORT};${ZK_CLIENT_PORT}`);
}

/** Rule violations of extra configuration, each with its fix; empty when valid. */
export function extraConfigProblems(extraConfig: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(extraConfig)) {
    if (isManagedKey(key)) {
      problems.push(`extraConfig may not set '${key}': the preset manages it. Fix: remove '${key}' from extraConfig.`);
    } else if (!/^[A-Za-z0-9._-]+$/.test(key)) {
      problems.push(`extraConfig key '${key}' is not a ZooKeeper property name. Fix: use only letters, digits, '.', '_' and '-'.`);
    } else if (/[\r\n]/.test(value)) {
      problems.push(`extraConfig value of '${key}' contains a line break. Fix: give a single-line value.`);
    }
  }
  return problems;
}

/** Inputs of `zoo.cfg`. */
export interface ZooCfgInput {
  /** FQDN of every member, ordinal 0 first. */
  readonly podDnsNames: string[];
  /** Extra `key=value` settings, appended after the defaults they may override. */
  readonly extraConfig?: Record<string, string>;
}

/**
 * Renders `zoo.cfg`. One member runs standalone (no `server.N` lines); more
 * members form an ensemble whose servers listen on all addresses and are
 * addressed by their pod FQDNs.
 */
export function renderZooCfg(input: ZooCfgInput): string {
  if (input.podDnsNames.length === 0) {
    throw new Error('zookeeper preset: an ensemble needs at least one member');
  }
  const settings: Record<string, string> = {
    'tickTime': '2000',
    'initLimit': '10',
    'syncLimit': '5',
    'maxClientCnxns': '60',
    'autopurge.snapRetainCount': '3',
    'autopurge.purgeInterval': '24',
    ...Object.fromEntries(Object.entries(input.extraConfig ?? {}).filter(([key]) => !isManagedKey(key))),
    'dataDir': ZK_DATA_DIR,
    'clientPort': String(ZK_CLIENT_PORT),
    '4lw.commands.whitelist': FOUR_LETTER_WORDS.join(','),
    'admin.enableServer': 'false',
    // Static membership: the file stays read-only (no zoo.cfg.dynamic rewrite).
    'reconfigEnabled': 'false',
    'standaloneEnabled': 'true',
  };
  const lines = Object.entries(settings).map(([key, value]) => `${key}=${value}`);
  if (input.podDnsNames.length > 1) {
    // Bind quorum and election ports on 0.0.0.0: a pod's own FQDN may not resolve to its IP yet.
    lines.push('quorumListenOnAllIPs=true');
    lines.push(...serverLines(input.podDnsNames));
  }
  return lines.join('\n') + '\n';
}

/** Paths the start script works with. */
export interface StartScriptInput {
  /** Data dir that receives `myid`. */
  readonly dataDir: string;
  /** Path of the rendered `zoo.cfg`. */
  readonly configFile: string;
}

/**
 * Renders the start script: derives `myid` = ordinal + 1 from the pod
 * hostname (`<statefulset>-<ordinal>`), writes it into the data dir and
 * execs `zkServer.sh start-foreground <zoo.cfg>` (found on the image's PATH).
 */
export function renderStartScript(input: StartScriptInput): string {
  return [
    '#!/bin/bash',
    'set -euo pipefail',
    'host="${HOSTNAME:-$(hostname)}"',
    'ordinal="${host##*-}"',
    'case "$ordinal" in',
    '  \'\'|*[!0-9]*) echo "zookeeper: cannot derive the member ordinal from hostname \'$host\' (expected <statefulset>-<ordinal>)" >&2; exit 1 ;;',
    'esac',
    `mkdir -p '${input.dataDir}'`,
    `echo "$((10#$ordinal + 1))" > '${input.dataDir}/myid'`,
    `exec zkServer.sh start-foreground '${input.configFile}'`,
    '',
  ].join('\n');
}

/**
 * Renders the probe script: `probe.sh <word> <pattern>` sends a four-letter
 * word to the local client port with bash's /dev/tcp (the image needs no nc)
 * and succeeds when the answer matches the extended regular expression.
 */
export function renderProbeScript(clientPort: number): string {
  return [
    '#!/bin/bash',
    'set -eu',
    `exec 3<>/dev/tcp/127.0.0.1/${clientPort}`,
    'printf %s "$1" >&3',
    'grep -qE "$2" <&3',
    '',
  ].join('\n');
}

/** Readiness: the server serves clients, i.e. it is leader, follower or standalone (`ruok` alone says imok without quorum). */
export function readinessCommand(): string[] {
  return ['bash', `${ZK_CONFIG_DIR}/${PROBE_SCRIPT_KEY}`, 'srvr', '^Mode: (leader|follower|standalone)'];
}

/** Liveness: the process answers on its client port, quorum or not. */
export function livenessCommand(): string[] {
  return ['bash', `${ZK_CONFIG_DIR}/${PROBE_SCRIPT_KEY}`, 'ruok', '^imok'];
}

/** Default JVM heap: half the memory limit (else the request), at least 64 MiB; 512 MiB when neither is set. */
export function defaultHeapMebibytes(memoryLimit?: Size, memoryRequest?: Size): number {
  const basis = memoryLimit ?? memoryRequest;
  if (!basis) return 512;
  return Math.max(64, Math.floor(basis.toMebibytes({ rounding: SizeRoundingBehavior.FLOOR }) / 2));
}

/** Rule violations of an explicit heap size against the container's memory limit. */
export function heapProblems(heapMebibytes: number, memoryLimit?: Size): string[] {
  if (heapMebibytes < 32) {
    return [`heapSize ${heapMebibytes}Mi is too small for a ZooKeeper server. Fix: give at least 32Mi.`];
  }
  if (memoryLimit) {
    const limit = memoryLimit.toMebibytes({ rounding: SizeRoundingBehavior.FLOOR });
    if (heapMebibytes > Math.floor(limit * 0.75)) {
      return [`heapSize ${heapMebibytes}Mi leaves too little of the ${limit}Mi memory limit for the JVM's off-heap memory `
        + `(the heap may use at most 75%). Fix: lower heapSize to ${Math.floor(limit * 0.75)}Mi or raise resources.memory.limit.`];
    }
  }
  return [];
}

/** JVM flags of the server: fixed heap. */
export function serverJvmFlags(heapMebibytes: number): string {
  return `-Xms${heapMebibytes}m -Xmx${heapMebibytes}m`;
}
