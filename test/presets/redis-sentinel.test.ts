import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ClusterPreset, DeployType, RainbondComponent } from '../../src';
import { REDIS_IMAGE } from '../../src/presets/_image-facts';
import {
  minReplicasMaxLagSeconds, RedisRenderInput, redisSentinelProblems, renderDecideScript, renderMemberStartScript, renderPreStopScript,
  renderReconcileScript, renderRedisConf, renderRedisStartScript, renderSentinelConf, renderSentinelStartScript,
} from '../../src/presets/_redis-config';
import { RedisSentinelPresetOptions } from '../../src/presets/redis-sentinel';
import { findAll, findOne, synthValid } from '../util/synth';

const MEMBERS = [0, 1, 2].map(i => `cache-${i}.cache.db.svc.cluster.local`);
const INPUT: RedisRenderInput = {
  masterName: 'mymaster',
  podDnsNames: MEMBERS,
  sentinelQuorum: 2,
  downAfterMilliseconds: 5000,
  failoverTimeoutMilliseconds: 60000,
};

describe('redisSentinelProblems', () => {
  const base = { masterName: 'mymaster', sentinelQuorum: 2, members: 3, downAfterMilliseconds: 5000, failoverTimeoutMilliseconds: 60000 };

  test.each([
    [{}, []],
    [{ sentinelQuorum: 3 }, []],
    [{ sentinelQuorum: 1 }, []],
    [{ sentinelQuorum: 4 }, ['\'sentinelQuorum\' (4) is larger than the Sentinel count (3']],
    [{ sentinelQuorum: 6, members: 5 }, ['Set \'sentinelQuorum\' to at most 5 (the majority is 3)']],
    [{ sentinelQuorum: 0 }, ['\'sentinelQuorum\' must be a whole number of at least 1, got 0']],
    [{ sentinelQuorum: 1.5 }, ['\'sentinelQuorum\' must be a whole number']],
    [{ masterName: 'my master' }, ['\'masterName\' must contain only letters']],
    [{ masterName: '-x' }, ['\'masterName\' must contain only letters']],
    [{ downAfterMilliseconds: 10 }, ['\'downAfterMilliseconds\' must be a whole number of milliseconds of at least 100, got 10']],
    [{ failoverTimeoutMilliseconds: -1 }, ['\'failoverTimeoutMilliseconds\' must be']],
  ])('%j gives %j', (override, expected) => {
    const problems = redisSentinelProblems({ ...base, ...override });
    expect(problems).toHaveLength(expected.length);
    expected.forEach((fragment, i) => expect(problems[i]).toContain(fragment));
  });
});

describe('static configuration', () => {
  test('redis.conf persists with AOF, listens on 6379 and announces its port', () => {
    const lines = renderRedisConf().split('\n');
    expect(lines).toEqual(expect.arrayContaining(['port 6379', 'appendonly yes', 'replica-announce-port 6379', 'replica-serve-stale-data yes']));
    expect(lines.some(l => l.startsWith('replicaof'))).toBe(false);
  });

  test('redis.conf: a primary no replica acknowledges for down-after less one second refuses writes, so a cut-off primary cannot acknowledge writes a failover discards', () => {
    expect(renderRedisConf().split('\n').filter(l => l.startsWith('min-replicas'))).toEqual([]);
    expect(renderRedisConf({ minReplicasMaxLagSeconds: 4 }).split('\n').filter(l => l.startsWith('min-replicas')))
      .toEqual(['min-replicas-to-write 1', 'min-replicas-max-lag 4']);
    // one second under down-after: the primary stops acknowledging before the Sentinels may start a failover
    expect([5000, 5500, 10000, 60000, 1500, 100].map(ms => minReplicasMaxLagSeconds(3, ms))).toEqual([4, 5, 9, 59, 1, 1]);
    // a single member has no replica to wait for
    expect(minReplicasMaxLagSeconds(1, 5000)).toBeUndefined();
  });

  test('sentinel.conf resolves and announces hostnames', () => {
    const lines = renderSentinelConf(INPUT).split('\n');
    expect(lines).toEqual(expect.arrayContaining([
      'port 26379', 'sentinel resolve-hostnames yes', 'sentinel announce-hostnames yes', 'sentinel announce-port 26379',
    ]));
    expect(lines.some(l => l.startsWith('sentinel monitor'))).toBe(false);
  });

  test('scripts carry the member list but no password', () => {
    for (const script of [renderRedisStartScript(INPUT), renderSentinelStartScript(INPUT)]) {
      expect(script).toContain(`MEMBERS='${MEMBERS.join(' ')}'`);
      expect(script).toContain('MASTER_NAME=\'mymaster\'');
      expect(script).not.toMatch(/requirepass [^$"]/);
    }
  });
});

/**
 * Runs a rendered start script with `sh` in a temporary directory whose `bin`
 * shims redis-cli (answers of the Sentinels come from `sentinels`: host → reply;
 * an absent host does not answer), getent, sleep, redis-server and redis-sentinel
 * (they copy the configuration they were started with to the output directory).
 */
function runScript(script: string, opts: { pod: string; sentinels?: Record<string, string>; password?: string }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-preset-'));
  try {
    const bin = path.join(dir, 'bin');
    const conf = path.join(dir, 'conf');
    const answers = path.join(dir, 'answers');
    for (const d of [bin, conf, answers]) fs.mkdirSync(d);
    fs.writeFileSync(path.join(conf, 'redis.conf'), renderRedisConf());
    fs.writeFileSync(path.join(conf, 'sentinel.conf'), renderSentinelConf(INPUT));
    for (const [host, reply] of Object.entries(opts.sentinels ?? {})) fs.writeFileSync(path.join(answers, host), `${reply}\n26379\n`);
    const shim = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    shim('redis-cli', `echo "$@" >> "${dir}/asked"
[ "$REDISCLI_AUTH" = "$EXPECTED_AUTH" ] || { echo "NOAUTH Authentication required."; exit 0; }
host=''; while [ $# -gt 0 ]; do [ "$1" = -h ] && host="$2"; shift; done
[ -f "${answers}/$host" ] || { echo "Could not connect to Redis at $host:26379: Name or service not known" >&2; exit 1; }
cat "${answers}/$host"`);
    shim('getent', 'exit 0');
    shim('sleep', 'exit 0');
    shim('redis-server', `cp "$1" "${dir}/started.conf"; echo redis-server > "${dir}/started"`);
    shim('redis-sentinel', `cp "$1" "${dir}/started.conf"; echo redis-sentinel > "${dir}/started"`);
    const scriptPath = path.join(dir, 'start.sh');
    fs.writeFileSync(scriptPath, script);
    const password = opts.password ?? 's3cret';
    const result = spawnSync('sh', [scriptPath], {
      encoding: 'utf8',
      env: {
        PATH: `${bin}:/usr/bin:/bin`,
        _POD_NAME: opts.pod,
        REDIS_PRESET_CONF_DIR: conf,
        REDIS_DATA_DIR: path.join(dir, 'data'),
        REDIS_RUN_DIR: path.join(dir, 'run'),
        REDIS_PASSWORD: password,
        EXPECTED_AUTH: password,
      },
    });
    const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8') : '');
    return { status: result.status, stderr: result.stderr, started: read('started').trim(), conf: read('started.conf').split('\n'), asked: read('asked') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('redis start script decides primary or replica', () => {
  const script = renderRedisStartScript(INPUT);

  test.each([
    ['fresh cluster, member 0: no Sentinel answers, starts as primary', 'cache-0', {}, undefined],
    ['fresh cluster, member 1: no Sentinel answers, replicates member 0', 'cache-1', {}, MEMBERS[0]],
    ['member 0 restarts after a failover: follows the promoted member', 'cache-0', { [MEMBERS[1]]: MEMBERS[1], [MEMBERS[2]]: MEMBERS[1] }, MEMBERS[1]],
    ['promoted member restarts: Sentinels still name it, stays primary', 'cache-2', { [MEMBERS[0]]: MEMBERS[2], [MEMBERS[1]]: MEMBERS[2] }, undefined],
    ['Sentinels disagree: the answer most give wins', 'cache-0', { [MEMBERS[0]]: MEMBERS[0], [MEMBERS[1]]: MEMBERS[2], [MEMBERS[2]]: MEMBERS[2] }, MEMBERS[2]],
    ['one Sentinel answers: it is believed', 'cache-1', { [MEMBERS[2]]: MEMBERS[2] }, MEMBERS[2]],
  ])('%s', (_name, pod, sentinels, expectedMaster) => {
    const run = runScript(script, { pod, sentinels });
    expect(run.status).toBe(0);
    expect(run.started).toBe('redis-server');
    const ordinal = Number(pod.split('-')[1]);
    expect(run.conf).toContain(`replica-announce-ip ${MEMBERS[ordinal]}`);
    const replicaof = run.conf.filter(l => l.startsWith('replicaof'));
    expect(replicaof).toEqual(expectedMaster ? [`replicaof ${expectedMaster} 6379`] : []);
  });

  test('a replica restarting on its own data is not promotable (replica-priority 0) until it synced; a new one is', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-prio-'));
    try {
      fs.mkdirSync(path.join(dir, 'bin'));
      fs.mkdirSync(path.join(dir, 'data'));
      fs.writeFileSync(path.join(dir, 'bin', 'redis-cli'), `#!/bin/sh\ncase "$*" in *get-master-addr-by-name*) printf '%s\\n6379\\n' '${MEMBERS[0]}';; *) exit 1;; esac\n`, { mode: 0o755 });
      fs.writeFileSync(path.join(dir, 'bin', 'redis-server'), `#!/bin/sh\ncp "$1" "${dir}/started.conf"\n`, { mode: 0o755 });
      fs.writeFileSync(path.join(dir, 'redis.conf'), renderRedisConf());
      fs.writeFileSync(path.join(dir, 'start-redis.sh'), renderRedisStartScript(INPUT));
      const start = () => {
        const r = spawnSync('sh', [path.join(dir, 'start-redis.sh')], {
          encoding: 'utf8',
          env: { PATH: `${path.join(dir, 'bin')}:/usr/bin:/bin`, _POD_NAME: 'cache-1', REDIS_PRESET_CONF_DIR: dir, REDIS_DATA_DIR: path.join(dir, 'data'), REDIS_RUN_DIR: path.join(dir, 'run'), REDIS_PASSWORD: 'pw' },
        });
        expect(r.status).toBe(0);
        return fs.readFileSync(path.join(dir, 'started.conf'), 'utf8').split('\n');
      };
      expect(start().filter(l => l.startsWith('replica-priority'))).toEqual(['replica-priority 10']); // the next ordinal up after master 0
      fs.writeFileSync(path.join(dir, 'data', 'dump.rdb'), 'REDIS0011');
      const conf = start();
      expect(conf).toContain(`replicaof ${MEMBERS[0]} 6379`);
      expect(conf).toContain('replica-priority 0');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('asks every member\'s Sentinel for the master by name', () => {
    const run = runScript(script, { pod: 'cache-1', sentinels: { [MEMBERS[0]]: MEMBERS[0] } });
    for (const host of MEMBERS) expect(run.asked).toContain(`-h ${host} -p 26379 --raw SENTINEL get-master-addr-by-name mymaster`);
  });

  test('a Sentinel error reply is not taken for a master', () => {
    const run = runScript(script, { pod: 'cache-1', sentinels: { [MEMBERS[0]]: 'ERR No such master with that name' } });
    expect(run.conf.filter(l => l.startsWith('replicaof'))).toEqual([`replicaof ${MEMBERS[0]} 6379`]);
  });

  test('the password from the environment is written quoted and escaped', () => {
    const run = runScript(script, { pod: 'cache-0', password: 'a"b\\c d' });
    expect(run.conf).toContain('requirepass "a\\"b\\\\c d"');
    expect(run.conf).toContain('masterauth "a\\"b\\\\c d"');
  });

  test('fails without a password', () => {
    const run = runScript(script, { pod: 'cache-0', password: '' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('REDIS_PASSWORD must be set');
    expect(run.started).toBe('');
  });

  test('fails for a pod that is not a rendered member', () => {
    const run = runScript(script, { pod: 'cache-3' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('is not one of the rendered members');
  });
});

/**
 * Runs the decide script like runScript, with a data dir that holds an AOF when `data`, and a
 * `sleep` shim that records whether the waiting file exists at each wait; at the third wait a
 * Sentinel appears (`appears`: host → reply) or, without one, the operator creates force-primary.
 */
function decide(opts: { pod: string; data: boolean; sentinels?: Record<string, string>; appears?: Record<string, string> }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-decide-'));
  try {
    const bin = path.join(dir, 'bin');
    const answers = path.join(dir, 'answers');
    const data = path.join(dir, 'data');
    const run = path.join(dir, 'run');
    for (const d of [bin, answers, data]) fs.mkdirSync(d);
    if (opts.data) {
      fs.mkdirSync(path.join(data, 'appendonlydir'));
      fs.writeFileSync(path.join(data, 'appendonlydir', 'appendonly.aof.1.incr.aof'), '*1\r\n$5\r\nMULTI\r\n');
    }
    const writeAnswers = (replies: Record<string, string>, into: string) => Object.entries(replies)
      .map(([host, reply]) => `printf '%s\\n26379\\n' '${reply}' > "${into}/${host}"`).join('\n');
    for (const [host, reply] of Object.entries(opts.sentinels ?? {})) fs.writeFileSync(path.join(answers, host), `${reply}\n26379\n`);
    const shim = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    shim('redis-cli', `host=''; while [ $# -gt 0 ]; do [ "$1" = -h ] && host="$2"; shift; done
[ -f "${answers}/$host" ] || exit 1
cat "${answers}/$host"`);
    shim('sleep', `[ "$1" = 5 ] || exit 0
if [ -f "${run}/waiting" ]; then echo waiting >> "${dir}/waits"; else echo not-waiting >> "${dir}/waits"; fi
[ "$(wc -l < "${dir}/waits")" -ge 3 ] || exit 0
${opts.appears ? writeAnswers(opts.appears, answers) : `touch "${data}/force-primary"`}`);
    const script = path.join(dir, 'decide.sh');
    fs.writeFileSync(script, renderDecideScript(INPUT));
    const r = spawnSync('sh', [script], {
      encoding: 'utf8',
      timeout: 20000,
      env: { PATH: `${bin}:/usr/bin:/bin`, _POD_NAME: opts.pod, REDIS_DATA_DIR: data, REDIS_RUN_DIR: run, REDIS_PASSWORD: 'pw' },
    });
    const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
    return {
      status: r.status,
      stderr: r.stderr,
      master: read(path.join(run, 'master')).trim(),
      waits: read(path.join(dir, 'waits')).trim().split('\n').filter(l => l !== ''),
      waitingLeft: fs.existsSync(path.join(run, 'waiting')),
      forceLeft: fs.existsSync(path.join(data, 'force-primary')),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('decide script: no member turns possibly stale data into the primary', () => {
  test('after a full outage, member 0 with data waits (probes pass) instead of promoting itself; force-primary makes it the primary', () => {
    const r = decide({ pod: 'cache-0', data: true });
    expect(r.status).toBe(0);
    expect(r.waits).toEqual(['waiting', 'waiting', 'waiting']);
    expect(r.stderr).toContain('waiting for a Sentinel to name the master');
    expect(r.stderr).toMatch(/create \S+\/force-primary on the member that was the primary last/);
    expect(r.master).toBe(MEMBERS[0]);
    expect(r.forceLeft).toBe(false); // used once
    expect(r.waitingLeft).toBe(false);
  });

  test('a waiting member follows the master a Sentinel names once one answers (the last primary was forced elsewhere)', () => {
    const r = decide({ pod: 'cache-0', data: true, appears: { [MEMBERS[2]]: MEMBERS[2] } });
    expect(r.status).toBe(0);
    expect(r.waits.length).toBe(3);
    expect(r.master).toBe(MEMBERS[2]);
  });

  test('a single member restarting on its data is the master at once (there is nobody it could be stale against)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-single-'));
    try {
      fs.mkdirSync(path.join(dir, 'bin'));
      fs.mkdirSync(path.join(dir, 'data'));
      fs.writeFileSync(path.join(dir, 'data', 'dump.rdb'), 'REDIS0011');
      fs.writeFileSync(path.join(dir, 'bin', 'redis-cli'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
      fs.writeFileSync(path.join(dir, 'decide.sh'), renderDecideScript({ ...INPUT, podDnsNames: [MEMBERS[0]], sentinelQuorum: 1 }));
      const r = spawnSync('sh', [path.join(dir, 'decide.sh')], {
        encoding: 'utf8',
        timeout: 10000,
        env: { PATH: `${path.join(dir, 'bin')}:/usr/bin:/bin`, _POD_NAME: 'cache-0', REDIS_DATA_DIR: path.join(dir, 'data'), REDIS_RUN_DIR: path.join(dir, 'run'), REDIS_PASSWORD: 'pw' },
      });
      expect(r.status).toBe(0);
      expect(fs.readFileSync(path.join(dir, 'run', 'master'), 'utf8').trim()).toBe(MEMBERS[0]);
      expect(r.stderr).not.toContain('waiting');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('with data, a Sentinel that answers decides at once', () => {
    const r = decide({ pod: 'cache-0', data: true, sentinels: { [MEMBERS[1]]: MEMBERS[1] } });
    expect(r).toMatchObject({ status: 0, master: MEMBERS[1], waits: [] });
  });

  test.each([['cache-0'], ['cache-2']])('%s without data and no Sentinel (a new cluster): member 0 is the master, no wait', (pod) => {
    const r = decide({ pod, data: false });
    expect(r).toMatchObject({ status: 0, master: MEMBERS[0], waits: [] });
  });

  test('start-redis.sh alone never starts a member with data as the primary when no Sentinel answers', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-stale-'));
    try {
      const bin = path.join(dir, 'bin');
      fs.mkdirSync(bin);
      fs.mkdirSync(path.join(dir, 'data'));
      fs.writeFileSync(path.join(dir, 'data', 'dump.rdb'), 'REDIS0011');
      fs.writeFileSync(path.join(bin, 'redis-cli'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
      fs.writeFileSync(path.join(bin, 'sleep'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
      fs.writeFileSync(path.join(bin, 'redis-server'), `#!/bin/sh\ntouch "${dir}/started"\n`, { mode: 0o755 });
      fs.writeFileSync(path.join(dir, 'redis.conf'), renderRedisConf());
      fs.writeFileSync(path.join(dir, 'start-redis.sh'), renderRedisStartScript(INPUT));
      const r = spawnSync('sh', [path.join(dir, 'start-redis.sh')], {
        encoding: 'utf8',
        env: { PATH: `${bin}:/usr/bin:/bin`, _POD_NAME: 'cache-0', REDIS_PRESET_CONF_DIR: dir, REDIS_DATA_DIR: path.join(dir, 'data'), REDIS_RUN_DIR: path.join(dir, 'run'), REDIS_PASSWORD: 'pw' },
      });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('no Sentinel names a master');
      expect(fs.existsSync(path.join(dir, 'started'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sentinel start script', () => {
  const script = renderSentinelStartScript(INPUT);

  test.each([
    ['fresh cluster: monitors member 0', 'cache-1', {}, MEMBERS[0]],
    ['after a failover: monitors the master the others report', 'cache-0', { [MEMBERS[1]]: MEMBERS[2], [MEMBERS[2]]: MEMBERS[2] }, MEMBERS[2]],
  ])('%s', (_name, pod, sentinels, expectedMaster) => {
    const run = runScript(script, { pod, sentinels });
    expect(run.status).toBe(0);
    expect(run.started).toBe('redis-sentinel');
    expect(run.conf).toContain(`sentinel monitor mymaster ${expectedMaster} 6379 2`);
    const ordinal = Number(pod.split('-')[1]);
    expect(run.conf).toContain(`sentinel announce-ip ${MEMBERS[ordinal]}`);
    expect(run.conf).toEqual(expect.arrayContaining([
      'sentinel down-after-milliseconds mymaster 5000', 'sentinel failover-timeout mymaster 60000',
      'sentinel auth-pass mymaster "s3cret"', 'requirepass "s3cret"', 'sentinel sentinel-pass "s3cret"',
    ]));
    // resolve-hostnames must be read before the monitor line
    expect(run.conf.indexOf('sentinel resolve-hostnames yes')).toBeLessThan(run.conf.findIndex(l => l.startsWith('sentinel monitor')));
  });

  test('does not ask its own Sentinel', () => {
    const run = runScript(script, { pod: 'cache-1', sentinels: { [MEMBERS[1]]: MEMBERS[1] } });
    expect(run.asked).not.toContain(`-h ${MEMBERS[1]} `);
    expect(run.conf).toContain(`sentinel monitor mymaster ${MEMBERS[0]} 6379 2`);
  });

  test('has a stable myid per member', () => {
    const id = (pod: string) => runScript(script, { pod }).conf.find(l => l.startsWith('sentinel myid'));
    expect(id('cache-1')).toMatch(/^sentinel myid [0-9a-f]{40}$/);
    expect(id('cache-1')).toBe(id('cache-1'));
    expect(id('cache-1')).not.toBe(id('cache-2'));
  });
});

describe('member start script', () => {
  /** Runs the supervisor with stand-in server scripts; `redisExit` ends the stand-in Redis after a moment. */
  function supervise(redisExit: number | undefined, signal?: 'TERM') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-member-'));
    try {
      // each stand-in records its end; the sentinel stand-in runs until it is signalled
      fs.writeFileSync(path.join(dir, 'start-sentinel.sh'), `trap 'echo sentinel-stopped >> "${dir}/events"; exit 0' TERM\nwhile :; do sleep 0.1; done\n`);
      fs.writeFileSync(path.join(dir, 'start-redis.sh'), redisExit === undefined
        ? `trap 'echo redis-stopped >> "${dir}/events"; exit 0' TERM\nwhile :; do sleep 0.1; done\n`
        : `sleep 0.5; echo redis-crashed >> "${dir}/events"; exit ${redisExit}\n`);
      fs.writeFileSync(path.join(dir, 'decide.sh'), 'exit 0\n');
      fs.writeFileSync(path.join(dir, 'start.sh'), renderMemberStartScript());
      const cmd = signal
        ? `sh "${dir}/start.sh" & pid=$!; sleep 1; kill -${signal} $pid; wait $pid`
        : `sh "${dir}/start.sh"`;
      const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8', timeout: 15000, env: { PATH: '/usr/bin:/bin', REDIS_PRESET_CONF_DIR: dir } });
      const events = fs.existsSync(path.join(dir, 'events')) ? fs.readFileSync(path.join(dir, 'events'), 'utf8').trim().split('\n').sort() : [];
      return { status: r.status, events };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('ends with Redis\'s exit code and stops the Sentinel when Redis dies', () => {
    const r = supervise(3);
    expect(r.status).toBe(3);
    expect(r.events).toEqual(['redis-crashed', 'sentinel-stopped']);
  });

  test('passes SIGTERM on to both servers', () => {
    const r = supervise(undefined, 'TERM');
    expect(r.status).toBe(0);
    expect(r.events).toEqual(['redis-stopped', 'sentinel-stopped']);
  });
});

describe('preStop script', () => {
  /**
   * Runs the hook of pod cache-0 with shims: redis-cli's ROLE answers the lines of `roles` one call
   * after the other (the last one repeats); INFO reports `replicas` connected replicas (cache-1 …),
   * all at the primary's offset; the local Sentinel sees each replica's priority from `priorities`
   * (host → value, default 10), names cache-0 as the master until a FAILOVER it accepted (then
   * cache-1), and answers FAILOVER with the lines of `failoverReplies`. `date +%s` advances one
   * second per call and `sleep` returns at once, so the bounds are counted, not waited for.
   */
  function preStop(roles: string[], replicas: number, failoverReplies: string[] = ['OK'], priorities: Record<string, string> = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-prestop-'));
    try {
      fs.mkdirSync(path.join(dir, 'bin'));
      fs.mkdirSync(path.join(dir, 'prio'));
      fs.writeFileSync(path.join(dir, 'roles'), `${roles.join('\n')}\n`);
      fs.writeFileSync(path.join(dir, 'failover'), `${failoverReplies.join('\n')}\n`);
      fs.writeFileSync(path.join(dir, 'named'), `${MEMBERS[0]}\n`);
      for (const [host, value] of Object.entries(priorities)) fs.writeFileSync(path.join(dir, 'prio', host), value);
      const slaves = MEMBERS.slice(1, 1 + replicas).map((m, k) => `slave${k}:ip=${m},port=6379,state=online,offset=500,lag=0\\r\\n`).join('');
      fs.writeFileSync(path.join(dir, 'bin', 'redis-cli'), `#!/bin/sh
printf '%s\\n' "$*" >> "${dir}/calls"
host=''; for a in "$@"; do [ "$prev" = -h ] && host="$a"; prev="$a"; done
case "$*" in
  *'CONFIG SET replica-priority'*) printf '%s' "$6" > "${dir}/prio/$host"; echo OK;;
  *ROLE*) head -n 1 "${dir}/roles"; [ "$(wc -l < "${dir}/roles")" -gt 1 ] && sed -i 1d "${dir}/roles"; exit 0;;
  *INFO*) printf '# Replication\\r\\nrole:master\\r\\nconnected_slaves:${replicas}\\r\\n${slaves}master_repl_offset:500\\r\\n';;
  *'SENTINEL REPLICAS'*) for m in ${MEMBERS.slice(1, 1 + replicas).join(' ')}; do printf 'name\\n%s:6379\\nip\\n%s\\nslave-priority\\n%s\\n' "$m" "$m" "$(cat "${dir}/prio/$m" 2>/dev/null || echo 10)"; done;;
  *get-master-addr-by-name*) printf '%s\\n6379\\n' "$(cat "${dir}/named")";;
  *FAILOVER*) reply="$(head -n 1 "${dir}/failover")"; [ "$(wc -l < "${dir}/failover")" -gt 1 ] && sed -i 1d "${dir}/failover"
    [ "$reply" = OK ] && echo '${MEMBERS[1]}' > "${dir}/named"; echo "$reply";;
  *) echo OK;;
esac
`, { mode: 0o755 });
      fs.writeFileSync(path.join(dir, 'bin', 'sleep'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
      fs.writeFileSync(path.join(dir, 'bin', 'date'), `#!/bin/sh\nn=$(( $(cat "${dir}/clock" 2>/dev/null || echo 1000) + 1 ))\necho "$n" > "${dir}/clock"\necho "$n"\n`, { mode: 0o755 });
      fs.writeFileSync(path.join(dir, 'pre-stop.sh'), renderPreStopScript(INPUT, 20));
      const r = spawnSync('sh', [path.join(dir, 'pre-stop.sh')], {
        encoding: 'utf8',
        env: { PATH: `${path.join(dir, 'bin')}:/usr/bin:/bin`, REDIS_PASSWORD: 'pw', _POD_NAME: 'cache-0' },
        timeout: 20000,
      });
      const calls = fs.existsSync(path.join(dir, 'calls')) ? fs.readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n') : [];
      return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const failovers = (calls: string[]) => calls.filter(c => c.includes('SENTINEL FAILOVER'));
  /** The calls that change something, in order (reads left out). */
  const actions = (calls: string[]) => calls.filter(c => /CONFIG SET|CLIENT|FAILOVER|REPLICAOF/.test(c));

  test('a replica stops at once', () => {
    const r = preStop(['slave'], 0);
    expect(r.status).toBe(0);
    expect(actions(r.calls)).toEqual([]);
  });

  test('a primary without replicas stops at once', () => {
    const r = preStop(['master'], 0);
    expect(r.status).toBe(0);
    expect(actions(r.calls)).toEqual([]);
  });

  test('a primary with replicas pauses writes, asks its Sentinel to fail over, follows the new primary and ends the pause', () => {
    const r = preStop(['master'], 2);
    expect(r.status).toBe(0);
    expect(actions(r.calls)).toEqual([
      '-p 6379 --raw CLIENT PAUSE 35000 WRITE',
      '-p 26379 --raw SENTINEL FAILOVER mymaster',
      `-p 6379 --raw REPLICAOF ${MEMBERS[1]} 6379`,
      '-p 6379 --raw CLIENT UNPAUSE',
    ]);
    expect(r.stdout).toContain(`handing over to ${MEMBERS[1]}`);
    expect(r.stdout).toContain(`handed over to ${MEMBERS[1]}`);
  });

  test('makes the next ordinal up promotable (it synced) and waits until its Sentinel sees that before pausing', () => {
    const r = preStop(['master'], 2, ['OK'], { [MEMBERS[1]]: '0', [MEMBERS[2]]: '20' });
    expect(r.status).toBe(0);
    expect(actions(r.calls).slice(0, 2)).toEqual([
      `-h ${MEMBERS[1]} -p 6379 CONFIG SET replica-priority 10`,
      '-p 6379 --raw CLIENT PAUSE 35000 WRITE',
    ]);
  });

  test('a refused fail-over (no promotable replica yet) is asked again until the Sentinel accepts it', () => {
    const r = preStop(['master'], 2,
      ['NOGOODSLAVE No suitable replica to promote', 'NOGOODSLAVE No suitable replica to promote', 'OK']);
    expect(r.status).toBe(0);
    expect(failovers(r.calls)).toHaveLength(3);
    expect(r.stderr).toContain('the Sentinel refused the fail-over (NOGOODSLAVE No suitable replica to promote); asking again');
    expect(r.stdout).toContain('handed over');
  });

  test('gives up after the bounded wait, writes still paused', () => {
    const r = preStop(['master'], 1, ['NOGOODSLAVE No suitable replica to promote']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('no replica took over within 20 s');
    expect(actions(r.calls)).not.toContain('-p 6379 --raw CLIENT UNPAUSE');
  });
});

describe('reconcile script', () => {
  /**
   * A member's run directory kept across checks, with a redis-cli shim: the local server
   * answers ROLE with `role` and INFO with `master_host:<follows>`; Sentinels answer from
   * `sentinels` (host → master); REPLICAOF calls are recorded.
   */
  function member(pod: string) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-reconcile-'));
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.mkdirSync(path.join(dir, 'answers'));
    fs.writeFileSync(path.join(dir, 'bin', 'redis-cli'), `#!/bin/sh
host=''; for a in "$@"; do [ "$prev" = -h ] && host="$a"; prev="$a"; done
if [ -n "$host" ]; then [ -f "${dir}/answers/$host" ] || exit 1; cat "${dir}/answers/$host"; exit 0; fi
case "$*" in
  *'SENTINEL MASTER mymaster'*) printf 'name\\nmymaster\\nconfig-epoch\\n3\\nflags\\nmaster\\n';;
  *ROLE*) cat "${dir}/role";;
  *INFO*) printf 'role:slave\\r\\nmaster_host:%s\\r\\nmaster_link_status:%s\\r\\n' "$(cat "${dir}/follows")" "$(cat "${dir}/link" 2>/dev/null || echo down)";;
  *'CONFIG GET replica-priority'*) printf 'replica-priority\\n%s\\n' "$(cat "${dir}/priority" 2>/dev/null || echo 100)";;
  *'CONFIG SET replica-priority'*) echo "$*" >> "${dir}/config-set"; echo OK;;
  *REPLICAOF*) echo "$*" >> "${dir}/replicaof"; echo OK;;
esac
`, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'reconcile.sh'), renderReconcileScript(INPUT));
    fs.mkdirSync(path.join(dir, 'data'));
    return {
      lastRole: () => fs.readFileSync(path.join(dir, 'data', '.last-role'), 'utf8'),
      set: (file: string, value: string) => fs.writeFileSync(path.join(dir, file), value),
      configSets: () => (fs.existsSync(path.join(dir, 'config-set')) ? fs.readFileSync(path.join(dir, 'config-set'), 'utf8').trim().split('\n') : []),
      check(state: { role: string; follows: string; sentinels: Record<string, string> }) {
        fs.writeFileSync(path.join(dir, 'role'), `${state.role}\n`);
        fs.writeFileSync(path.join(dir, 'follows'), state.follows);
        for (const f of fs.readdirSync(path.join(dir, 'answers'))) fs.rmSync(path.join(dir, 'answers', f));
        for (const [host, master] of Object.entries(state.sentinels)) fs.writeFileSync(path.join(dir, 'answers', host), `${master}\n6379\n`);
        const r = spawnSync('sh', [path.join(dir, 'reconcile.sh')], {
          encoding: 'utf8',
          env: {
            PATH: `${path.join(dir, 'bin')}:/usr/bin:/bin`,
            _POD_NAME: pod,
            REDIS_PASSWORD: 'pw',
            REDIS_RUN_DIR: path.join(dir, 'run'),
            REDIS_DATA_DIR: path.join(dir, 'data'),
          },
        });
        expect(r.status).toBe(0);
        return fs.existsSync(path.join(dir, 'replicaof')) ? fs.readFileSync(path.join(dir, 'replicaof'), 'utf8').trim().split('\n') : [];
      },
      cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const all = (master: string) => Object.fromEntries(MEMBERS.map(m => [m, master]));
  let m: ReturnType<typeof member> | undefined;
  afterEach(() => m?.cleanup());

  test('records the role with the Sentinels\' config epoch on the data volume at every check', () => {
    m = member('cache-1');
    m.check({ role: 'master', follows: '', sentinels: all(MEMBERS[1]) });
    expect(m.lastRole()).toMatch(/^master epoch=3 at=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
    m.check({ role: 'slave', follows: MEMBERS[0], sentinels: all(MEMBERS[0]) });
    expect(m.lastRole()).toMatch(/^slave epoch=3 /);
  });

  test('a replica restarted with replica-priority 0 becomes promotable once its link to the master is up, not before', () => {
    m = member('cache-2');
    m.set('priority', '0');
    const state = { role: 'slave', follows: MEMBERS[0], sentinels: all(MEMBERS[0]) };
    m.check(state);
    expect(m.configSets()).toEqual([]); // link down: still unsynced, maybe stale
    m.set('link', 'up');
    m.check(state);
    expect(m.configSets()).toEqual(['-p 6379 CONFIG SET replica-priority 20']);
    m.set('priority', '20');
    m.check(state);
    expect(m.configSets()).toHaveLength(1); // already right: left alone
  });

  test('a synced replica gets the priority that prefers the next ordinal up after the master, wrapping', () => {
    m = member('cache-2');
    m.set('link', 'up');
    m.check({ role: 'slave', follows: MEMBERS[1], sentinels: all(MEMBERS[1]) });
    expect(m.configSets()).toEqual(['-p 6379 CONFIG SET replica-priority 10']); // after master 1: 2 first
    m.set('priority', '10');
    m.check({ role: 'slave', follows: MEMBERS[0], sentinels: all(MEMBERS[0]) });
    expect(m.configSets()[1]).toBe('-p 6379 CONFIG SET replica-priority 20'); // after master 0: 1, then 2
  });

  test('re-points a replica that follows another host than the Sentinel majority names, after three checks in a row', () => {
    m = member('cache-2');
    const wrong = { role: 'slave', follows: MEMBERS[1], sentinels: all(MEMBERS[0]) };
    expect(m.check(wrong)).toEqual([]);
    expect(m.check(wrong)).toEqual([]);
    expect(m.check(wrong)).toEqual([`-p 6379 REPLICAOF ${MEMBERS[0]} 6379`]);
  });

  test('a check that finds it right resets the count', () => {
    m = member('cache-2');
    const wrong = { role: 'slave', follows: MEMBERS[1], sentinels: all(MEMBERS[0]) };
    m.check(wrong);
    m.check(wrong);
    m.check({ ...wrong, follows: MEMBERS[0] });
    expect(m.check(wrong)).toEqual([]);
    expect(m.check(wrong)).toEqual([]);
  });

  test.each([
    ['a primary', { role: 'master', follows: '', sentinels: all(MEMBERS[0]) }],
    ['a replica of the named master', { role: 'slave', follows: MEMBERS[0], sentinels: all(MEMBERS[0]) }],
    ['a replica when only a minority of Sentinels answers', { role: 'slave', follows: MEMBERS[1], sentinels: { [MEMBERS[0]]: MEMBERS[0] } }],
    ['a replica the Sentinels name as master (promotion under way)', { role: 'slave', follows: MEMBERS[1], sentinels: all(MEMBERS[2]) }],
    ['a replica when no Sentinel answers', { role: 'slave', follows: MEMBERS[1], sentinels: {} }],
  ])('leaves %s alone', (_name, state) => {
    m = member('cache-2');
    for (let i = 0; i < 4; i++) expect(m.check(state)).toEqual([]);
  });
});

describe('synthesized by RainbondComponent', () => {
  function synth(options: RedisSentinelPresetOptions = {}, replicas?: number) {
    const chart = Testing.chart();
    const component = new RainbondComponent(chart, 'cache', {
      deployType: DeployType.STATEFUL_MULTIPLE, namespace: 'db', replicas, preset: ClusterPreset.redisSentinel(options),
    });
    const objects = synthValid(chart);
    const sts = findOne(objects, 'StatefulSet', 'cache');
    const pod = sts.spec.template.spec;
    return {
      component,
      objects,
      sts,
      pod,
      redis: pod.containers.find((c: any) => c.name === 'redis'),
      configMap: findOne(objects, 'ConfigMap', 'cache-config'),
    };
  }

  test('keeps OrderedReady and runs as the image\'s numeric non-root user', () => {
    const { sts, pod } = synth();
    expect(sts.spec.podManagementPolicy).toBe('OrderedReady');
    expect(sts.spec.replicas).toBe(3);
    expect(pod.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999, runAsNonRoot: true });
  });

  test('redis.conf of the members: min-replicas rule from the member count and down-after', () => {
    const rule = (conf: string) => conf.split('\n').filter(l => l.startsWith('min-replicas'));
    expect(rule(synth().configMap.data['redis.conf'])).toEqual(['min-replicas-to-write 1', 'min-replicas-max-lag 4']);
    expect(rule(synth({ downAfterMilliseconds: 10000 }).configMap.data['redis.conf'])).toEqual(['min-replicas-to-write 1', 'min-replicas-max-lag 9']);
    expect(rule(synth({}, 1).configMap.data['redis.conf'])).toEqual([]);
  });

  test('hands the primary role over before a pod stops', () => {
    const { redis, pod } = synth();
    expect(redis.lifecycle.preStop.exec.command).toEqual(['sh', '/etc/redis-preset/pre-stop.sh']);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(20);
  });

  test('runs Sentinel and Redis in one container from the rendered start script', () => {
    const { redis, pod } = synth();
    expect(pod.containers).toHaveLength(1);
    expect(pod.initContainers ?? []).toEqual([]);
    expect(redis.image).toBe(`redis:7.2.7@${REDIS_IMAGE.digest}`);
    expect(redis.command).toEqual(['sh', '/etc/redis-preset/start.sh']);
    expect(redis.ports).toEqual([{ containerPort: 6379, name: 'redis' }, { containerPort: 26379, name: 'sentinel' }]);
    for (const probe of [redis.readinessProbe, redis.livenessProbe]) {
      expect(probe.exec.command[2]).toMatch(/^\[ -f '\/run\/redis\/waiting' \] && exit 0; export REDISCLI_AUTH="\$REDIS_PASSWORD"; /);
    }
    expect(redis.readinessProbe.exec.command[2]).toContain('redis-cli -p 6379 ping');
    expect(redis.readinessProbe.exec.command[2]).toContain('redis-cli -p 26379 ping');
  });

  test('publishes both ports on the headless and the client Service', () => {
    const { objects } = synth();
    for (const name of ['cache', 'cache-client']) {
      expect(findOne(objects, 'Service', name).spec.ports.map((p: any) => p.port)).toEqual([6379, 26379]);
    }
  });

  test('takes the password from the default Secret by secretKeyRef, never as a value', () => {
    const { redis, objects } = synth();
    expect(redis.env.find((e: any) => e.name === 'REDIS_PASSWORD')).toEqual({
      name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'cache-credentials', key: 'password' } },
    });
    const passwordEnv = objects.flatMap(o => JSON.stringify(o).match(/"name":"[A-Z_]*PASSWORD[A-Z_]*","value"/g) ?? []);
    expect(passwordEnv).toEqual([]);
    expect(findAll(objects, 'Secret')).toEqual([]);
  });

  test('uses the Secret and key the user gives', () => {
    const chart = Testing.chart();
    const secret = kplus.Secret.fromSecretName(chart, 'Existing', 'redis-auth');
    new RainbondComponent(chart, 'cache', {
      deployType: DeployType.STATEFUL_MULTIPLE, namespace: 'db', preset: ClusterPreset.redisSentinel({ passwordSecret: secret, passwordSecretKey: 'pw' }),
    });
    const redis = findOne(synthValid(chart), 'StatefulSet', 'cache').spec.template.spec.containers[0];
    expect(redis.env.find((e: any) => e.name === 'REDIS_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'redis-auth', key: 'pw' });
  });

  test('mounts the ConfigMap read-only, a writable run dir and the data volume', () => {
    const { redis, pod, sts, configMap } = synth();
    expect(redis.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(redis.volumeMounts).toEqual(expect.arrayContaining([
      { name: 'redis-preset-config', mountPath: '/etc/redis-preset', readOnly: true },
      { name: 'redis-run', mountPath: '/run/redis' },
      { name: 'data', mountPath: '/data' },
    ]));
    expect(pod.volumes).toEqual(expect.arrayContaining([
      { name: 'redis-preset-config', configMap: { name: 'cache-config' } },
      { name: 'redis-run', emptyDir: {} },
    ]));
    expect(pod.volumes.find((v: any) => v.name === 'data')).toBeUndefined();
    expect(sts.spec.volumeClaimTemplates.map((t: any) => [t.metadata.name, t.spec.resources.requests.storage])).toEqual([['data', '8Gi']]);
    expect(configMap.metadata.namespace).toBe('db');
    expect(Object.keys(configMap.data).sort()).toEqual(['decide.sh', 'pre-stop.sh', 'reconcile.sh', 'redis.conf', 'sentinel.conf', 'start-redis.sh', 'start-sentinel.sh', 'start.sh']);
  });

  test('renders the members\' FQDNs and the majority quorum into the scripts', () => {
    const { configMap, component } = synth({}, 5);
    const fqdns = [0, 1, 2, 3, 4].map(i => `cache-${i}.cache.db.svc.cluster.local`);
    expect(component.podDnsNames).toEqual(fqdns);
    expect(configMap.data['start-sentinel.sh']).toContain(`MEMBERS='${fqdns.join(' ')}'`);
    expect(configMap.data['start-sentinel.sh']).toContain('sentinel monitor $MASTER_NAME $MASTER 6379 3"');
    expect(configMap.data['sentinel.conf']).toContain('sentinel announce-hostnames yes');
  });

  test('lets the user override image, storage and resources', () => {
    const { redis, sts } = synth({
      image: 'registry.example.com/redis:7.2.8',
      storageSize: Size.gibibytes(20),
      storageClassName: 'fast',
      resources: { memory: { limit: Size.gibibytes(4) } },
    });
    expect(redis.image).toBe('registry.example.com/redis:7.2.8');
    // memory as given (Kubernetes sets the request to the limit); CPU keeps the preset's default
    expect(redis.resources).toEqual({ limits: { cpu: '1000m', memory: '4096Mi' }, requests: { cpu: '100m' } });
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'fast', resources: { requests: { storage: '20Gi' } } });
  });

  test('fails naming the component, the rule and the fix for a quorum above the Sentinel count', () => {
    expect(() => synth({ sentinelQuorum: 4 })).toThrow(/cache[\s\S]*'sentinelQuorum' \(4\) is larger than the Sentinel count \(3[\s\S]*at most 3/);
  });

  test('a single member monitors itself with quorum 1', () => {
    const { configMap, sts } = synth({}, 1);
    expect(sts.spec.replicas).toBe(1);
    expect(configMap.data['start-sentinel.sh']).toContain('MEMBERS=\'cache-0.cache.db.svc.cluster.local\'');
    expect(configMap.data['start-sentinel.sh']).toContain('6379 1"');
  });

  test.each([[4, /odd/], [9, /at most 7/]])('refuses %i members', (replicas, message) => {
    expect(() => synth({}, replicas)).toThrow(message);
  });
});
