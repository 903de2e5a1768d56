/**
 * The MySQL preset against MySQL 8.4 itself: every option of the rendered
 * my.cnf, of the lines the start script appends to it and of the mysqld command
 * lines exists in 8.4 (a removed one makes mysqld refuse to start), every SQL
 * statement of the scripts and probes is an 8.4 statement (none of the
 * MASTER/SLAVE statements 8.4 removed), and the client programs they call are
 * the ones the mysql:8.4 image ships. The recorded 8.4 names and their manual
 * pages are in test/util/mysql84.ts.
 */
import { Testing } from 'cdk8s';
import { ClusterPreset, DeployType, RainbondComponent } from '../../src';
import { MYSQL_IMAGE } from '../../src/presets/_image-facts';
import { READY_SQL } from '../../src/presets/_mysql-config';
import {
  MYSQL84_CLIENT_PROGRAMS, MYSQL84_PERFORMANCE_SCHEMA_TABLES, MYSQL84_PRIVILEGES, MYSQL84_REMOVED_OPTIONS, MYSQL84_REMOVED_STATEMENTS,
  MYSQL84_SERVER_OPTIONS, MYSQL84_SOURCE_OPTIONS, MYSQL84_STATEMENTS, normalizeOption,
} from '../util/mysql84';
import { shellCommands } from '../util/shell-commands';
import { findOne, synthValid } from '../util/synth';

interface Rendered {
  readonly files: Record<string, string>;
  readonly probes: string[][];
}

function render(members: number): Rendered {
  const chart = Testing.chart();
  new RainbondComponent(chart, 'db', {
    deployType: members === 1 ? DeployType.STATEFUL_SINGLE : DeployType.STATEFUL_MULTIPLE,
    replicas: members === 1 ? undefined : members,
    namespace: 'shop',
    preset: ClusterPreset.mysqlReplication(),
  });
  const objects = synthValid(chart);
  const sts = findOne(objects, 'StatefulSet', 'db');
  const c = sts.spec.template.spec.containers[0];
  const cm = objects.find(o => o.kind === 'ConfigMap' && o.data?.['my.cnf'] !== undefined);
  const probes = [c.startupProbe, c.livenessProbe, c.readinessProbe, c.lifecycle?.preStop, c.lifecycle?.postStart]
    .filter(p => p?.exec).map(p => p.exec.command as string[]);
  return { files: cm.data, probes };
}

/** `[mysqld]` option names of an option file (other groups are read by clients). */
function optionFileOptions(text: string): string[] {
  const names: string[] = [];
  let group = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';') || line.startsWith('!')) continue;
    const g = /^\[([^\]]+)\]$/.exec(line);
    if (g) { group = g[1]; continue; }
    if (group === 'mysqld') names.push(line.split('=')[0].trim());
  }
  return names;
}

/** Options the start script appends to the option file (`"name=value"` words inside the block written to my.cnf). */
function appendedOptions(script: string): string[] {
  const block = /\{\n\s*cat "\$CONF_DIR\/my\.cnf"\n([\s\S]*?)\n\}\s*>/.exec(script);
  if (!block) throw new Error('start script: the block that writes my.cnf was not found');
  return [...block[1].matchAll(/"([a-z][a-z0-9_-]*)=/g)].map(m => m[1]);
}

/** `--option` names of every mysqld command line of the scripts. */
function commandLineOptions(script: string): string[] {
  return shellCommands(script).filter(c => c.name === 'mysqld').flatMap(c => c.args.filter(a => a.startsWith('--')).map(a => a.slice(2).split('=')[0]));
}

/** Problems of option names against MySQL 8.4. */
function optionProblems(names: string[]): string[] {
  const problems: string[] = [];
  for (const raw of names) {
    const { name } = normalizeOption(raw);
    if (MYSQL84_REMOVED_OPTIONS[name]) problems.push(`${raw}: removed in MySQL ${MYSQL84_REMOVED_OPTIONS[name]}`);
    else if (!MYSQL84_SERVER_OPTIONS[name]) problems.push(`${raw}: not a recorded MySQL 8.4 option or variable`);
  }
  return problems;
}

/** SQL statements of scripts (heredoc bodies and quoted strings) and of argv words (each word as a whole). */
function statements(texts: string[], words: string[] = []): string[] {
  const out: string[] = [];
  const sql = /^(SELECT|SET|START|STOP|CHANGE|CREATE|ALTER|GRANT|REVOKE|RESET|SHOW|INSTALL|FLUSH|DROP|PURGE)\b/;
  const add = (chunk: string) => {
    for (const s of chunk.split(';')) {
      const st = s.replace(/\s+/g, ' ').trim();
      if (sql.test(st)) out.push(st);
    }
  };
  for (const text of texts) {
    for (const m of text.matchAll(/<<-?\s*['"]?([A-Z]+)['"]?\n([\s\S]*?)\n\1\n/g)) add(m[2]);
    for (const c of shellCommands(text, true)) c.args.forEach(add);
  }
  words.forEach(add);
  return [...new Set(out)];
}

/** Problems of SQL statements against MySQL 8.4. */
function statementProblems(list: string[]): string[] {
  const problems: string[] = [];
  for (const st of list) {
    const removed = MYSQL84_REMOVED_STATEMENTS.find(([re]) => re.test(st));
    if (removed) { problems.push(`${st}: removed in MySQL 8.4.0 (use ${removed[1]})`); continue; }
    if (!MYSQL84_STATEMENTS.some(([re]) => re.test(st))) { problems.push(`${st}: not a recorded MySQL 8.4 statement`); continue; }
    const set = /^SET\s+(?:SESSION|GLOBAL|PERSIST|PERSIST_ONLY)\s+([a-z_]+)/i.exec(st);
    if (set && !MYSQL84_SERVER_OPTIONS[set[1]]) problems.push(`${st}: ${set[1]} is not a recorded MySQL 8.4 variable`);
    for (const v of st.matchAll(/@@(?:GLOBAL\.|SESSION\.)?([a-z_]+)/gi)) {
      if (!MYSQL84_SERVER_OPTIONS[v[1].toLowerCase()] && v[1].toLowerCase() !== 'server_uuid') problems.push(`${st}: @@${v[1]} is not a recorded MySQL 8.4 variable`);
    }
    for (const t of st.matchAll(/performance_schema\.([a-z_]+)/gi)) {
      if (!MYSQL84_PERFORMANCE_SCHEMA_TABLES.has(t[1])) problems.push(`${st}: performance_schema.${t[1]} is not a recorded table`);
    }
    const grant = /^GRANT\s+(.+?)\s+ON\s/i.exec(st);
    if (grant) {
      for (const p of grant[1].split(',').map(x => x.trim().toUpperCase())) {
        if (!MYSQL84_PRIVILEGES.has(p)) problems.push(`${st}: privilege ${p} is not a recorded MySQL 8.4 privilege`);
      }
    }
    const change = /^CHANGE\s+REPLICATION\s+SOURCE\s+TO\s+(.+?)(\s+FOR\s+CHANNEL\b.*)?$/i.exec(st);
    if (change) {
      for (const o of change[1].split(',').map(x => x.split('=')[0].trim().toUpperCase())) {
        if (!MYSQL84_SOURCE_OPTIONS.has(o)) problems.push(`${st}: ${o} is not a CHANGE REPLICATION SOURCE TO option of 8.4`);
      }
    }
  }
  return problems;
}

describe.each([1, 3])('MySQL preset with %i member(s) against MySQL 8.4', (members) => {
  const r = render(members);
  const scripts = Object.entries(r.files).filter(([, text]) => text.startsWith('#!')).map(([, text]) => text);

  test('every [mysqld] option of my.cnf exists in 8.4', () => {
    const names = optionFileOptions(r.files['my.cnf']);
    expect(names.length).toBeGreaterThan(10);
    expect(names).toEqual(expect.arrayContaining(['gtid_mode', 'loose-group_replication_group_seeds', 'plugin_load_add']));
    expect(optionProblems(names)).toEqual([]);
  });

  test('every option the start script appends to my.cnf and every mysqld command-line option exists in 8.4', () => {
    const appended = appendedOptions(r.files['start.sh']);
    expect(appended).toEqual(expect.arrayContaining(['datadir', 'socket', 'server_id', 'report_host', 'loose-group_replication_local_address']));
    const flags = scripts.flatMap(commandLineOptions);
    expect(flags).toEqual(expect.arrayContaining(['defaults-file', 'initialize-insecure', 'super-read-only', 'mysqlx']));
    expect(optionProblems([...appended, ...flags])).toEqual([]);
  });

  test('every SQL statement of the scripts and probes is a MySQL 8.4 statement', () => {
    const list = statements(scripts, r.probes.flat());
    expect(list).toEqual(expect.arrayContaining([
      expect.stringMatching(/^CHANGE REPLICATION SOURCE TO SOURCE_USER/),
      expect.stringMatching(/^START GROUP_REPLICATION/),
      expect.stringMatching(/^GRANT REPLICATION SLAVE/),
    ]));
    expect(list).toEqual(expect.arrayContaining([READY_SQL, 'SELECT @@GLOBAL.gtid_executed', 'SET GLOBAL group_replication_bootstrap_group = OFF', 'SET GLOBAL group_replication_bootstrap_group = ON']));
    expect(statementProblems(list)).toEqual([]);
  });

  test('the client programs the scripts and probes call are those the mysql:8.4 image ships', () => {
    const called = new Set([...scripts.flatMap(s => shellCommands(s).map(c => c.name)), ...r.probes.map(p => p[0])].filter(n => /^mysql/.test(n)));
    expect([...called].sort()).toEqual(['mysql', 'mysqladmin', 'mysqld']);
    for (const name of called) {
      expect({ name, inImage: MYSQL_IMAGE.binaries[name] !== undefined }).toEqual({ name, inImage: true });
      if (name !== 'mysqld') expect(MYSQL84_CLIENT_PROGRAMS.has(name)).toBe(true);
    }
  });
});

describe('the MySQL 8.4 checks fail on what 8.4 refuses', () => {
  test('an option removed in 8.4 or unknown to it', () => {
    expect(optionProblems(optionFileOptions('[mysqld]\nexpire_logs_days=7\ndefault-authentication-plugin=mysql_native_password\nloose-group_replication_ip_whitelist=AUTOMATIC\nno_such_option=1\n[client]\nuser=root\n')))
      .toEqual([
        'expire_logs_days: removed in MySQL 8.2.0 (use binlog_expire_logs_seconds)',
        'default-authentication-plugin: removed in MySQL 8.4.0 (use authentication_policy)',
        'loose-group_replication_ip_whitelist: removed in MySQL 8.3.0 (use group_replication_ip_allowlist)',
        'no_such_option: not a recorded MySQL 8.4 option or variable',
      ]);
    expect(optionProblems(['skip-networking', 'loose-group_replication_group_name', 'skip-name-resolve'])).toEqual([]);
  });

  test('a removed MASTER/SLAVE statement, an unknown privilege, variable or source option', () => {
    const list = statements(['mysql <<SQL\nCHANGE MASTER TO MASTER_USER = \'r\';\nSTART SLAVE;\nSQL\n', 'mysql -e "GRANT REPLICATION SLAVE, BOGUS_ADMIN ON *.* TO x; SET GLOBAL group_replication_bogus = 1; SELECT @@GLOBAL.nope"',
      'mysql -e "CHANGE REPLICATION SOURCE TO MASTER_USER = \'r\' FOR CHANNEL \'group_replication_recovery\'"']);
    expect(statementProblems(list)).toEqual([
      'CHANGE MASTER TO MASTER_USER = \'r\': removed in MySQL 8.4.0 (use CHANGE REPLICATION SOURCE TO)',
      'START SLAVE: removed in MySQL 8.4.0 (use START/STOP REPLICA)',
      'GRANT REPLICATION SLAVE, BOGUS_ADMIN ON *.* TO x: privilege BOGUS_ADMIN is not a recorded MySQL 8.4 privilege',
      'SET GLOBAL group_replication_bogus = 1: group_replication_bogus is not a recorded MySQL 8.4 variable',
      'SELECT @@GLOBAL.nope: @@nope is not a recorded MySQL 8.4 variable',
      'CHANGE REPLICATION SOURCE TO MASTER_USER = \'r\' FOR CHANNEL \'group_replication_recovery\': MASTER_USER is not a CHANGE REPLICATION SOURCE TO option of 8.4',
    ]);
  });
});
