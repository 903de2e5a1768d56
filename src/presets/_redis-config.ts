/**
 * Pure renderers of the Redis Sentinel preset: redis.conf, sentinel.conf, the
 * start scripts (member supervisor, Redis, Sentinel), the preStop hand-over and
 * the replica reconcile check. Nothing here is exported from the package index.
 *
 * The start scripts are plain POSIX `sh` that only need redis-server,
 * redis-sentinel, redis-cli and coreutils, so the same files run in the
 * official image and with Debian's binaries in tests. Every path they use can
 * be overridden by an environment variable (see {@link REDIS_SCRIPT_ENV}).
 */

/** Port of the Redis server. */
export const REDIS_PORT = 6379;
/** Port of the Sentinel. */
export const SENTINEL_PORT = 26379;

/** Environment variables the start scripts read, with their in-pod defaults. */
export const REDIS_SCRIPT_ENV = {
  /** Directory holding the rendered files (the ConfigMap mount). */
  confDir: { name: 'REDIS_PRESET_CONF_DIR', default: '/etc/redis-preset' },
  /** Redis data directory (the data volume). */
  dataDir: { name: 'REDIS_DATA_DIR', default: '/data' },
  /** Writable directory for the runtime configuration files (an emptyDir). */
  runDir: { name: 'REDIS_RUN_DIR', default: '/run/redis' },
  /** Addresses Redis and Sentinel listen on. */
  bind: { name: 'REDIS_BIND', default: '* -::*' },
  /** The password of Redis and Sentinel, set from a Secret. */
  password: { name: 'REDIS_PASSWORD', default: '' },
} as const;

/** File (in the data dir) an operator creates to make this member start as the primary when no Sentinel answers. */
export const FORCE_PRIMARY_FILE = 'force-primary';
/** File (in the data dir) holding the role this member last had, with the Sentinels' config epoch and the time. */
export const LAST_ROLE_FILE = '.last-role';
/** File (in the run dir) that exists while the member waits for a Sentinel to name the master; the probes pass meanwhile. */
export const WAITING_FILE = 'waiting';

/** Everything the renderers need; all values are already validated. */
export interface RedisRenderInput {
  /** Name of the monitored master set, e.g. `mymaster`. */
  readonly masterName: string;
  /** FQDN of every member, ordinal 0 first. */
  readonly podDnsNames: string[];
  /** Sentinels that must agree the master is down. */
  readonly sentinelQuorum: number;
  /** Milliseconds without a valid reply before a Sentinel considers an instance down. */
  readonly downAfterMilliseconds: number;
  /** Failover timeout in milliseconds. */
  readonly failoverTimeoutMilliseconds: number;
}

/** Characters allowed in a master name: it is written unquoted into sentinel.conf and scripts. */
const MASTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Problems of the Sentinel options for the given member count, each naming the rule and the fix. */
export function redisSentinelProblems(input: {
  readonly masterName: string;
  readonly sentinelQuorum: number;
  readonly members: number;
  readonly downAfterMilliseconds: number;
  readonly failoverTimeoutMilliseconds: number;
}): string[] {
  const problems: string[] = [];
  const { masterName, sentinelQuorum, members } = input;
  if (!MASTER_NAME.test(masterName)) {
    problems.push(`'masterName' must contain only letters, digits, '.', '_' and '-' and start with a letter or digit, got '${masterName}'. `
      + 'Use a name such as \'mymaster\'');
  }
  if (!Number.isInteger(sentinelQuorum) || sentinelQuorum < 1) {
    problems.push(`'sentinelQuorum' must be a whole number of at least 1, got ${sentinelQuorum}. Omit it to use the majority (${Math.floor(members / 2) + 1})`);
  } else if (sentinelQuorum > members) {
    problems.push(`'sentinelQuorum' (${sentinelQuorum}) is larger than the Sentinel count (${members}, one Sentinel per member): `
      + `no failure could ever be agreed on. Set 'sentinelQuorum' to at most ${members} (the majority is ${Math.floor(members / 2) + 1}) or add members`);
  }
  for (const [prop, value] of [['downAfterMilliseconds', input.downAfterMilliseconds], ['failoverTimeoutMilliseconds', input.failoverTimeoutMilliseconds]] as const) {
    if (!Number.isInteger(value) || value < 100) {
      problems.push(`'${prop}' must be a whole number of milliseconds of at least 100, got ${value}`);
    }
  }
  return problems;
}

/**
 * `min-replicas-max-lag` in seconds for a cluster of `members` whose Sentinels wait
 * `downAfterMilliseconds` before a failover; undefined for a single member (it has no replica to wait for).
 *
 * A primary cut off from its replicas keeps acknowledging writes that a failover on the other side
 * discards when the primary rejoins as a replica (the Redis Sentinel documentation's "consistency
 * under partitions"). With `min-replicas-to-write 1` it refuses writes (NOREPLICAS) once no replica
 * has acknowledged for longer than this lag: one second less than down-after, so it stops before the
 * Sentinels can start a failover. Replicas acknowledge every second, so healthy replicas never lag that much.
 */
export function minReplicasMaxLagSeconds(members: number, downAfterMilliseconds: number): number | undefined {
  return members > 1 ? Math.max(1, Math.ceil(downAfterMilliseconds / 1000) - 1) : undefined;
}

/** What redis.conf depends on besides the fixed settings. */
export interface RedisConfOptions {
  /** Caps the data set (`maxmemory`, `noeviction`: a full Redis refuses writes instead of silently dropping keys). */
  readonly maxMemoryMebibytes?: number;
  /** With a value, `min-replicas-to-write 1` and this `min-replicas-max-lag` (see {@link minReplicasMaxLagSeconds}). */
  readonly minReplicasMaxLagSeconds?: number;
}

/** The static part of redis.conf; the start script appends the member's own lines. */
export function renderRedisConf(options: RedisConfOptions = {}): string {
  const { maxMemoryMebibytes, minReplicasMaxLagSeconds: maxLag } = options;
  return [
    '# Rendered by cdk8s-rainbond (redis-sentinel preset). The start script appends',
    '# dir, bind, announce address, passwords and replicaof for this member.',
    `port ${REDIS_PORT}`,
    'protected-mode no',
    'appendonly yes',
    'appendfsync everysec',
    'replica-serve-stale-data yes',
    'replica-read-only yes',
    'repl-diskless-sync yes',
    `replica-announce-port ${REDIS_PORT}`,
    ...maxMemoryMebibytes === undefined ? [] : [`maxmemory ${maxMemoryMebibytes}mb`, 'maxmemory-policy noeviction'],
    ...maxLag === undefined ? [] : [
      '# a primary no replica has acknowledged for longer than this refuses writes (NOREPLICAS) rather than',
      '# acknowledge writes that a failover elsewhere would discard; the lag is one second under down-after',
      'min-replicas-to-write 1',
      `min-replicas-max-lag ${maxLag}`,
    ],
    '',
  ].join('\n');
}

/** The static part of sentinel.conf; the start script appends identity, monitor line and passwords. */
export function renderSentinelConf(input: RedisRenderInput): string {
  return [
    '# Rendered by cdk8s-rainbond (redis-sentinel preset). The start script appends',
    '# dir, bind, myid, announce address, the monitor line (the current master) and passwords.',
    `port ${SENTINEL_PORT}`,
    'protected-mode no',
    'sentinel resolve-hostnames yes',
    'sentinel announce-hostnames yes',
    `sentinel announce-port ${SENTINEL_PORT}`,
    `# per master (${input.masterName}), appended after its monitor line:`,
    `#   down-after-milliseconds ${input.downAfterMilliseconds}, failover-timeout ${input.failoverTimeoutMilliseconds}, parallel-syncs 1`,
    '',
  ].join('\n');
}

/**
 * Shell functions shared by both start scripts: who am I, and which master do
 * the reachable Sentinels report (the answer most of them give).
 */
function commonShell(input: RedisRenderInput): string {
  const e = REDIS_SCRIPT_ENV;
  return `set -eu
CONF_DIR="\${${e.confDir.name}:-${e.confDir.default}}"
DATA_DIR="\${${e.dataDir.name}:-${e.dataDir.default}}"
RUN_DIR="\${${e.runDir.name}:-${e.runDir.default}}"
BIND="\${${e.bind.name}:-${e.bind.default}}"
MASTER_NAME='${input.masterName}'
MEMBERS='${input.podDnsNames.join(' ')}'
POD="\${_POD_NAME:-\${HOSTNAME:?neither _POD_NAME nor HOSTNAME is set}}"
ORDINAL="\${POD##*-}"
case "$ORDINAL" in ''|*[!0-9]*) echo "cannot read the member ordinal from pod name '$POD'" >&2; exit 1;; esac
# member <ordinal>: FQDN of that member
member() { i=0; for m in $MEMBERS; do if [ "$i" = "$1" ]; then echo "$m"; return 0; fi; i=$((i + 1)); done; }
SELF="$(member "$ORDINAL")"
[ -n "$SELF" ] || { echo "pod '$POD' (ordinal $ORDINAL) is not one of the rendered members: $MEMBERS" >&2; exit 1; }
FIRST="$(member 0)"
FORCE_FILE="$DATA_DIR/${FORCE_PRIMARY_FILE}"
ROLE_FILE="$DATA_DIR/${LAST_ROLE_FILE}"
WAITING_FILE="$RUN_DIR/${WAITING_FILE}"
: "\${${e.password.name}:?${e.password.name} must be set (from the credentials Secret)}"
export REDISCLI_AUTH="$${e.password.name}"
# conf_quote <value>: the value as a double-quoted redis.conf string
conf_quote() { printf '"%s"' "$(printf '%s' "$1" | sed 's/[\\\\"]/\\\\&/g')"; }
# tally <skip>: "<count> <host>" of the master host most reachable Sentinels (except <skip>) report; empty when none answers
tally() {
  answers=''
  for peer in $MEMBERS; do
    [ "$peer" = "$1" ] && continue
    reply="$(timeout 3 redis-cli -h "$peer" -p ${SENTINEL_PORT} --raw SENTINEL get-master-addr-by-name "$MASTER_NAME" 2>/dev/null | head -n 1)" || reply=''
    case "$reply" in ''|*[!A-Za-z0-9.:-]*) ;; *) answers="$answers$reply
";; esac
  done
  printf '%s' "$answers" | sed '/^$/d' | sort | uniq -c | sort -k1,1nr -k2 | head -n 1 | awk '{ print $1, $2 }'
}
# ask_sentinels <skip>: the master host most reachable Sentinels (except <skip>) report; empty when none answers
ask_sentinels() { tally "$1" | awk '{ print $2 }'; }
# record_role <role>: remember on the data volume the role this member has, the Sentinels' config epoch and the time
record_role() {
  epoch="$(timeout 3 redis-cli -p ${SENTINEL_PORT} --raw SENTINEL MASTER "$MASTER_NAME" 2>/dev/null | awk 'prev == "config-epoch" { print; exit } { prev = $0 }')" || epoch=''
  { printf '%s epoch=%s at=%s\\n' "$1" "\${epoch:-unknown}" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$ROLE_FILE.tmp" && mv "$ROLE_FILE.tmp" "$ROLE_FILE"; } 2>/dev/null || true
}
# ordinal_of <host>: the ordinal of a member FQDN; empty when it is none
ordinal_of() { i=0; for m in $MEMBERS; do if [ "$m" = "$1" ]; then echo "$i"; return 0; fi; i=$((i + 1)); done; }
# rollout_priority <master host>: this member's replica-priority while <master host> is the primary (see SUCCESSOR_PRIORITY_STEP)
rollout_priority() {
  k="$(ordinal_of "$1")"; n=0; for m in $MEMBERS; do n=$((n + 1)); done
  [ -n "$k" ] && [ "$k" != "$ORDINAL" ] || { echo ${REPLICA_PRIORITY}; return 0; }
  d=$((ORDINAL - k + n)); echo $((d % n * ${SUCCESSOR_PRIORITY_STEP}))
}
# has_data: the data volume holds a data set (AOF or RDB) from an earlier run
has_data() { [ -s "$DATA_DIR/dump.rdb" ] || [ -s "$DATA_DIR/appendonly.aof" ] || [ -n "$(ls -A "$DATA_DIR/appendonlydir" 2>/dev/null)" ]; }
# current_master <skip>: the master the Sentinels name (3 tries). When none answers: this member if the operator
# created the force-primary file; member 0 when this member has no data (a new cluster); otherwise unknown (fails):
# a member with data may be a stale former primary, and promoting it would make the others resync from it.
current_master() {
  for try in 1 2 3; do
    found="$(ask_sentinels "$1")"
    if [ -n "$found" ]; then echo "$found"; return 0; fi
    [ "$try" = 3 ] || sleep 1
  done
  if [ "$MEMBERS" = "$SELF" ]; then printf '%s\n' "$SELF"; return 0; fi # a single member is always the master
  if [ -f "$FORCE_FILE" ]; then
    printf '%s\n' "no Sentinel answered; $FORCE_FILE exists: starting $SELF as the master" >&2
    printf '%s\n' "$SELF"; return 0
  fi
  if ! has_data; then
    printf '%s\n' "no Sentinel answered and no local data; starting from member 0 ($FIRST) as the master" >&2
    printf '%s\n' "$FIRST"; return 0
  fi
  return 1
}
mkdir -p "$RUN_DIR"
umask 077
`;
}

/** Start script of the Redis server container. */
export function renderRedisStartScript(input: RedisRenderInput): string {
  return `#!/bin/sh
# Rendered by cdk8s-rainbond (redis-sentinel preset): starts this member's Redis server
# as the master the Sentinels report, or as a replica of it.
${commonShell(input)}
MASTER="$(cat "$RUN_DIR/master" 2>/dev/null || true)"
[ -n "$MASTER" ] || MASTER="$(current_master '')" || { echo "no Sentinel names a master and $DATA_DIR holds data: not starting (see decide.sh)" >&2; exit 1; }
if [ "$MASTER" = "$SELF" ]; then record_role master; else record_role slave; fi
PW="$(conf_quote "$REDIS_PASSWORD")"
{
  cat "$CONF_DIR/redis.conf"
  printf '%s\\n' "dir $(conf_quote "$DATA_DIR")"
  printf '%s\\n' "bind $BIND"
  printf '%s\\n' "replica-announce-ip $SELF"
  printf '%s\\n' "requirepass $PW"
  printf '%s\\n' "masterauth $PW"
  if [ "$MASTER" != "$SELF" ]; then
    printf '%s\\n' "replicaof $MASTER ${REDIS_PORT}"
    # a member restarting on its data is not promotable until it has synced with the master: its data may be stale,
    # and Sentinel prefers it over replicas whose link has been down longer (reconcile.sh restores the priority)
    if has_data; then printf '%s\\n' "replica-priority 0"; else printf '%s\\n' "replica-priority $(rollout_priority "$MASTER")"; fi
  fi
} > "$RUN_DIR/redis.conf"
if [ "$MASTER" = "$SELF" ]; then echo "starting $SELF as the master"; else echo "starting $SELF as a replica of $MASTER"; fi
exec redis-server "$RUN_DIR/redis.conf"
`;
}

/** Start script of the Sentinel container. */
export function renderSentinelStartScript(input: RedisRenderInput): string {
  return `#!/bin/sh
# Rendered by cdk8s-rainbond (redis-sentinel preset): starts this member's Sentinel
# monitoring the master the other Sentinels report (member 0 when none answers).
${commonShell(input)}
MASTER="$(cat "$RUN_DIR/master" 2>/dev/null || true)"
[ -n "$MASTER" ] || MASTER="$(current_master "$SELF")" || { echo "no Sentinel names a master and $DATA_DIR holds data: not starting (see decide.sh)" >&2; exit 1; }
# Sentinel refuses a monitor line whose host does not resolve yet: wait for DNS.
tries=0
until getent hosts "$MASTER" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 120 ]; then echo "master host $MASTER does not resolve" >&2; exit 1; fi
  sleep 1
done
PW="$(conf_quote "$REDIS_PASSWORD")"
MYID="$(printf '%s' "$SELF" | sha1sum | cut -c1-40)"
{
  cat "$CONF_DIR/sentinel.conf"
  printf '%s\\n' "dir $(conf_quote "$RUN_DIR")"
  printf '%s\\n' "bind $BIND"
  printf '%s\\n' "sentinel myid $MYID"
  printf '%s\\n' "sentinel announce-ip $SELF"
  printf '%s\\n' "requirepass $PW"
  printf '%s\\n' "sentinel sentinel-pass $PW"
  printf '%s\\n' "sentinel monitor $MASTER_NAME $MASTER ${REDIS_PORT} ${input.sentinelQuorum}"
  printf '%s\\n' "sentinel auth-pass $MASTER_NAME $PW"
  printf '%s\\n' "sentinel down-after-milliseconds $MASTER_NAME ${input.downAfterMilliseconds}"
  printf '%s\\n' "sentinel failover-timeout $MASTER_NAME ${input.failoverTimeoutMilliseconds}"
  printf '%s\\n' "sentinel parallel-syncs $MASTER_NAME 1"
} > "$RUN_DIR/sentinel.conf"
echo "sentinel $SELF monitors $MASTER_NAME at $MASTER"
exec redis-sentinel "$RUN_DIR/sentinel.conf"
`;
}

/** Seconds between two attempts of a waiting member to learn the master from the Sentinels. */
export const DECIDE_RETRY_SECONDS = 5;

/**
 * Decide script, run by the member start script before Redis and Sentinel: learns the master
 * from the Sentinels and writes it to `<run dir>/master`. When no Sentinel answers (a new
 * cluster, or every member was down) a member with data does not promote itself: it waits,
 * asking again every {@link DECIDE_RETRY_SECONDS} s, until a Sentinel names a master or an
 * operator creates the force-primary file on its data volume. While it waits the waiting file
 * exists and the probes pass, so OrderedReady starts the other members (which may hold the
 * newest data) too.
 */
export function renderDecideScript(input: RedisRenderInput): string {
  return `#!/bin/sh
# Rendered by cdk8s-rainbond (redis-sentinel preset): which member is the master before this member starts.
${commonShell(input)}
rm -f "$RUN_DIR/master"
until MASTER="$(current_master '')"; do
  if [ ! -f "$WAITING_FILE" ]; then
    echo "no Sentinel answered and $DATA_DIR holds data that may be older than the last primary's: waiting for a Sentinel to name the master." >&2
    echo "last role of $SELF: $(cat "$ROLE_FILE" 2>/dev/null || echo unknown). After every member was down, create $FORCE_FILE on the member that was the primary last (highest epoch in ${LAST_ROLE_FILE}); the others follow it." >&2
    touch "$WAITING_FILE"
  fi
  sleep ${DECIDE_RETRY_SECONDS}
done
rm -f "$WAITING_FILE"
if [ "$MASTER" = "$SELF" ]; then rm -f "$FORCE_FILE"; fi
printf '%s\\n' "$MASTER" > "$RUN_DIR/master"
echo "master: $MASTER"
`;
}

/** Redis's default `replica-priority`: a member that cannot tell who the primary is (none of the rendered members) keeps it. */
export const REPLICA_PRIORITY = 100;

/**
 * Step of the replica priorities that make the next primary the one a rolling update has already
 * replaced: while member k is the primary, member j has `replica-priority` ((j - k) mod n) × step,
 * so Sentinel (lower is preferred) picks k+1, k+2 … n-1, then 0, 1 … The StatefulSet controller
 * replaces the highest ordinal first: when it reaches primary k < n-1, members above k are already
 * new, so one rollout fails over once. Only a primary at the highest ordinal (the first one
 * replaced) hands over to a member that is replaced later (0, the last one), which is then the
 * second and last fail-over of that rollout; nothing avoids that short of not handing over.
 */
export const SUCCESSOR_PRIORITY_STEP = 10;

/** Seconds between two reconcile checks of a member. */
export const RECONCILE_PERIOD_SECONDS = 10;
/** Consecutive checks that must find a replica following the wrong master before it is re-pointed. */
export const RECONCILE_STRIKES = 3;

/**
 * Start script of the member container: runs the Sentinel and the Redis server
 * side by side and ends (so the kubelet restarts the container) as soon as
 * either of them exits; SIGTERM is passed on to both. Runs the reconcile
 * script every {@link RECONCILE_PERIOD_SECONDS} seconds.
 */
export function renderMemberStartScript(): string {
  const e = REDIS_SCRIPT_ENV;
  return `#!/bin/sh
# Rendered by cdk8s-rainbond (redis-sentinel preset): Sentinel and Redis of this member.
CONF_DIR="\${${e.confDir.name}:-${e.confDir.default}}"
# one decision for both servers: the master, or wait while no Sentinel can say and this member's data may be stale
sh "$CONF_DIR/decide.sh" || exit 1
sh "$CONF_DIR/start-sentinel.sh" &
sentinel_pid=$!
sh "$CONF_DIR/start-redis.sh" &
redis_pid=$!
stop() { kill -TERM "$redis_pid" "$sentinel_pid" 2>/dev/null; }
trap stop TERM INT
tick=0
reconcile_pid=''
while kill -0 "$redis_pid" 2>/dev/null && kill -0 "$sentinel_pid" 2>/dev/null; do
  sleep 1
  tick=$((tick + 1))
  # every ${RECONCILE_PERIOD_SECONDS} s, in the background (SIGTERM must not wait for it), one check at a time
  if [ $((tick % ${RECONCILE_PERIOD_SECONDS})) = 0 ] && { [ -z "$reconcile_pid" ] || ! kill -0 "$reconcile_pid" 2>/dev/null; }; then
    sh "$CONF_DIR/reconcile.sh" &
    reconcile_pid=$!
  fi
done
stop
status=0
wait "$redis_pid" || status=$?
wait "$sentinel_pid" || [ "$status" != 0 ] || status=1
echo "redis or sentinel exited; stopping the member (exit $status)" >&2
exit "$status"
`;
}

/** Seconds of the hand-over budget a stopping primary may spend waiting for its preferred successor to be promotable. */
export const SUCCESSOR_WAIT_SECONDS = 12;
/** Seconds a paused primary waits for its replicas to confirm every write before asking for the fail-over. */
export const CATCH_UP_SECONDS = 3;

/**
 * preStop hook of the member container: a primary that is being stopped hands its role over
 * before it stops, so a rolling update does not wait for the down-after period, and loses no write
 * it acknowledged:
 * 1. it waits (at most {@link SUCCESSOR_WAIT_SECONDS} s) until its Sentinel sees the preferred
 *    successor (the next ordinal up, wrapping; see {@link SUCCESSOR_PRIORITY_STEP}) with a
 *    non-zero priority, setting that priority on the successor itself when it has synced;
 * 2. it pauses writes (`CLIENT PAUSE … WRITE`: clients block, nothing is acknowledged) for the
 *    rest of the grace period and waits (at most {@link CATCH_UP_SECONDS} s) until every replica
 *    confirmed the last offset, so the promoted replica has every acknowledged write;
 * 3. it asks its Sentinel to fail over (asked again while refused) and, as soon as the Sentinel
 *    names the new primary, follows it (`REPLICAOF`) and ends the pause: blocked clients get
 *    `READONLY` and reconnect, and the proxy never sees two primaries.
 * Everything happens within `waitSeconds`; if no replica took over the member stops still
 * paused. Replicas, and a primary without connected replicas, stop at once.
 */
export function renderPreStopScript(input: RedisRenderInput, waitSeconds: number): string {
  const e = REDIS_SCRIPT_ENV;
  return `#!/bin/sh
# Rendered by cdk8s-rainbond (redis-sentinel preset): hand the primary role over before stopping.
export REDISCLI_AUTH="$${e.password.name}"
MASTER_NAME='${input.masterName}'
MEMBERS='${input.podDnsNames.join(' ')}'
POD="\${_POD_NAME:-\${HOSTNAME:-}}"
ORDINAL="\${POD##*-}"
SELF=''; i=0; for m in $MEMBERS; do [ "$i" = "$ORDINAL" ] && SELF="$m"; i=$((i + 1)); done
local_cli() { timeout 3 redis-cli -p ${REDIS_PORT} --raw "$@" 2>/dev/null; }
sentinel_cli() { timeout 3 redis-cli -p ${SENTINEL_PORT} --raw "$@" 2>/dev/null; }
role() { local_cli ROLE | head -n 1; }
now() { date +%s; }
[ "$(role)" = master ] || exit 0
replication="$(local_cli INFO replication | tr -d '\\r')"
replicas="$(printf '%s\\n' "$replication" | sed -n 's/^connected_slaves://p')"
[ "\${replicas:-0}" -gt 0 ] || exit 0
end=$(($(now) + ${waitSeconds}))
n=0; for m in $MEMBERS; do n=$((n + 1)); done
# the preferred successor: the first online replica after this member in ordinal order, wrapping
successor=''
case "$ORDINAL" in ''|*[!0-9]*) ;; *)
  k=1
  while [ "$k" -lt "$n" ] && [ -z "$successor" ]; do
    i=0; for m in $MEMBERS; do
      j=$((ORDINAL + k)); if [ "$i" = $((j % n)) ] && printf '%s\\n' "$replication" | grep -q "^slave[0-9]*:ip=$m,.*state=online"; then successor="$m"; fi
      i=$((i + 1))
    done
    k=$((k + 1))
  done;;
esac
# seen_priority <host>: the replica-priority the local Sentinel last saw for <host>
seen_priority() { sentinel_cli SENTINEL REPLICAS "$MASTER_NAME" | awk -v h="$1" 'prev == "ip" { ip = $0 } prev == "slave-priority" && ip == h { print; exit } { prev = $0 }'; }
if [ -n "$successor" ]; then
  echo "primary is stopping: handing over to $successor"
  set_once=''
  until [ "$(seen_priority "$successor")" = ${SUCCESSOR_PRIORITY_STEP} ] || [ "$(now)" -ge $((end - ${waitSeconds} + ${SUCCESSOR_WAIT_SECONDS})) ]; do
    if [ -z "$set_once" ]; then
      timeout 3 redis-cli -h "$successor" -p ${REDIS_PORT} CONFIG SET replica-priority ${SUCCESSOR_PRIORITY_STEP} >/dev/null 2>&1 && set_once=1
    fi
    sleep 1
  done
else
  echo "primary is stopping: asking the Sentinels to fail over to a replica"
fi
# no write is acknowledged from here on: the promoted replica has all the primary acknowledged
local_cli CLIENT PAUSE ${(waitSeconds + 15) * 1000} WRITE >/dev/null || echo "could not pause writes" >&2
caught_up() {
  info="$(local_cli INFO replication | tr -d '\\r')"
  offset="$(printf '%s\\n' "$info" | sed -n 's/^master_repl_offset://p')"
  behind="$(printf '%s\\n' "$info" | sed -n 's/^slave[0-9]*:.*offset=\\([0-9]*\\).*/\\1/p' | awk -v o="\${offset:-0}" '$1 < o' | wc -l)"
  [ "$behind" = 0 ]
}
k=0
until caught_up || [ "$k" -ge ${CATCH_UP_SECONDS * 10} ]; do sleep 0.1; k=$((k + 1)); done
# agreeing <host>: how many of the members' Sentinels name <host> as the master
agreeing() {
  c=0
  for m in $MEMBERS; do
    [ "$(timeout 3 redis-cli -h "$m" -p ${SENTINEL_PORT} --raw SENTINEL get-master-addr-by-name "$MASTER_NAME" 2>/dev/null | head -n 1)" = "$1" ] && c=$((c + 1))
  done
  echo "$c"
}
asked=''
while [ "$(now)" -lt "$end" ]; do
  named="$(sentinel_cli SENTINEL get-master-addr-by-name "$MASTER_NAME" | head -n 1)"
  if [ "$(role)" != master ] || { [ -n "$asked" ] && [ -n "$named" ] && [ "$named" != "$SELF" ]; }; then
    # follow the new primary at once (Sentinel would convert this member only at its next INFO, up to 10 s later)
    if [ "$(role)" = master ] && [ -n "$named" ]; then local_cli REPLICAOF "$named" ${REDIS_PORT} >/dev/null; fi
    local_cli CLIENT UNPAUSE >/dev/null
    # stop only once a majority of all Sentinels names the new primary: this member, restarting, asks them who the
    # master is, and a minority that still names it would make it start as a second primary
    while [ -n "$named" ] && [ "$named" != "$SELF" ] && [ "$(now)" -lt "$end" ] && [ "$(agreeing "$named")" -lt $((n / 2 + 1)) ]; do sleep 0.2; done
    echo "handed over to \${named:-a replica}; stopping as a replica"
    exit 0
  fi
  if [ -z "$asked" ]; then
    # refused (NOGOODSLAVE) while every replica is still unsynced at replica-priority 0: ask again
    reply="$(sentinel_cli SENTINEL FAILOVER "$MASTER_NAME" 2>&1)"
    if [ "$reply" = OK ]; then asked=1; else echo "the Sentinel refused the fail-over (\${reply:-no answer}); asking again" >&2; fi
  fi
  sleep 0.2
done
echo "no replica took over within ${waitSeconds} s; stopping anyway, writes still paused" >&2
`;
}

/**
 * Reconcile script: a replica that keeps following another host than the master a
 * majority of all Sentinels names (for {@link RECONCILE_STRIKES} checks in a row) is
 * re-pointed to that master. Sentinel only reconfigures replicas it has seen in the
 * master's INFO (refreshed every 10 s); a replica that joined just before a failover,
 * or that follows a stopped member, is otherwise never corrected. A primary is never touched.
 */
export function renderReconcileScript(input: RedisRenderInput): string {
  return `#!/bin/sh
# Rendered by cdk8s-rainbond (redis-sentinel preset): keep a replica on the master the Sentinel majority names.
${commonShell(input)}
STRIKES_FILE="$RUN_DIR/reconcile-strikes"
role="$(redis-cli -p ${REDIS_PORT} --raw ROLE 2>/dev/null | head -n 1)" || role=''
case "$role" in master|slave) record_role "$role";; esac
[ "$role" = slave ] || { rm -f "$STRIKES_FILE"; exit 0; }
replication="$(redis-cli -p ${REDIS_PORT} --raw INFO replication 2>/dev/null | tr -d '\\r')" || replication=''
current="$(printf '%s\\n' "$replication" | sed -n 's/^master_host://p')"
# once synced with its master, a replica has the priority that prefers the members a rollout replaced first
# (see SUCCESSOR_PRIORITY_STEP); one started with replica-priority 0 (possibly stale data) becomes promotable only then
if printf '%s\\n' "$replication" | grep -q '^master_link_status:up$'; then
  have="$(redis-cli -p ${REDIS_PORT} --raw CONFIG GET replica-priority 2>/dev/null | sed -n 2p)"
  want="$(rollout_priority "$current")"
  if [ -n "$have" ] && [ "$have" != "$want" ]; then
    redis-cli -p ${REDIS_PORT} CONFIG SET replica-priority "$want" >/dev/null \\
      && if [ "$have" = 0 ]; then echo "synced with $current: promotable again (replica-priority $want)"; else echo "replica-priority $want under $current"; fi
  fi
fi
result="$(tally '')"
count="\${result%% *}"
named="\${result#* }"
total=0; for m in $MEMBERS; do total=$((total + 1)); done
if [ -n "$result" ] && [ "$count" -ge $((total / 2 + 1)) ] && [ "$named" != "$current" ] && [ "$named" != "$SELF" ]; then
  strikes=$(( $(cat "$STRIKES_FILE" 2>/dev/null || echo 0) + 1 ))
  if [ "$strikes" -ge ${RECONCILE_STRIKES} ]; then
    echo "replica of '$current' while $count Sentinels name $named: following $named"
    redis-cli -p ${REDIS_PORT} REPLICAOF "$named" ${REDIS_PORT} >/dev/null
    strikes=0
  fi
  echo "$strikes" > "$STRIKES_FILE"
else
  rm -f "$STRIKES_FILE"
fi
`;
}
