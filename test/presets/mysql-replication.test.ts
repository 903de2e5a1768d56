import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ClusterPreset, DeployType, RainbondComponent } from '../../src';
import { MYSQL_IMAGE } from '../../src/presets/_image-facts';
import {
  FORCE_BOOTSTRAP_FILE, GROUP_MEMBER_MARKER, MysqlRenderInput, defaultGroupName, mysqlReplicationProblems,
  renderGroupScript, renderMyCnf, renderMysqlStartScript, renderReadyScript, rolloutWeight,
  UNREACHABLE_MAJORITY_TIMEOUT_SECONDS, WEIGHT_PERIOD_SECONDS,
} from '../../src/presets/_mysql-config';
import { MysqlCommunicationStack, MysqlReplicationPresetOptions } from '../../src/presets/mysql-replication';
import { findAll, findOne, synthValid } from '../util/synth';

const MEMBERS = [0, 1, 2].map(i => `db-${i}.db.prod.svc.cluster.local`);
const INPUT: MysqlRenderInput = {
  podDnsNames: MEMBERS,
  groupName: defaultGroupName('prod', 'db'),
  replicationUser: 'repl',
  communicationStack: 'MYSQL',
  bufferPoolMebibytes: 1024,
  messageCacheMebibytes: 128,
};

describe('defaultGroupName', () => {
  test('is a version-5 layout UUID, stable, and differs per namespace and component', () => {
    const name = defaultGroupName('prod', 'db');
    expect(name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(defaultGroupName('prod', 'db')).toBe(name);
    expect(defaultGroupName('test', 'db')).not.toBe(name);
    expect(defaultGroupName('prod', 'db2')).not.toBe(name);
  });
});

describe('mysqlReplicationProblems', () => {
  test.each([
    [{}, []],
    [{ groupName: 'not-a-uuid' }, ['\'groupName\' must be a lowercase UUID']],
    [{ groupName: 'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE' }, ['\'groupName\' must be a lowercase UUID']],
    [{ replicationUser: 'rep l' }, ['\'replicationUser\' must be 1 to 32 letters']],
    [{ replicationUser: 'x'.repeat(33) }, ['\'replicationUser\' must be 1 to 32 letters']],
    [{ communicationStack: 'XCOM', ipAllowlist: '10.0.0.0/8,192.168.0.0/16' }, []],
    [{ communicationStack: 'XCOM', ipAllowlist: '10.0.0.0/8; DROP' }, ['\'ipAllowlist\' must be']],
    [{ communicationStack: 'XCOM' }, ['the XCOM communication stack needs \'ipAllowlist\': AUTOMATIC admits only the subnets']],
    [{ ipAllowlist: '10.0.0.0/8' }, ['\'ipAllowlist\' is ignored by the MYSQL communication stack']],
  ] as Array<[Partial<MysqlRenderInput>, string[]]>)('%j gives %j', (override, expected) => {
    const problems = mysqlReplicationProblems({ ...INPUT, ...override });
    expect(problems).toHaveLength(expected.length);
    expected.forEach((fragment, i) => expect(problems[i]).toContain(fragment));
  });
});

describe('my.cnf', () => {
  const lines = renderMyCnf(INPUT).split('\n');

  test('turns on GTIDs, InnoDB only and the Group Replication plugin', () => {
    expect(lines).toEqual(expect.arrayContaining([
      '[mysqld]', 'gtid_mode=ON', 'enforce_gtid_consistency=ON', 'log_bin=binlog',
      'disabled_storage_engines="MyISAM,BLACKHOLE,FEDERATED,ARCHIVE,MEMORY"',
      'plugin_load_add=group_replication.so', 'loose-group_replication_single_primary_mode=ON',
    ]));
  });

  test('a member cut off in a minority leaves the group after a bounded time and then accepts no writes', () => {
    expect(lines).toContain(`loose-group_replication_unreachable_majority_timeout=${UNREACHABLE_MAJORITY_TIMEOUT_SECONDS}`);
    expect(UNREACHABLE_MAJORITY_TIMEOUT_SECONDS).toBeGreaterThan(10); // longer than the majority's 5 s detection + 5 s expel
    expect(lines).toContain('loose-group_replication_exit_state_action=READ_ONLY');
  });

  test('never bootstraps or starts the group from the option file', () => {
    expect(lines).toContain('loose-group_replication_bootstrap_group=OFF');
    expect(lines).toContain('loose-group_replication_start_on_boot=OFF');
  });

  test('names the group and lists every member FQDN as a seed', () => {
    expect(lines).toContain(`loose-group_replication_group_name=${INPUT.groupName}`);
    expect(lines).toContain(`loose-group_replication_group_seeds=${MEMBERS.map(m => `${m}:3306`).join(',')}`);
  });

  test('members connect over the MYSQL stack with TLS: no IP allowlist that refuses pods on other nodes', () => {
    expect(lines).toEqual(expect.arrayContaining([
      'loose-group_replication_communication_stack=MYSQL',
      'loose-group_replication_ssl_mode=REQUIRED',
      'loose-group_replication_recovery_use_ssl=ON',
    ]));
    expect(lines.filter(l => l.includes('ip_allowlist'))).toEqual([]);
  });

  test('the XCOM stack uses port 33061 and the allowlist given', () => {
    const xcom = renderMyCnf({ ...INPUT, communicationStack: 'XCOM', ipAllowlist: '10.244.0.0/16' }).split('\n');
    expect(xcom).toEqual(expect.arrayContaining([
      'loose-group_replication_communication_stack=XCOM', 'loose-group_replication_ip_allowlist=10.244.0.0/16',
      `loose-group_replication_group_seeds=${MEMBERS.map(m => `${m}:33061`).join(',')}`,
    ]));
  });

  test('has no per-member setting: those come from the start script', () => {
    expect(lines.filter(l => /^(server_id|report_host|(loose-)?group_replication_local_address)=/.test(l))).toEqual([]);
  });
});

/**
 * A fixture: temporary data root, run dir and a `bin` of shims in front of PATH.
 * The `mysql` shim logs every call, answers remote calls from `peers` (host → ONLINE count;
 * an absent host does not answer) and local calls from `gtidExecuted` and `startFails`.
 */
interface Fixture {
  readonly dir: string;
  readonly dataRoot: string;
  run(script: string, pod: string, extraEnv?: Record<string, string>): { status: number | null; stdout: string; stderr: string };
  calls(): string[];
  setPeers(peers: Record<string, number>): void;
  cleanup(): void;
}

interface FixtureOptions {
  readonly gtidExecuted?: string;
  readonly startFails?: number;
  readonly bootstrapFails?: boolean;
}

function fixture(opts: FixtureOptions = {}): Fixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mysql-preset-'));
  const bin = path.join(dir, 'bin');
  const peers = path.join(dir, 'peers');
  const conf = path.join(dir, 'conf');
  const dataRoot = path.join(dir, 'data');
  for (const d of [bin, peers, conf, dataRoot]) fs.mkdirSync(d);
  fs.writeFileSync(path.join(conf, 'my.cnf'), renderMyCnf(INPUT));
  fs.writeFileSync(path.join(conf, 'group.sh'), renderGroupScript(INPUT));
  fs.writeFileSync(path.join(dir, 'start-fails'), String(opts.startFails ?? 0));
  const shim = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  shim('mysql', `printf '%s\\n' "mysql $*" >> "${dir}/calls"
host=''; sql=''
for a in "$@"; do case "$a" in --host=*) host="\${a#--host=}";; esac; done
while [ $# -gt 0 ]; do [ "$1" = -e ] && sql="$2"; shift; done
if [ -n "$host" ]; then
  [ -f "${peers}/$host" ] || { echo "ERROR 2005 (HY000): Unknown MySQL server host '$host'" >&2; exit 1; }
  cat "${peers}/$host"; exit 0
fi
[ -n "$sql" ] || { cat >> "${dir}/stdin"; exit 0; }
case "$sql" in
  *MEMBER_STATE*@@server_uuid*) [ -f "${dir}/member-state" ] || { echo "ERROR 2002 (HY000): Can't connect through socket" >&2; exit 1; }
    state="$(cat "${dir}/member-state")"; [ -z "$state" ] || printf '%s\\t%s\\n' "$state" "$(cat "${dir}/counts" 2>/dev/null || printf '3\\t3')";;
  *gtid_executed*) printf '%s\\n' "${opts.gtidExecuted ?? ''}";;
  *'bootstrap_group = ON'*) ${opts.bootstrapFails ? 'echo "ERROR 3092" >&2; exit 1' : `echo ONLINE > "${dir}/member-state"`};;
  'START GROUP_REPLICATION;') left=$(cat "${dir}/start-fails"); if [ "$left" -gt 0 ]; then echo $((left - 1)) > "${dir}/start-fails"; echo "ERROR 3092" >&2; exit 1; fi
    echo RECOVERING > "${dir}/member-state";;
esac
exit 0`);
  shim('sleep', 'exit 0');
  return {
    dir,
    dataRoot,
    run(script, pod, extraEnv = {}) {
      const scriptPath = path.join(dir, 'script.sh');
      fs.writeFileSync(scriptPath, script);
      const r = spawnSync('sh', [scriptPath], {
        encoding: 'utf8',
        timeout: 20000,
        env: {
          PATH: `${bin}:/usr/bin:/bin`,
          _POD_NAME: pod,
          MYSQL_PRESET_CONF_DIR: conf,
          MYSQL_DATA_ROOT: dataRoot,
          MYSQL_RUN_DIR: path.join(dir, 'run'),
          ...extraEnv,
        },
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    calls: () => (fs.existsSync(path.join(dir, 'calls')) ? fs.readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n') : []),
    setPeers(online) {
      for (const f of fs.readdirSync(peers)) fs.rmSync(path.join(peers, f));
      for (const [host, count] of Object.entries(online)) fs.writeFileSync(path.join(peers, host), `${count}\n`);
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

const bootstrapCalls = (calls: string[]) => calls.filter(c => c.includes('group_replication_bootstrap_group = ON'));
const joinCalls = (calls: string[]) => calls.filter(c => c.endsWith('-e START GROUP_REPLICATION;'));

describe('group script: bootstrap or join', () => {
  const script = renderGroupScript(INPUT);
  let fx: Fixture | undefined;
  afterEach(() => fx?.cleanup());

  type Row = [string, string, FixtureOptions, boolean, boolean, Record<string, number>, 'bootstrap' | 'join'];
  const rows: Row[] = [
    // name, pod, fixture options, existing marker, force file, peers (host → ONLINE members), expected decision
    ['member 0, fresh data, no seed reachable', 'db-0', {}, false, false, {}, 'bootstrap'],
    ['member 0, fresh data, seeds reachable but no group ONLINE yet', 'db-0', {}, false, false, { [MEMBERS[1]]: 0, [MEMBERS[2]]: 0 }, 'bootstrap'],
    ['member 0, fresh data (new volume), the group is ONLINE elsewhere', 'db-0', {}, false, false, { [MEMBERS[2]]: 2 }, 'join'],
    ['member 0, data that was in the group, nothing reachable (whole group stopped)', 'db-0', {}, true, false, {}, 'join'],
    ['member 0, no marker but executed transactions (existing data)', 'db-0', { gtidExecuted: `${INPUT.groupName}:1-42` }, false, false, {}, 'join'],
    ['member 1, fresh data, no seed reachable', 'db-1', {}, false, false, {}, 'join'],
    ['member 2, fresh data, group ONLINE', 'db-2', {}, false, false, { [MEMBERS[0]]: 1 }, 'join'],
    ['member 2 with the operator\'s force-bootstrap file', 'db-2', {}, true, true, {}, 'bootstrap'],
  ];
  test.each(rows.map((r): Row => [`${r[0]} → ${r[6]}`, r[1], r[2], r[3], r[4], r[5], r[6]]))('%s', (_name, pod, options, marker, force, peers, expected) => {
    fx = fixture(options);
    if (marker) fs.writeFileSync(path.join(fx.dataRoot, GROUP_MEMBER_MARKER), '');
    if (force) fs.writeFileSync(path.join(fx.dataRoot, FORCE_BOOTSTRAP_FILE), '');
    fx.setPeers(peers);
    const r = fx.run(script, pod);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`decision: ${expected}`);
    const calls = fx.calls();
    expect(bootstrapCalls(calls)).toHaveLength(expected === 'bootstrap' ? 1 : 0);
    expect(joinCalls(calls)).toHaveLength(expected === 'join' ? 1 : 0);
    expect(fs.existsSync(path.join(fx.dataRoot, GROUP_MEMBER_MARKER))).toBe(true);
    expect(fs.existsSync(path.join(fx.dataRoot, FORCE_BOOTSTRAP_FILE))).toBe(false);
  });

  test('a one-member group bootstraps again at every restart (nobody to join, nobody with newer data)', () => {
    const single: MysqlRenderInput = { ...INPUT, podDnsNames: [MEMBERS[0]] };
    fx = fixture({ gtidExecuted: `${INPUT.groupName}:1-9` });
    fs.writeFileSync(path.join(fx.dataRoot, GROUP_MEMBER_MARKER), '');
    const r = fx.run(renderGroupScript(single), 'db-0');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('decision: bootstrap');
    expect(bootstrapCalls(fx.calls())).toHaveLength(1);
  });

  test('bootstrapping switches group_replication_bootstrap_group off again right after START', () => {
    fx = fixture();
    fx.run(script, 'db-0');
    const calls = fx.calls();
    const on = calls.findIndex(c => c.includes('bootstrap_group = ON; START GROUP_REPLICATION;'));
    const off = calls.findIndex(c => c.includes('bootstrap_group = OFF'));
    expect(on).toBeGreaterThanOrEqual(0);
    expect(off).toBe(on + 1);
  });

  test('a failed bootstrap still switches bootstrapping off, fails and leaves no marker', () => {
    fx = fixture({ bootstrapFails: true });
    const r = fx.run(script, 'db-0');
    expect(r.status).not.toBe(0);
    expect(fx.calls().some(c => c.includes('bootstrap_group = OFF'))).toBe(true);
    expect(fs.existsSync(path.join(fx.dataRoot, GROUP_MEMBER_MARKER))).toBe(false);
  });

  test('only member 0 asks the seeds, and never itself', () => {
    fx = fixture();
    fx.run(script, 'db-0');
    const remote = fx.calls().filter(c => c.includes('--host='));
    expect(remote.map(c => /--host=(\S+)/.exec(c)![1])).toEqual([MEMBERS[1], MEMBERS[2]]);
    expect(remote[0]).toContain('--defaults-extra-file=');
    expect(remote[0]).toContain('repl.cnf');
  });

  test('a joining member retries until a seed accepts it', () => {
    fx = fixture({ startFails: 3 });
    const r = fx.run(script, 'db-1');
    expect(r.status).toBe(0);
    expect(joinCalls(fx.calls())).toHaveLength(4);
    expect(r.stderr).toContain('retrying');
  });

  test('bootstraps exactly once: a restart of member 0 joins', () => {
    fx = fixture();
    expect(fx.run(script, 'db-0').stdout).toContain('decision: bootstrap');
    expect(fx.run(script, 'db-0').stdout).toContain('decision: join');
    expect(bootstrapCalls(fx.calls())).toHaveLength(1);
  });

  test.each([
    ['one by one (OrderedReady)', true],
    ['all at once, before anyone is ONLINE', false],
  ])('a fresh cluster started %s has exactly one bootstrapping member', (_name, groupVisible) => {
    const decisions: string[] = [];
    const fixtures = MEMBERS.map(() => fixture());
    try {
      MEMBERS.forEach((_m, ordinal) => {
        // members already started report ONLINE when the group is visible to the next one
        fixtures[ordinal].setPeers(groupVisible ? Object.fromEntries(MEMBERS.slice(0, ordinal).map(h => [h, ordinal])) : {});
        const out = fixtures[ordinal].run(script, `db-${ordinal}`).stdout;
        decisions.push(/decision: (\w+)/.exec(out)![1]);
      });
    } finally {
      fixtures.forEach(f => f.cleanup());
    }
    expect(decisions).toEqual(['bootstrap', 'join', 'join']);
  });

  test('fails for a pod that is not a rendered member', () => {
    fx = fixture();
    const r = fx.run(script, 'db-7');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('is not one of the rendered members');
    expect(fx.calls()).toEqual([]);
  });
});

describe('readiness script: ONLINE in the group', () => {
  const ready = renderReadyScript();
  let fx: Fixture | undefined;
  afterEach(() => fx?.cleanup());
  const setState = (f: Fixture, state: string) => fs.writeFileSync(path.join(f.dir, 'member-state'), `${state}\n`);

  test.each([
    ['ONLINE', 0],
    ['RECOVERING', 1],
    ['ERROR', 1],
    ['OFFLINE', 1],
    ['UNREACHABLE', 1],
    ['', 1], // no row: group replication never started on this server
  ])('member state %j → exit %i', (state, expected) => {
    fx = fixture();
    setState(fx, state);
    const r = fx.run(ready, 'db-1');
    expect(r.status).toBe(expected);
    if (expected !== 0) expect(r.stdout).toContain(`member state: ${state || 'not in a group'}`);
    const query = fx.calls().find(c => c.includes('MEMBER_STATE'))!;
    expect(query).toContain('WHERE MEMBER_ID = @@server_uuid');
    expect(query).toContain(`--defaults-extra-file=${path.join(fx.dir, 'run')}/root.cnf`);
  });

  test.each([
    ['3\t3', 0, ''],
    ['3\t2', 0, ''], // one member cut off: the majority side stays ready
    ['3\t1', 1, 'ONLINE but in a minority: 1 of 3 members reachable'],
    ['5\t2', 1, 'ONLINE but in a minority: 2 of 5 members reachable'],
    ['4\t2', 1, 'ONLINE but in a minority: 2 of 4 members reachable'], // half is no majority
  ])('ONLINE with %j members (total, not UNREACHABLE) → exit %i', (counts, expected, message) => {
    fx = fixture();
    setState(fx, 'ONLINE');
    fs.writeFileSync(path.join(fx.dir, 'counts'), counts);
    const r = fx.run(ready, 'db-0');
    expect(r.status).toBe(expected);
    if (message) expect(r.stdout).toContain(message);
    expect(fx.calls().find(c => c.includes('MEMBER_STATE'))).toContain("WHERE MEMBER_STATE <> 'UNREACHABLE'");
  });

  test('not ready while mysqld does not answer', () => {
    fx = fixture();
    const r = fx.run(ready, 'db-0');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('mysqld does not answer');
  });

  test('first start: member 0 is ready as soon as it bootstrapped; a joiner only once recovery finished', () => {
    const fixtures = [fixture(), fixture()];
    try {
      const [first, second] = fixtures;
      expect(first.run(ready, 'db-0').status).toBe(1); // mysqld up, group not started yet
      expect(first.run(renderGroupScript(INPUT), 'db-0').stdout).toContain('decision: bootstrap');
      expect(first.run(ready, 'db-0').status).toBe(0);

      second.setPeers({ [MEMBERS[0]]: 1 });
      expect(second.run(renderGroupScript(INPUT), 'db-1').stdout).toContain('decision: join');
      expect(second.run(ready, 'db-1').stdout).toContain('member state: RECOVERING');
      setState(second, 'ONLINE'); // distributed recovery finished
      expect(second.run(ready, 'db-1').status).toBe(0);
    } finally {
      fixtures.forEach(f => f.cleanup());
    }
  });
});

describe('start script', () => {
  const start = renderMysqlStartScript(INPUT);
  let fx: Fixture | undefined;
  afterEach(() => fx?.cleanup());

  /** Adds mysqld/mysqladmin shims: `--initialize-insecure` creates the datadir, a server run exits at once. */
  function withServerShims(f: Fixture) {
    const shim = (name: string, body: string) => fs.writeFileSync(path.join(f.dir, 'bin', name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    shim('mysqld', `printf '%s\\n' "mysqld $*" >> "${f.dir}/calls"
for a in "$@"; do case "$a" in --datadir=*) d="\${a#--datadir=}";; --initialize-insecure) mkdir -p "$d/mysql"; exit 0;; esac; done
exit 0`);
    shim('mysqladmin', `printf '%s\\n' "mysqladmin $*" >> "${f.dir}/calls"; exit 0`);
  }
  const env = { MYSQL_ROOT_PASSWORD: 'r\'o"o\\t', MYSQL_REPLICATION_PASSWORD: 'r3pl' };

  test.each([[0, 1], [2, 3]])('member %i gets server_id %i, its FQDN as report_host and local address', (ordinal, serverId) => {
    fx = fixture();
    withServerShims(fx);
    const r = fx.run(start, `db-${ordinal}`, env);
    expect(r.status).toBe(0);
    const cnf = fs.readFileSync(path.join(fx.dir, 'run', 'my.cnf'), 'utf8').split('\n');
    expect(cnf).toEqual(expect.arrayContaining([
      `server_id=${serverId}`, `report_host=${MEMBERS[ordinal]}`, `loose-group_replication_local_address=${MEMBERS[ordinal]}:3306`,
      `datadir=${fx.dataRoot}/data`, 'gtid_mode=ON',
    ]));
  });

  test('writes the passwords only to private option files, quoted', () => {
    fx = fixture();
    withServerShims(fx);
    fx.run(start, 'db-0', env);
    const rootCnf = path.join(fx.dir, 'run', 'root.cnf');
    expect(fs.readFileSync(rootCnf, 'utf8')).toContain('password="r\'o\\"o\\\\t"');
    expect(fs.statSync(rootCnf).mode % 0o100).toBe(0); // no group or other permission bits
    expect(fs.readFileSync(path.join(fx.dir, 'run', 'repl.cnf'), 'utf8')).toContain('user=repl\npassword="r3pl"');
    expect(fx.calls().join('\n')).not.toContain('r3pl');
  });

  test('initialises an empty data directory once, with escaped passwords and without binary logging', () => {
    fx = fixture();
    withServerShims(fx);
    expect(fx.run(start, 'db-0', env).status).toBe(0);
    const sql = fs.readFileSync(path.join(fx.dir, 'stdin'), 'utf8');
    expect(sql.split('\n')[0]).toBe('SET SESSION sql_log_bin = 0;');
    expect(sql).toContain('ALTER USER \'root\'@\'localhost\' IDENTIFIED BY \'r\'\'o"o\\\\t\';');
    expect(sql).toContain('CHANGE REPLICATION SOURCE TO SOURCE_USER = \'repl\', SOURCE_PASSWORD = \'r3pl\' FOR CHANNEL \'group_replication_recovery\';');
    expect(fs.existsSync(path.join(fx.dataRoot, 'data', 'mysql'))).toBe(true);
    expect(fx.calls().filter(c => c.includes('--initialize-insecure'))).toHaveLength(1);

    fs.rmSync(path.join(fx.dir, 'calls'));
    expect(fx.run(start, 'db-0', env).status).toBe(0);
    expect(fx.calls().filter(c => c.includes('--initialize-insecure'))).toHaveLength(0);
    expect(fx.calls().some(c => c.startsWith('mysqld --defaults-file=') && c.includes('--super-read-only=ON'))).toBe(true);
  });

  test('runs the group script beside mysqld and repeats a failed attempt while mysqld runs', () => {
    fx = fixture({ bootstrapFails: true });
    withServerShims(fx);
    // the server stand-in keeps running for a moment so the group script is retried
    fs.writeFileSync(path.join(fx.dir, 'bin', 'mysqld'), `#!/bin/sh
for a in "$@"; do case "$a" in --datadir=*) d="\${a#--datadir=}";; --initialize-insecure) mkdir -p "$d/mysql"; exit 0;; esac; done
case "$*" in *--super-read-only=ON*) /bin/sleep 1;; esac
exit 0`, { mode: 0o755 });
    expect(fx.run(start, 'db-0', env).status).toBe(0);
    spawnSync('/bin/sleep', ['0.5']);
    const attempts = bootstrapCalls(fx.calls()).length;
    expect(attempts).toBeGreaterThan(1);
    spawnSync('/bin/sleep', ['0.5']);
    expect(bootstrapCalls(fx.calls()).length).toBe(attempts); // stopped with mysqld
  });

  test('refuses to start without the passwords', () => {
    fx = fixture();
    withServerShims(fx);
    const r = fx.run(start, 'db-0', { MYSQL_ROOT_PASSWORD: 'x' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('MYSQL_REPLICATION_PASSWORD must be set');
  });
});

describe('synthesized by RainbondComponent', () => {
  function synth(options: MysqlReplicationPresetOptions = {}, replicas?: number) {
    const chart = Testing.chart();
    const component = new RainbondComponent(chart, 'db', {
      deployType: DeployType.STATEFUL_MULTIPLE, namespace: 'prod', replicas, preset: ClusterPreset.mysqlReplication(options),
    });
    const objects = synthValid(chart);
    const sts = findOne(objects, 'StatefulSet', 'db');
    const pod = sts.spec.template.spec;
    return { component, objects, sts, pod, mysql: pod.containers.find((c: any) => c.name === 'mysql'), configMap: findOne(objects, 'ConfigMap', 'db-config') };
  }

  test('starts Parallel as the image\'s numeric non-root user with a read-only root filesystem', () => {
    const { sts, pod, mysql } = synth();
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(pod.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999, runAsNonRoot: true });
    expect(mysql.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(pod.terminationGracePeriodSeconds).toBe(60);
  });

  test('runs the rendered start script of the pinned image, with the GR ports', () => {
    const { mysql } = synth();
    expect(mysql.image).toBe(`mysql:8.4.3@${MYSQL_IMAGE.digest}`);
    expect(mysql.command).toEqual(['sh', '/etc/mysql-preset/start.sh']);
    expect(mysql.ports).toEqual([
      { containerPort: 3306, name: 'mysql' }, { containerPort: 33060, name: 'mysqlx' },
    ]);
  });

  test('the XCOM stack needs an allowlist and opens the group port', () => {
    expect(() => synth({ communicationStack: MysqlCommunicationStack.XCOM }))
      .toThrow(/XCOM communication stack needs 'ipAllowlist'.*Set ipAllowlist to the cluster's pod CIDR/);
    expect(() => synth({ ipAllowlist: '10.0.0.0/8' })).toThrow(/'ipAllowlist' is ignored by the MYSQL communication stack/);
    expect(() => synth({ communicationStack: 'TCP' as MysqlCommunicationStack })).toThrow(/'communicationStack' must be one of MYSQL, XCOM/);
    const { mysql, configMap } = synth({ communicationStack: MysqlCommunicationStack.XCOM, ipAllowlist: '10.244.0.0/16' });
    expect(mysql.ports).toContainEqual({ containerPort: 33061, name: 'group' });
    expect(configMap.data['my.cnf']).toContain('loose-group_replication_ip_allowlist=10.244.0.0/16\n');
  });

  test('readiness runs the rendered ONLINE check; liveness is local', () => {
    const { mysql, configMap } = synth();
    expect(mysql.readinessProbe.exec.command).toEqual(['sh', '/etc/mysql-preset/ready.sh']);
    expect(configMap.data['ready.sh']).toBe(renderReadyScript());
    expect(mysql.livenessProbe.exec.command).toEqual(['mysqladmin', '--defaults-extra-file=/var/run/mysqld/root.cnf', 'ping']);
    expect(mysql.startupProbe.failureThreshold * mysql.startupProbe.periodSeconds).toBeGreaterThanOrEqual(300);
  });

  test('takes both passwords from the default Secret by secretKeyRef', () => {
    const { mysql, objects } = synth();
    const env = (name: string) => mysql.env.find((e: any) => e.name === name);
    expect(env('MYSQL_ROOT_PASSWORD')).toEqual({ name: 'MYSQL_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'root-password' } } });
    expect(env('MYSQL_REPLICATION_PASSWORD')).toEqual({
      name: 'MYSQL_REPLICATION_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'replication-password' } },
    });
    expect(objects.flatMap(o => JSON.stringify(o).match(/"name":"[A-Z_]*PASSWORD[A-Z_]*","value"/g) ?? [])).toEqual([]);
    expect(findAll(objects, 'Secret')).toEqual([]);
  });

  test('the ConfigMap reads passwords from the environment only', () => {
    const { configMap } = synth();
    expect(configMap.data['start.sh']).toContain('"$MYSQL_ROOT_PASSWORD"');
    expect(configMap.data['start.sh']).toContain('"$MYSQL_REPLICATION_PASSWORD"');
    expect(configMap.data['my.cnf']).not.toMatch(/password/i);
    expect(configMap.data['group.sh']).not.toMatch(/PASSWORD/);
  });

  test('uses the Secret and keys the user gives', () => {
    const chart = Testing.chart();
    const secret = kplus.Secret.fromSecretName(chart, 'Existing', 'mysql-auth');
    new RainbondComponent(chart, 'db', {
      deployType: DeployType.STATEFUL_MULTIPLE,
      preset: ClusterPreset.mysqlReplication({ passwordSecret: secret, rootPasswordKey: 'root', replicationPasswordKey: 'repl' }),
    });
    const env = findOne(synthValid(chart), 'StatefulSet', 'db').spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'MYSQL_ROOT_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'mysql-auth', key: 'root' });
    expect(env.find((e: any) => e.name === 'MYSQL_REPLICATION_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'mysql-auth', key: 'repl' });
  });

  test('mounts the config read-only, emptyDirs for the run dir and /tmp, and the data volume', () => {
    const { mysql, pod, sts } = synth();
    expect(mysql.volumeMounts).toEqual(expect.arrayContaining([
      { name: 'mysql-preset-config', mountPath: '/etc/mysql-preset', readOnly: true },
      { name: 'mysql-run', mountPath: '/var/run/mysqld' },
      { name: 'mysql-tmp', mountPath: '/tmp' },
      { name: 'data', mountPath: '/var/lib/mysql' },
    ]));
    expect(pod.volumes).toEqual(expect.arrayContaining([
      { name: 'mysql-run', emptyDir: {} }, { name: 'mysql-tmp', emptyDir: {} },
    ]));
    expect(sts.spec.volumeClaimTemplates.map((t: any) => [t.metadata.name, t.spec.resources.requests.storage])).toEqual([['data', '10Gi']]);
  });

  test('renders seeds from the members\' FQDNs and a group name derived from namespace and name', () => {
    const { configMap } = synth({}, 5);
    expect(configMap.metadata.namespace).toBe('prod');
    expect(Object.keys(configMap.data).sort()).toEqual(['group.sh', 'my.cnf', 'ready.sh', 'start.sh']);
    const seeds = [0, 1, 2, 3, 4].map(i => `db-${i}.db.prod.svc.cluster.local:3306`).join(',');
    expect(configMap.data['my.cnf']).toContain(`loose-group_replication_group_seeds=${seeds}\n`);
    expect(configMap.data['my.cnf']).toContain(`loose-group_replication_group_name=${defaultGroupName('prod', 'db')}\n`);
  });

  test('lets the user override image, storage and resources', () => {
    const { mysql, sts } = synth({ image: 'mysql:8.0.40', storageSize: Size.gibibytes(50), storageClassName: 'ssd', resources: { cpu: { request: kplus.Cpu.units(2) } } });
    expect(mysql.image).toBe('mysql:8.0.40');
    // a CPU request alone keeps the preset's default CPU limit (2000m, not below the request); memory keeps the preset's default
    expect(mysql.resources).toEqual({ requests: { cpu: '2', memory: '2048Mi' }, limits: { cpu: '2000m', memory: '2048Mi' } });
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'ssd', resources: { requests: { storage: '50Gi' } } });
  });

  test('allows up to 9 members', () => {
    expect(synth({}, 9).sts.spec.replicas).toBe(9);
    expect(() => synth({}, 11)).toThrow(/at most 9/);
    expect(() => synth({}, 4)).toThrow(/odd/);
  });

  test('fails naming the component, the rule and the fix for a bad group name', () => {
    expect(() => synth({ groupName: 'my-group' })).toThrow(/'db'[\s\S]*'groupName' must be a lowercase UUID[\s\S]*Omit it/);
  });
});

describe('the application account dependants get (issue 27)', () => {
  const APP: MysqlRenderInput = { ...INPUT, appAccount: { user: 'app', database: 'shop' } };
  let fx: Fixture | undefined;
  afterEach(() => fx?.cleanup());
  function withServerShims(f: Fixture) {
    const shim = (name: string, body: string) => fs.writeFileSync(path.join(f.dir, 'bin', name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    shim('mysqld', `for a in "$@"; do case "$a" in --datadir=*) d="\${a#--datadir=}";; --initialize-insecure) mkdir -p "$d/mysql"; exit 0;; esac; done
exit 0`);
    shim('mysqladmin', 'exit 0');
  }
  const env = { MYSQL_ROOT_PASSWORD: 'root-pw', MYSQL_REPLICATION_PASSWORD: 'r3pl', MYSQL_APP_PASSWORD: 'a\'pp' };

  test('is created with a new data directory, without binary logging (every member creates it), owning only its database', () => {
    fx = fixture();
    withServerShims(fx);
    expect(fx.run(renderMysqlStartScript(APP), 'db-1', env).status).toBe(0);
    const sql = fs.readFileSync(path.join(fx.dir, 'stdin'), 'utf8').split('\n');
    expect(sql[0]).toBe('SET SESSION sql_log_bin = 0;');
    expect(sql).toEqual(expect.arrayContaining([
      'CREATE DATABASE IF NOT EXISTS `shop`;', // the identifier quoted, not run as a command
      'CREATE USER \'app\'@\'%\' IDENTIFIED BY \'a\'\'pp\';',
      'GRANT ALL PRIVILEGES ON `shop`.* TO \'app\'@\'%\';',
      'GRANT SELECT ON performance_schema.replication_group_members TO \'app\'@\'%\';',
    ]));
    expect(sql.filter(line => line.includes('\'app\'@')).every(line => !/\*\.\*|WITH GRANT OPTION/.test(line))).toBe(true);
  });

  test('a new data directory without the application password stops, naming it; an existing one starts', () => {
    fx = fixture();
    withServerShims(fx);
    const { MYSQL_APP_PASSWORD: _, ...withoutApp } = env;
    const r = fx.run(renderMysqlStartScript(APP), 'db-0', withoutApp);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('MYSQL_APP_PASSWORD must be set (from the credentials Secret) to create the application account');
    expect(fs.existsSync(path.join(fx.dataRoot, 'data'))).toBe(false);
    expect(fx.run(renderMysqlStartScript(APP), 'db-0', env).status).toBe(0);
    expect(fx.run(renderMysqlStartScript(APP), 'db-0', withoutApp).status).toBe(0); // initialised before: not needed
  });

  test('the preset renders it by default: app / app, password from the key app-password (optional for existing members)', () => {
    const chart = Testing.chart();
    const db = new RainbondComponent(chart, 'db', { deployType: DeployType.STATEFUL_MULTIPLE, namespace: 'prod', preset: ClusterPreset.mysqlReplication() });
    const objects = synthValid(chart);
    const mysql = findOne(objects, 'StatefulSet', 'db').spec.template.spec.containers[0];
    expect(mysql.env).toContainEqual({ name: 'MYSQL_APP_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'app-password', optional: true } } });
    expect(findOne(objects, 'ConfigMap', 'db-config').data['start.sh']).toContain('CREATE USER \'app\'@\'%\' IDENTIFIED BY \'$APP_PW\';');
    expect(db.connectionInfo.MYSQL_USER.plainValue).toBe('app');
    expect(db.connectionInfo.MYSQL_DATABASE.plainValue).toBe('app');
    expect(db.connectionInfo.MYSQL_PASSWORD.plainValue).toBeUndefined();
  });

  test('given names and key', () => {
    const chart = Testing.chart();
    const db = new RainbondComponent(chart, 'db', {
      deployType: DeployType.STATEFUL_MULTIPLE,
      namespace: 'prod',
      preset: ClusterPreset.mysqlReplication({ appUser: 'orders', appDatabase: 'orders_db', appPasswordKey: 'orders-password' }),
    });
    const objects = synthValid(chart);
    const start = findOne(objects, 'ConfigMap', 'db-config').data['start.sh'];
    expect(start).toContain('APP_DB=\'`orders_db`\'');
    expect(start).toContain('GRANT ALL PRIVILEGES ON $APP_DB.* TO \'orders\'@\'%\';');
    expect(db.connectionInfo.MYSQL_USER.plainValue).toBe('orders');
    expect(db.connectionInfo.MYSQL_DATABASE.plainValue).toBe('orders_db');
    const mysql = findOne(objects, 'StatefulSet', 'db').spec.template.spec.containers[0];
    expect(mysql.env.find((e: any) => e.name === 'MYSQL_APP_PASSWORD').valueFrom.secretKeyRef.key).toBe('orders-password');
  });

  test.each([
    [{ appUser: 'root' }, /'appUser' must be an account of its own, not 'root'/],
    [{ appUser: 'repl' }, /'appUser' must be an account of its own, not 'repl'/],
    [{ appUser: 'a-b' }, /'appUser' must be 1 to 32 letters, digits or '_', got 'a-b'/],
    [{ appDatabase: 'mysql' }, /'appDatabase' must not be the system schema 'mysql'/],
    [{ appDatabase: 'x y' }, /'appDatabase' must be 1 to 64 letters, digits or '_', got 'x y'/],
    [{ appPasswordKey: '' }, /'appPasswordKey' must not be empty/],
  ])('%j is refused with the fix', (options, message) => {
    const chart = Testing.chart();
    expect(() => new RainbondComponent(chart, 'db', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.mysqlReplication(options) }))
      .toThrow(message);
  });
});

describe('member weights follow the rollout order', () => {
  test.each([
    // members, primary, weight of each ordinal
    [3, 0, [100, 90, 80]],
    [3, 1, [80, 100, 90]],
    [3, 2, [90, 80, 100]],
    [5, 2, [70, 60, 100, 90, 80]],
  ])('%i members, primary %i → %j', (members, primary, weights) => {
    expect(Array.from({ length: members }, (_, j) => rolloutWeight(j, primary, members))).toEqual(weights);
  });

  test('one rolling update (highest ordinal first) elects once unless the primary is the highest ordinal', () => {
    const n = 5;
    for (let primary = 0; primary < n; primary++) {
      let current = primary;
      let elections = 0;
      for (let updating = n - 1; updating >= 0; updating--) {
        if (updating !== current) continue;
        const others = Array.from({ length: n }, (_, j) => j).filter(j => j !== current);
        current = others.reduce((best, j) => (rolloutWeight(j, current, n) > rolloutWeight(best, current, n) ? j : best));
        elections++;
      }
      expect(elections).toBe(primary === n - 1 ? 2 : 1);
    }
  });

  test('the start script sets the same weights from the primary the group reports', () => {
    const input = { ...INPUT, podDnsNames: [0, 1, 2, 3, 4].map(i => `db-${i}.db.ns.svc.cluster.local`) };
    const start = renderMysqlStartScript(input);
    const fn = start.slice(start.indexOf('rollout_weight() {'), start.indexOf('\n}\n', start.indexOf('rollout_weight() {')) + 3);
    for (let primary = 0; primary < 5; primary++) {
      for (let ordinal = 0; ordinal < 5; ordinal++) {
        const r = spawnSync('sh', ['-c', `MEMBERS='${input.podDnsNames.join(' ')}'; ORDINAL=${ordinal}\n${fn}\nrollout_weight ${input.podDnsNames[primary]}`], { encoding: 'utf8' });
        expect(Number(r.stdout.trim())).toBe(rolloutWeight(ordinal, primary, 5));
      }
    }
    expect(start).toContain('SET GLOBAL group_replication_member_weight = $want');
    expect(start).toContain(`sleep ${WEIGHT_PERIOD_SECONDS}`);
  });
});
