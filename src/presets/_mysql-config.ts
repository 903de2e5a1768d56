/**
 * Pure renderers of the MySQL Group Replication preset: the shared my.cnf,
 * the start script (per-member settings, data directory initialisation,
 * mysqld) and the group script (bootstrap or join). Nothing here is exported
 * from the package index.
 *
 * The scripts are POSIX `sh` using only mysqld, mysql, mysqladmin and
 * coreutils. Every path can be overridden by an environment variable (see
 * {@link MYSQL_SCRIPT_ENV}) so tests can run them against fixture directories.
 */
import { createHash } from 'crypto';

/** Client port. */
export const MYSQL_PORT = 3306;
/** X protocol port. */
export const MYSQLX_PORT = 33060;
/** Group communication port of the XCom stack (the MySQL stack uses the client port). */
export const GROUP_PORT = 33061;

/** `group_replication_communication_stack` values. */
export type CommunicationStack = 'MYSQL' | 'XCOM';

/** Port of `group_replication_local_address` and the seeds: the MySQL stack connects through the server's own port. */
export function groupCommunicationPort(stack: CommunicationStack): number {
  return stack === 'MYSQL' ? MYSQL_PORT : GROUP_PORT;
}

const MIB = 1024 * 1024;

/** Environment variables the scripts read, with their in-pod defaults. */
export const MYSQL_SCRIPT_ENV = {
  /** Directory of the rendered files (the ConfigMap mount). */
  confDir: { name: 'MYSQL_PRESET_CONF_DIR', default: '/etc/mysql-preset' },
  /** Mount of the data volume; the server's datadir is its `data` subdirectory, the preset's markers sit next to it. */
  dataRoot: { name: 'MYSQL_DATA_ROOT', default: '/var/lib/mysql' },
  /** Writable directory for the socket, pid file and runtime option files (an emptyDir). */
  runDir: { name: 'MYSQL_RUN_DIR', default: '/var/run/mysqld' },
  /** Password of `root` (from a Secret). */
  rootPassword: { name: 'MYSQL_ROOT_PASSWORD', default: '' },
  /** Password of the replication user (from a Secret). */
  replicationPassword: { name: 'MYSQL_REPLICATION_PASSWORD', default: '' },
  /** Password of the application account dependants get (from a Secret). */
  appPassword: { name: 'MYSQL_APP_PASSWORD', default: '' },
} as const;

/** Marker (in the data root) of a data directory that has been ONLINE in the group: it never bootstraps again by itself. */
export const GROUP_MEMBER_MARKER = '.group-member';
/** File (in the data root) an operator creates to make this member bootstrap the group once, after the whole group stopped. */
export const FORCE_BOOTSTRAP_FILE = 'force-bootstrap';

/**
 * Seconds a member that lost contact with the majority waits before it leaves the group
 * (`group_replication_unreachable_majority_timeout`; MySQL's default 0 waits forever, so a member
 * cut off in a minority stays ONLINE and serves stale reads). Longer than the majority's own
 * reaction (5 s detection plus the 5 s expel timeout), so a blip the majority rides out does not
 * make the member leave; when it elapses the member goes to ERROR, rolls back what it had pending,
 * tries to rejoin (`group_replication_autorejoin_tries`, 3 by default) and otherwise takes the exit
 * action, {@link EXIT_STATE_ACTION}.
 */
export const UNREACHABLE_MAJORITY_TIMEOUT_SECONDS = 30;
/** `group_replication_exit_state_action`: a member that left the group involuntarily accepts no writes (super_read_only). */
export const EXIT_STATE_ACTION = 'READ_ONLY';
/** Seconds between two updates of a member's `group_replication_member_weight` (see {@link rolloutWeight}). */
export const WEIGHT_PERIOD_SECONDS = 10;
/** Weight step: while member k is the primary, member j has weight 100 − step × ((j − k) mod n), at least 1. */
export const WEIGHT_STEP = 10;

/**
 * The `group_replication_member_weight` member `ordinal` gets while member `primary` is the
 * primary, among `members`: the next ordinal up weighs most, then the one after, wrapping to 0.
 * A StatefulSet rolling update replaces the highest ordinal first, so when it stops primary k
 * the group elects k+1, already replaced, and one rollout changes the primary once; only a
 * primary at the highest ordinal hands over to member 0, which the rollout replaces last (two
 * changes, which no election order avoids). Group Replication elects the lowest MySQL version
 * first, so during a version upgrade the weights decide only among members of that version.
 */
export function rolloutWeight(ordinal: number, primary: number, members: number): number {
  if (ordinal === primary) return 100;
  return Math.max(1, 100 - WEIGHT_STEP * (((ordinal - primary) % members + members) % members));
}

/** Everything the renderers need; values are already validated. */
export interface MysqlRenderInput {
  /** FQDN of every member, ordinal 0 first. */
  readonly podDnsNames: string[];
  /** Group name: a UUID shared by all members. */
  readonly groupName: string;
  /** User the members use for distributed recovery. */
  readonly replicationUser: string;
  /**
   * How members connect to each other: `MYSQL` (the server's own connections, authenticated as the
   * replication user; no IP allowlist) or `XCOM` (Group Replication's own port, filtered by `ipAllowlist`).
   */
  readonly communicationStack: CommunicationStack;
  /** `group_replication_ip_allowlist`, only for the XCOM stack. */
  readonly ipAllowlist?: string;
  /**
   * Application account created with every new data directory (dependants get it, never root): the user,
   * and the database it owns. Both or neither; names already validated.
   */
  readonly appAccount?: { readonly user: string; readonly database: string };
  /** `innodb_buffer_pool_size` in MiB. */
  readonly bufferPoolMebibytes: number;
  /** `group_replication_message_cache_size` in MiB. */
  readonly messageCacheMebibytes: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const USER = /^[A-Za-z0-9_]{1,32}$/;
const ALLOWLIST = /^[A-Za-z0-9.:/,_-]+$/;

/** A stable UUID (version 5 layout) derived from the namespace and component name. */
export function defaultGroupName(namespace: string, componentName: string): string {
  const h = createHash('sha1').update(`cdk8s-rainbond/mysql-group/${namespace}/${componentName}`).digest('hex').slice(0, 32).split('');
  h[12] = '5';
  h[16] = '89ab'[parseInt(h[16], 16) % 4]; // RFC 4122 variant
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Problems of the Group Replication options, each naming the rule and the fix. */
export function mysqlReplicationProblems(input: MysqlRenderInput): string[] {
  const problems: string[] = [];
  if (!UUID.test(input.groupName)) {
    problems.push(`'groupName' must be a lowercase UUID such as 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', got '${input.groupName}'. `
      + 'Omit it to derive one from the namespace and component name');
  }
  if (!USER.test(input.replicationUser)) {
    problems.push(`'replicationUser' must be 1 to 32 letters, digits or '_', got '${input.replicationUser}'. Omit it to use 'repl'`);
  }
  if (input.communicationStack === 'MYSQL' && input.ipAllowlist !== undefined) {
    problems.push('\'ipAllowlist\' is ignored by the MYSQL communication stack (members authenticate as the replication user instead). '
      + 'Remove ipAllowlist, or set communicationStack: MysqlCommunicationStack.XCOM');
  } else if (input.communicationStack === 'XCOM' && input.ipAllowlist === undefined) {
    problems.push('the XCOM communication stack needs \'ipAllowlist\': AUTOMATIC admits only the subnets of the pod\'s own interfaces, '
      + 'which refuses members on other nodes under /32 (Calico, Cilium) or per-node /24 (Flannel) pod addresses. '
      + 'Set ipAllowlist to the cluster\'s pod CIDR(s), e.g. \'10.244.0.0/16\', or use the default MYSQL communication stack');
  } else if (input.ipAllowlist !== undefined && !ALLOWLIST.test(input.ipAllowlist)) {
    problems.push(`'ipAllowlist' must be 'AUTOMATIC' or a comma-separated list of addresses, subnets (CIDR) or host names, got '${input.ipAllowlist}'`);
  }
  return problems;
}

/** The settings every member shares; the start script appends the member's own (server_id, addresses, paths). */
export function renderMyCnf(input: MysqlRenderInput): string {
  const seeds = input.podDnsNames.map(h => `${h}:${groupCommunicationPort(input.communicationStack)}`).join(',');
  const stack = input.communicationStack === 'MYSQL'
    ? [
      // members connect through the server's port as the replication user (GROUP_REPLICATION_STREAM), so no IP
      // allowlist refuses pods on other nodes; TLS from the server's auto-generated certificates carries the password
      'loose-group_replication_communication_stack=MYSQL',
      'loose-group_replication_ssl_mode=REQUIRED',
      'loose-group_replication_recovery_use_ssl=ON',
    ]
    : ['loose-group_replication_communication_stack=XCOM', `loose-group_replication_ip_allowlist=${input.ipAllowlist}`];
  return [
    '# Rendered by cdk8s-rainbond (mysql-replication preset): Group Replication, single primary.',
    '# The start script appends server_id, report_host, group_replication_local_address and paths.',
    '[mysqld]',
    `port=${MYSQL_PORT}`,
    `mysqlx_port=${MYSQLX_PORT}`,
    'bind_address=*',
    'host_cache_size=0',
    'secure_file_priv=NULL',
    'tmpdir=/tmp',
    // sized from the container's memory limit (see _memory.ts), same on every member
    `innodb_buffer_pool_size=${input.bufferPoolMebibytes * MIB}`,
    'disabled_storage_engines="MyISAM,BLACKHOLE,FEDERATED,ARCHIVE,MEMORY"',
    'gtid_mode=ON',
    'enforce_gtid_consistency=ON',
    'log_bin=binlog',
    'log_replica_updates=ON',
    // loose-: the server must also start (and --initialize) before the plugin's options exist
    'plugin_load_add=group_replication.so',
    'plugin_load_add=mysql_clone.so',
    `loose-group_replication_group_name=${input.groupName}`,
    'loose-group_replication_start_on_boot=OFF',
    'loose-group_replication_bootstrap_group=OFF',
    'loose-group_replication_single_primary_mode=ON',
    'loose-group_replication_enforce_update_everywhere_checks=OFF',
    `loose-group_replication_group_seeds=${seeds}`,
    ...stack,
    'loose-group_replication_recovery_get_public_key=ON',
    `loose-group_replication_message_cache_size=${input.messageCacheMebibytes * MIB}`,
    // a member cut off in a minority leaves the group instead of staying ONLINE with stale data
    `loose-group_replication_unreachable_majority_timeout=${UNREACHABLE_MAJORITY_TIMEOUT_SECONDS}`,
    `loose-group_replication_exit_state_action=${EXIT_STATE_ACTION}`,
    '',
  ].join('\n');
}

/** Shell lines both scripts start with: paths, identity of this member, quoting helpers. */
function commonShell(input: MysqlRenderInput): string {
  const e = MYSQL_SCRIPT_ENV;
  return `set -eu
CONF_DIR="\${${e.confDir.name}:-${e.confDir.default}}"
DATA_ROOT="\${${e.dataRoot.name}:-${e.dataRoot.default}}"
RUN_DIR="\${${e.runDir.name}:-${e.runDir.default}}"
DATADIR="$DATA_ROOT/data"
SOCKET="$RUN_DIR/mysqld.sock"
MEMBERS='${input.podDnsNames.join(' ')}'
REPL_USER='${input.replicationUser}'
POD="\${_POD_NAME:-\${HOSTNAME:?neither _POD_NAME nor HOSTNAME is set}}"
ORDINAL="\${POD##*-}"
case "$ORDINAL" in ''|*[!0-9]*) echo "cannot read the member ordinal from pod name '$POD'" >&2; exit 1;; esac
member() { i=0; for m in $MEMBERS; do if [ "$i" = "$1" ]; then echo "$m"; return 0; fi; i=$((i + 1)); done; }
SELF="$(member "$ORDINAL")"
[ -n "$SELF" ] || { echo "pod '$POD' (ordinal $ORDINAL) is not one of the rendered members: $MEMBERS" >&2; exit 1; }
ROOT_CNF="$RUN_DIR/root.cnf"
REPL_CNF="$RUN_DIR/repl.cnf"
`;
}

/**
 * Start script of the server container: writes this member's option files
 * (passwords from the environment, never from the manifest), initialises an
 * empty data directory once, runs mysqld and, beside it, the group script.
 */
export function renderMysqlStartScript(input: MysqlRenderInput): string {
  const e = MYSQL_SCRIPT_ENV;
  return `#!/bin/sh
# Rendered by cdk8s-rainbond (mysql-replication preset).
${commonShell(input)}
: "\${${e.rootPassword.name}:?${e.rootPassword.name} must be set (from the credentials Secret)}"
: "\${${e.replicationPassword.name}:?${e.replicationPassword.name} must be set (from the credentials Secret)}"
# opt_quote <value>: double-quoted option-file value; sql_quote <value>: body of a single-quoted SQL string
opt_quote() { printf '"%s"' "$(printf '%s' "$1" | sed 's/[\\\\"]/\\\\&/g')"; }
sql_quote() { printf '%s' "$1" | sed -e 's/\\\\/\\\\\\\\/g' -e "s/'/''/g"; }
umask 077
mkdir -p "$RUN_DIR"
{
  cat "$CONF_DIR/my.cnf"
  printf '%s\\n' "datadir=$DATADIR" "socket=$SOCKET" "pid_file=$RUN_DIR/mysqld.pid" "mysqlx_socket=$RUN_DIR/mysqlx.sock"
  printf '%s\\n' "server_id=$((ORDINAL + 1))" "report_host=$SELF" "loose-group_replication_local_address=$SELF:${groupCommunicationPort(input.communicationStack)}"
} > "$RUN_DIR/my.cnf"
printf '[client]\\nuser=root\\npassword=%s\\nsocket=%s\\n' "$(opt_quote "$${e.rootPassword.name}")" "$SOCKET" > "$ROOT_CNF"
printf '[client]\\nuser=%s\\npassword=%s\\n' "$REPL_USER" "$(opt_quote "$${e.replicationPassword.name}")" > "$REPL_CNF"

wait_for_socket() { # <pid> <socket>
  n=0
  until mysqladmin --no-defaults --socket="$2" --user=nobody ping >/dev/null 2>&1; do
    kill -0 "$1" 2>/dev/null || { echo "mysqld exited during start" >&2; return 1; }
    n=$((n + 1)); [ "$n" -lt 300 ] || { echo "mysqld did not open $2" >&2; return 1; }
    sleep 1
  done
}

if [ ! -d "$DATADIR" ]; then
  echo "initialising an empty data directory"
  rm -rf "$DATA_ROOT/initializing"
  mysqld --defaults-file="$RUN_DIR/my.cnf" --datadir="$DATA_ROOT/initializing" --initialize-insecure
  mysqld --defaults-file="$RUN_DIR/my.cnf" --datadir="$DATA_ROOT/initializing" --skip-networking --socket="$RUN_DIR/init.sock" --mysqlx=OFF &
  init_pid=$!
  wait_for_socket "$init_pid" "$RUN_DIR/init.sock"
  ROOT_PW="$(sql_quote "$${e.rootPassword.name}")"
  REPL_PW="$(sql_quote "$${e.replicationPassword.name}")"${input.appAccount ? `
  : "\${${e.appPassword.name}:?${e.appPassword.name} must be set (from the credentials Secret) to create the application account}"
  APP_PW="$(sql_quote "$${e.appPassword.name}")"
  APP_DB='\`${input.appAccount.database}\`'` : ''}
  mysql --no-defaults --socket="$RUN_DIR/init.sock" --user=root <<SQL
SET SESSION sql_log_bin = 0;
ALTER USER 'root'@'localhost' IDENTIFIED BY '$ROOT_PW';
CREATE USER 'root'@'%' IDENTIFIED BY '$ROOT_PW';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;
CREATE USER '$REPL_USER'@'%' IDENTIFIED BY '$REPL_PW';
GRANT REPLICATION SLAVE, CONNECTION_ADMIN, BACKUP_ADMIN, CLONE_ADMIN, GROUP_REPLICATION_STREAM ON *.* TO '$REPL_USER'@'%';
GRANT SELECT ON performance_schema.* TO '$REPL_USER'@'%';
CHANGE REPLICATION SOURCE TO SOURCE_USER = '$REPL_USER', SOURCE_PASSWORD = '$REPL_PW' FOR CHANNEL 'group_replication_recovery';${input.appAccount ? `
${appAccountSql(input.appAccount)}` : ''}
SQL
  mysqladmin --defaults-extra-file="$ROOT_CNF" --socket="$RUN_DIR/init.sock" shutdown
  wait "$init_pid" || true
  mv "$DATA_ROOT/initializing" "$DATADIR"
fi

mysqld --defaults-file="$RUN_DIR/my.cnf" --super-read-only=ON &
mysqld_pid=$!
trap 'kill -TERM "$mysqld_pid" 2>/dev/null' TERM INT
wait_for_socket "$mysqld_pid" "$SOCKET"
# rollout_weight <primary host>: this member's group_replication_member_weight while <primary host> is the primary
rollout_weight() {
  k=''; i=0; n=0; for m in $MEMBERS; do [ "$m" = "$1" ] && k="$i"; i=$((i + 1)); n=$((n + 1)); done
  if [ -z "$k" ] || [ "$k" = "$ORDINAL" ]; then echo 100; return 0; fi
  d=$((ORDINAL - k + n)); w=$((100 - ${WEIGHT_STEP} * (d % n))); [ "$w" -ge 1 ] || w=1; echo "$w"
}
# follow_primary: keep the weight that makes the next ordinal up the next primary (one election per rolling update)
follow_primary() {
  row="$(mysql --defaults-extra-file="$ROOT_CNF" --connect-timeout=3 --batch --skip-column-names -e \\
    "SELECT (SELECT MEMBER_HOST FROM performance_schema.replication_group_members WHERE MEMBER_ROLE = 'PRIMARY' LIMIT 1), @@GLOBAL.group_replication_member_weight" 2>/dev/null)" || return 0
  primary="$(printf '%s\\n' "$row" | cut -f1)"; have="$(printf '%s\\n' "$row" | cut -f2)"
  case "$primary" in ''|NULL) return 0;; esac
  want="$(rollout_weight "$primary")"
  [ "$have" = "$want" ] || mysql --defaults-extra-file="$ROOT_CNF" --connect-timeout=3 -e "SET GLOBAL group_replication_member_weight = $want" 2>/dev/null || true
}
# bootstrap or join; a failed attempt decides again 10 s later, as long as mysqld runs; then keep the weight up to date
( while kill -0 "$mysqld_pid" 2>/dev/null; do sh "$CONF_DIR/group.sh" && break; sleep 10; done
  while kill -0 "$mysqld_pid" 2>/dev/null; do follow_primary; sleep ${WEIGHT_PERIOD_SECONDS}; done ) &
status=0
wait "$mysqld_pid" || status=$?
# wait returns early when a signal arrives: wait again for mysqld to finish shutting down
while kill -0 "$mysqld_pid" 2>/dev/null; do wait "$mysqld_pid" || status=$?; done
exit "$status"
`;
}

/** The readiness query: this member's state, the members in its view, and those of them not UNREACHABLE. */
export const READY_SQL = 'SELECT MEMBER_STATE, (SELECT COUNT(*) FROM performance_schema.replication_group_members), '
  + '(SELECT COUNT(*) FROM performance_schema.replication_group_members WHERE MEMBER_STATE <> \'UNREACHABLE\') '
  + 'FROM performance_schema.replication_group_members WHERE MEMBER_ID = @@server_uuid';

/**
 * SQL (inside the start script's unquoted here-document, `$APP_PW` and the quoted identifier `$APP_DB` set) creating the application account:
 * its database, the user with every privilege on it and nothing else, and read access to the group's
 * members, so a client can find the primary. Run on every new data directory without binary logging,
 * like root's accounts, so every member holds it.
 */
function appAccountSql(account: { readonly user: string; readonly database: string }): string {
  return [
    'CREATE DATABASE IF NOT EXISTS $APP_DB;',
    `CREATE USER '${account.user}'@'%' IDENTIFIED BY '$APP_PW';`,
    `GRANT ALL PRIVILEGES ON $APP_DB.* TO '${account.user}'@'%';`,
    `GRANT SELECT ON performance_schema.replication_group_members TO '${account.user}'@'%';`,
  ].join('\n');
}

/**
 * Readiness script: ready only while this member is ONLINE in the group
 * (`performance_schema.replication_group_members` for `@@server_uuid`) and sees a majority of
 * the group's members (not UNREACHABLE). A member that is RECOVERING, in ERROR, OFFLINE or not in
 * a group is not ready, so a rolling update or drain never takes down the last ONLINE donor while
 * a member catches up; a member cut off in a minority keeps reporting itself ONLINE until
 * {@link UNREACHABLE_MAJORITY_TIMEOUT_SECONDS} pass, but is not ready from its first probe, so no
 * Service sends it reads it cannot know to be current. Prints what it saw when not ready.
 */
export function renderReadyScript(): string {
  const e = MYSQL_SCRIPT_ENV;
  return `#!/bin/sh
# Rendered by cdk8s-rainbond (mysql-replication preset): readiness = ONLINE in the group, in the partition with the majority.
RUN_DIR="\${${e.runDir.name}:-${e.runDir.default}}"
row="$(mysql --defaults-extra-file="$RUN_DIR/root.cnf" --connect-timeout=3 --batch --skip-column-names \\
  -e "${READY_SQL}" 2>/dev/null)" \\
  || { echo "mysqld does not answer"; exit 1; }
state="$(printf '%s\\n' "$row" | cut -f1)"
[ "$state" = ONLINE ] || { echo "member state: \${state:-not in a group}"; exit 1; }
total="$(printf '%s\\n' "$row" | cut -f2)"; reachable="$(printf '%s\\n' "$row" | cut -f3)"
[ $((\${reachable:-0} * 2)) -gt "\${total:-0}" ] || { echo "ONLINE but in a minority: \${reachable:-0} of \${total:-0} members reachable"; exit 1; }
`;
}

/**
 * Group script: decides whether this member bootstraps the group or joins it, and does it.
 *
 * A one-member group bootstraps at every start. Otherwise only member 0 bootstraps by itself,
 * and only when its data directory has never been
 * ONLINE in the group (no marker), has executed no transaction (empty gtid_executed)
 * and no other member reports an ONLINE member. Every other case joins, retrying until
 * a seed accepts it. After the whole group stopped, an operator chooses the member with
 * the most recent data and creates the force-bootstrap file on its volume.
 * Prints its decision as `decision: bootstrap|join` on stdout.
 */
export function renderGroupScript(input: MysqlRenderInput): string {
  return `#!/bin/sh
# Rendered by cdk8s-rainbond (mysql-replication preset): bootstrap or join the group.
${commonShell(input)}
MARKER="$DATA_ROOT/${GROUP_MEMBER_MARKER}"
FORCE="$DATA_ROOT/${FORCE_BOOTSTRAP_FILE}"
local_sql() { mysql --defaults-extra-file="$ROOT_CNF" --batch --skip-column-names -e "$1"; }
# online_peer: the first other member that reports an ONLINE group member; empty when none answers
online_peer() {
  for peer in $MEMBERS; do
    [ "$peer" = "$SELF" ] && continue
    n="$(mysql --defaults-extra-file="$REPL_CNF" --connect-timeout=3 --host="$peer" --port=${MYSQL_PORT} --batch --skip-column-names \\
      -e "SELECT COUNT(*) FROM performance_schema.replication_group_members WHERE MEMBER_STATE = 'ONLINE'" 2>/dev/null)" || n=0
    case "$n" in ''|*[!0-9]*) n=0;; esac
    if [ "$n" -gt 0 ]; then echo "$peer"; return 0; fi
  done
}
decide() {
  if [ -f "$FORCE" ]; then echo bootstrap; return 0; fi
  # a one-member group has nobody to join and nobody whose data could be newer: it bootstraps at every start
  if [ "$MEMBERS" = "$SELF" ]; then echo bootstrap; return 0; fi
  if [ "$ORDINAL" != 0 ] || [ -f "$MARKER" ]; then echo join; return 0; fi
  executed="$(local_sql 'SELECT @@GLOBAL.gtid_executed')" || { echo join; return 0; }
  if [ -n "$executed" ]; then echo join; return 0; fi
  peer="$(online_peer)"
  if [ -n "$peer" ]; then echo join; return 0; fi
  echo bootstrap
}
DECISION="$(decide)"
echo "decision: $DECISION"
if [ "$DECISION" = bootstrap ]; then
  status=0
  local_sql 'SET GLOBAL group_replication_bootstrap_group = ON; START GROUP_REPLICATION;' || status=$?
  # always switch bootstrapping off again, also when START failed
  local_sql 'SET GLOBAL group_replication_bootstrap_group = OFF;'
  [ "$status" = 0 ] || { echo "bootstrapping the group failed" >&2; exit "$status"; }
  rm -f "$FORCE"
else
  until local_sql 'START GROUP_REPLICATION;'; do
    echo "joining the group failed; retrying in 10 s" >&2
    sleep 10
  done
fi
touch "$MARKER"
echo "member $SELF is in the group"
`;
}
