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
  /**
   * FQDN of every member, ordinal 0 first. With more than one, an empty member other than
   * member 0 waits for the ensemble (see {@link renderStartScript}).
   * @default - no wait
   */
  readonly podDnsNames?: string[];
}

/** File (`$TMPDIR`, else /tmp) that exists while a new member waits for the ensemble; the probes pass meanwhile. */
export const WAITING_FILE = 'zookeeper-waiting';
/** File (`$TMPDIR`, else /tmp) the start script touches: the startup probe measures from it. */
export const STARTED_FILE = 'zookeeper-started';
/**
 * Seconds after which the startup probe accepts a server that answers but does not serve (it
 * waits for a quorum); until then it waits for the server to serve, so that the readiness probe
 * the kubelet runs at once after it passes finds the member serving.
 */
export const STARTUP_GRACE_SECONDS = 10;
/** The answer to `srvr` of a server that serves clients: leader, follower or standalone. */
const SERVING_PATTERN = '^Mode: (leader|follower|standalone)';
/** Seconds between two looks of a waiting member at the ensemble. */
export const WAIT_RETRY_SECONDS = 2;

/**
 * Renders the start script: derives `myid` = ordinal + 1 from the pod
 * hostname (`<statefulset>-<ordinal>`), writes it into the data dir and
 * execs `zkServer.sh start-foreground <zoo.cfg>` (found on the image's PATH).
 *
 * Growing a one-member ensemble: the old member ran standalone, the new ones are empty.
 * Started at once, the new members would form a quorum of their own (2 of 3) and the
 * old member, restarted with the new server list, would be truncated to their empty
 * state. So a member other than member 0 whose data dir holds no snapshot or log waits
 * until another member answers `srvr` as part of an ensemble (electing, leader or
 * follower; not standalone); member 0, which holds the data in that case, never waits.
 * While waiting the waiting file exists and the probes pass, so the rolling update goes
 * on to restart member 0 with the new server list; the new members then elect with it,
 * and the highest zxid (its data) wins. A new cluster is not held up: member 0 starts
 * electing at once.
 */
export function renderStartScript(input: StartScriptInput): string {
  const peers = input.podDnsNames ?? [];
  const gate = peers.length < 2 ? [] : [
    `MEMBERS='${peers.join(' ')}'`,
    `WAITING="\${TMPDIR:-/tmp}/${WAITING_FILE}"`,
    'rm -f "$WAITING"',
    '# srvr_of <host>: the answer of that member to srvr (empty when it does not answer)',
    `srvr_of() { timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"; printf srvr >&3; cat <&3' "$1" ${ZK_CLIENT_PORT} 2>/dev/null || true; }`,
    '# in_ensemble: another member answers as part of an ensemble (electing, leader or follower), not standalone',
    'in_ensemble() {',
    '  i=0',
    '  for m in $MEMBERS; do',
    '    if [ "$i" != "$((10#$ordinal))" ]; then',
    '      case "$(srvr_of "$m")" in *"Mode: leader"*|*"Mode: follower"*|*"not currently serving"*) return 0;; esac',
    '    fi',
    '    i=$((i + 1))',
    '  done',
    '  return 1',
    '}',
    `if [ "$((10#$ordinal))" != 0 ] && [ -z "$(ls -A '${input.dataDir}/version-2' 2>/dev/null)" ]; then`,
    '  until in_ensemble; do',
    '    if [ ! -f "$WAITING" ]; then',
    '      echo "zookeeper: member $((10#$ordinal)) has no data: waiting until another member runs in the ensemble (electing, leader or follower)," >&2',
    '      echo "so that new members cannot form a quorum without the member that holds the data. A one-member ensemble runs standalone" >&2',
    '      echo "until the rolling update restarts it with the new server list (kubectl delete pod <name>-0 does it at once)." >&2',
    '      touch "$WAITING"',
    '    fi',
    `    sleep ${WAIT_RETRY_SECONDS}`,
    '  done',
    '  rm -f "$WAITING"',
    'fi',
  ];
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
    `touch "\${TMPDIR:-/tmp}/${STARTED_FILE}"`,
    ...gate,
    `exec zkServer.sh start-foreground '${input.configFile}'`,
    '',
  ].join('\n');
}

/**
 * Renders the probe script. `probe.sh <word> <pattern>` sends a four-letter word to the local
 * client port with bash's /dev/tcp (the image needs no nc) and succeeds when the answer matches
 * the extended regular expression. `probe.sh started` is the startup probe: the server serves,
 * or {@link STARTUP_GRACE_SECONDS} have passed since the start script ran and it answers `ruok`.
 */
export function renderProbeScript(clientPort: number): string {
  return [
    '#!/bin/bash',
    'set -eu',
    '# a new member waiting for the ensemble (see start.sh) counts as alive and ready',
    `[ -f "\${TMPDIR:-/tmp}/${WAITING_FILE}" ] && exit 0`,
    `ask() { exec 3<>/dev/tcp/127.0.0.1/${clientPort}; printf %s "$1" >&3; grep -qE "$2" <&3; }`,
    'if [ "$1" != started ]; then ask "$1" "$2"; exit; fi',
    '# started: serving, or answering and waiting for a quorum for a while',
    `( ask srvr '${SERVING_PATTERN}' ) && exit 0`,
    `[ "$(( $(date +%s) - $(stat -c %Y "\${TMPDIR:-/tmp}/${STARTED_FILE}") ))" -ge ${STARTUP_GRACE_SECONDS} ] || exit 1`,
    "ask ruok '^imok'",
    '',
  ].join('\n');
}

/** Readiness: the server serves clients, i.e. it is leader, follower or standalone (`ruok` alone says imok without quorum). */
export function readinessCommand(): string[] {
  return ['bash', `${ZK_CONFIG_DIR}/${PROBE_SCRIPT_KEY}`, 'srvr', SERVING_PATTERN];
}

/** Liveness: the process answers on its client port, quorum or not. */
export function livenessCommand(): string[] {
  return ['bash', `${ZK_CONFIG_DIR}/${PROBE_SCRIPT_KEY}`, 'ruok', '^imok'];
}

/**
 * Startup: the server serves, or it answers and has waited {@link STARTUP_GRACE_SECONDS} for a
 * quorum (a member is never restarted because its ensemble has no quorum).
 */
export function startupCommand(): string[] {
  return ['bash', `${ZK_CONFIG_DIR}/${PROBE_SCRIPT_KEY}`, 'started'];
}

/** Default JVM heap: half the memory limit (else the request), at least 64 MiB; 512 MiB when neither is set. */
export function defaultHeapMebibytes(memoryLimit?: Size, memoryRequest?: Size): number {
  const basis = memoryLimit ?? memoryRequest;
  if (!basis) return 512;
  return Math.max(64, Math.floor(basis.toMebibytes({ rounding: SizeRoundingBehavior.FLOOR }) / 2));
}

/** Rule violations of an explicit heap size (in MiB, not rounded) against the container's memory limit. */
export function heapProblems(heapMebibytes: number, memoryLimit?: Size): string[] {
  if (!Number.isFinite(heapMebibytes)) {
    return [`heapSize ${heapMebibytes}Mi is not a size. Fix: give a whole number of MiB such as Size.mebibytes(512).`];
  }
  if (!Number.isInteger(heapMebibytes)) {
    return [`heapSize ${heapMebibytes}Mi is not a whole number of MiB (-Xms and -Xmx are written in MiB). `
      + `Fix: give a whole number of MiB such as Size.mebibytes(${Math.max(32, Math.floor(heapMebibytes))}).`];
  }
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
