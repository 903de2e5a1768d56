/**
 * Recorded facts of MySQL 8.4 that the MySQL preset's rendered configuration
 * and scripts are checked against. Only the names the preset uses (and a few
 * it is likely to use) are recorded, each with the MySQL 8.4 Reference Manual
 * page that lists it; plus the options, variables and statements removed
 * between 8.0 and 8.4, which make mysqld refuse to start (options) or fail
 * with a syntax error (statements).
 */

const REFMAN = 'https://dev.mysql.com/doc/refman/8.4/en';

/** Manual pages of the option/variable tables the names below are listed in. */
const PAGES = {
  server: `${REFMAN}/server-system-variables.html`,
  serverOptions: `${REFMAN}/server-options.html`,
  optionFiles: `${REFMAN}/option-file-options.html`,
  gtid: `${REFMAN}/replication-options-gtids.html`,
  binlog: `${REFMAN}/replication-options-binary-log.html`,
  replica: `${REFMAN}/replication-options-replica.html`,
  source: `${REFMAN}/replication-options-source.html`,
  gr: `${REFMAN}/group-replication-system-variables.html`,
  x: `${REFMAN}/x-plugin-options-system-variables.html`,
  innodb: `${REFMAN}/innodb-parameters.html`,
  plugins: `${REFMAN}/plugin-loading.html`,
  auth: `${REFMAN}/native-pluggable-authentication.html`,
  summary: `${REFMAN}/server-option-variable-reference.html`,
} as const;

/**
 * mysqld options and system variables that exist in MySQL 8.4 (underscore
 * spelling; the server accepts `-` and `_` alike), each with its manual page.
 * The summary table of all of them is ${PAGES.summary}.
 */
export const MYSQL84_SERVER_OPTIONS: { readonly [name: string]: string } = {
  // option-file handling (must come first on the command line)
  defaults_file: PAGES.optionFiles,
  defaults_extra_file: PAGES.optionFiles,
  no_defaults: PAGES.optionFiles,
  // server
  port: PAGES.server,
  bind_address: PAGES.server,
  host_cache_size: PAGES.server,
  secure_file_priv: PAGES.server,
  tmpdir: PAGES.server,
  datadir: PAGES.server,
  socket: PAGES.server,
  pid_file: PAGES.server,
  server_id: PAGES.server,
  report_host: PAGES.replica,
  disabled_storage_engines: PAGES.server,
  super_read_only: PAGES.server,
  read_only: PAGES.server,
  skip_networking: PAGES.server,
  skip_name_resolve: PAGES.server,
  max_connections: PAGES.server,
  log_error: PAGES.server,
  log_error_verbosity: PAGES.server,
  performance_schema: `${REFMAN}/performance-schema-system-variables.html`,
  initialize: PAGES.serverOptions,
  initialize_insecure: PAGES.serverOptions,
  plugin_load_add: PAGES.serverOptions,
  user: PAGES.serverOptions,
  mysql_native_password: PAGES.auth,
  table_open_cache: PAGES.server,
  thread_cache_size: PAGES.server,
  sort_buffer_size: PAGES.server,
  join_buffer_size: PAGES.server,
  tmp_table_size: PAGES.server,
  max_heap_table_size: PAGES.server,
  key_buffer_size: PAGES.server,
  transaction_isolation: PAGES.server,
  // InnoDB
  innodb_buffer_pool_size: PAGES.innodb,
  innodb_log_buffer_size: PAGES.innodb,
  innodb_redo_log_capacity: PAGES.innodb,
  innodb_flush_log_at_trx_commit: PAGES.innodb,
  // binary log, GTIDs, replica
  log_bin: PAGES.binlog,
  sync_binlog: PAGES.binlog,
  binlog_expire_logs_seconds: PAGES.binlog,
  binlog_cache_size: PAGES.binlog,
  log_replica_updates: PAGES.binlog,
  gtid_mode: PAGES.gtid,
  enforce_gtid_consistency: PAGES.gtid,
  gtid_executed: PAGES.gtid,
  sql_log_bin: PAGES.binlog,
  // X Plugin (loaded by default; --mysqlx=OFF disables it)
  mysqlx: PAGES.x,
  mysqlx_port: PAGES.x,
  mysqlx_socket: PAGES.x,
  mysqlx_bind_address: PAGES.x,
  // Group Replication (plugin variables; `loose-` lets the server start before the plugin is loaded)
  group_replication_group_name: PAGES.gr,
  group_replication_start_on_boot: PAGES.gr,
  group_replication_bootstrap_group: PAGES.gr,
  group_replication_single_primary_mode: PAGES.gr,
  group_replication_enforce_update_everywhere_checks: PAGES.gr,
  group_replication_group_seeds: PAGES.gr,
  group_replication_local_address: PAGES.gr,
  group_replication_ip_allowlist: PAGES.gr,
  group_replication_recovery_get_public_key: PAGES.gr,
  group_replication_communication_stack: PAGES.gr,
  group_replication_message_cache_size: PAGES.gr,
  group_replication_member_expel_timeout: PAGES.gr,
  group_replication_autorejoin_tries: PAGES.gr,
  group_replication_exit_state_action: PAGES.gr,
  group_replication_unreachable_majority_timeout: PAGES.gr,
  group_replication_member_weight: PAGES.gr,
  group_replication_consistency: PAGES.gr,
  group_replication_recovery_use_ssl: PAGES.gr,
  group_replication_ssl_mode: PAGES.gr,
  group_replication_paxos_single_leader: PAGES.gr,
  group_replication_advertise_recovery_endpoints: PAGES.gr,
};

/**
 * Options and variables removed by MySQL 8.4 (in 8.1 to 8.4.0): using one in an
 * option file makes mysqld 8.4 exit with "unknown variable". Sources:
 * https://dev.mysql.com/doc/mysqld-version-reference/en/optvar-changes-8-4.html,
 * …/optvar-changes-8-3.html, …/optvar-changes-8-2.html and
 * ${REFMAN}/added-deprecated-removed.html.
 */
export const MYSQL84_REMOVED_OPTIONS: { readonly [name: string]: string } = {
  admin_ssl: '8.4.0',
  authentication_fido_rp_id: '8.4.0',
  avoid_temporal_upgrade: '8.4.0',
  binlog_transaction_dependency_tracking: '8.4.0',
  default_authentication_plugin: '8.4.0 (use authentication_policy)',
  group_replication_recovery_complete_at: '8.4.0',
  have_openssl: '8.4.0',
  have_ssl: '8.4.0',
  keyring_encrypted_file_data: '8.4.0',
  keyring_encrypted_file_password: '8.4.0',
  character_set_client_handshake: '8.3.0',
  group_replication_ip_whitelist: '8.3.0 (use group_replication_ip_allowlist)',
  group_replication_primary_member: '8.3.0',
  innodb: '8.3.0',
  abort_slave_event_count: '8.2.0',
  disconnect_slave_event_count: '8.2.0',
  expire_logs_days: '8.2.0 (use binlog_expire_logs_seconds)',
};

/** Statements removed in 8.4.0 (their Com_* counters were removed with them: optvar-changes-8-4.html). */
export const MYSQL84_REMOVED_STATEMENTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^CHANGE\s+MASTER\b/i, 'CHANGE REPLICATION SOURCE TO'],
  [/^(START|STOP)\s+SLAVE\b/i, 'START/STOP REPLICA'],
  [/^SHOW\s+SLAVE\s+(STATUS|HOSTS)\b/i, 'SHOW REPLICA STATUS / SHOW REPLICAS'],
  [/^RESET\s+SLAVE\b/i, 'RESET REPLICA'],
  [/^RESET\s+MASTER\b/i, 'RESET BINARY LOGS AND GTIDS'],
  [/^SHOW\s+MASTER\s+(STATUS|LOGS)\b/i, 'SHOW BINARY LOG STATUS / SHOW BINARY LOGS'],
  [/^PURGE\s+MASTER\s+LOGS\b/i, 'PURGE BINARY LOGS'],
];

/** Statement forms of MySQL 8.4 the preset may use, with the manual page of each. */
export const MYSQL84_STATEMENTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^SELECT\b/i, `${REFMAN}/select.html`],
  [/^SET\s+(SESSION|GLOBAL|PERSIST|PERSIST_ONLY)\s+[a-z_]+\s*=/i, `${REFMAN}/set-variable.html`],
  [/^(START|STOP)\s+GROUP_REPLICATION\b/i, `${REFMAN}/start-group-replication.html`],
  [/^CHANGE\s+REPLICATION\s+SOURCE\s+TO\b/i, `${REFMAN}/change-replication-source-to.html`],
  [/^(CREATE|ALTER)\s+USER\b/i, `${REFMAN}/create-user.html`],
  [/^CREATE\s+DATABASE\s+IF\s+NOT\s+EXISTS\b/i, `${REFMAN}/create-database.html`],
  [/^GRANT\b/i, `${REFMAN}/grant.html`],
  [/^FLUSH\s+PRIVILEGES\b/i, `${REFMAN}/flush.html`],
];

/** CHANGE REPLICATION SOURCE TO options (8.4 names). */
export const MYSQL84_SOURCE_OPTIONS = new Set(['SOURCE_USER', 'SOURCE_PASSWORD', 'SOURCE_HOST', 'SOURCE_PORT', 'SOURCE_AUTO_POSITION',
  'SOURCE_SSL', 'GET_SOURCE_PUBLIC_KEY', 'SOURCE_CONNECT_RETRY', 'SOURCE_RETRY_COUNT']);

/** Static and dynamic privileges of MySQL 8.4 (${REFMAN}/privileges-provided.html). */
export const MYSQL84_PRIVILEGES = new Set(['ALL', 'ALL PRIVILEGES', 'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP', 'RELOAD',
  'PROCESS', 'REPLICATION SLAVE', 'REPLICATION CLIENT', 'SUPER', 'BACKUP_ADMIN', 'CLONE_ADMIN', 'CONNECTION_ADMIN',
  'GROUP_REPLICATION_ADMIN', 'GROUP_REPLICATION_STREAM', 'REPLICATION_SLAVE_ADMIN', 'SYSTEM_VARIABLES_ADMIN', 'PERSIST_RO_VARIABLES_ADMIN',
  'SERVICE_CONNECTION_ADMIN', 'SYSTEM_USER']);

/** performance_schema tables the preset reads (${REFMAN}/performance-schema-replication-tables.html). */
export const MYSQL84_PERFORMANCE_SCHEMA_TABLES = new Set(['replication_group_members', 'replication_group_member_stats',
  'replication_connection_status', 'replication_applier_status']);

/** Client programs shipped by the mysql:8.4 image (mysql-community-server-minimal and mysql-shell; see the image facts). */
export const MYSQL84_CLIENT_PROGRAMS = new Set(['mysql', 'mysqladmin', 'mysqldump', 'mysqlcheck', 'mysqlsh']);

/** `name` in the spelling of the tables above: dashes as underscores, without `loose-`/`skip-`/`enable-`/`disable-` prefixes. */
export function normalizeOption(name: string): { name: string; prefix?: string } {
  const m = /^(loose[-_]|skip[-_]|enable[-_]|disable[-_])?(.+)$/.exec(name.trim())!;
  const base = m[2].replace(/-/g, '_').toLowerCase();
  // skip-networking and skip-name-resolve are options of their own
  if (m[1] && /^skip/.test(m[1]) && MYSQL84_SERVER_OPTIONS[`skip_${base}`]) return { name: `skip_${base}` };
  return { name: base, prefix: m[1]?.replace(/[-_]$/, '') };
}
