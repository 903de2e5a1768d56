import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Size, Testing } from 'cdk8s';
import { podFqdns } from '../../src/_naming';
import { RainbondComponent } from '../../src/component';
import { DeployType } from '../../src/deploy-type';
import { ZOOKEEPER_IMAGE } from '../../src/presets/_image-facts';
import {
  defaultHeapMebibytes, extraConfigProblems, FOUR_LETTER_WORDS, heapProblems, livenessCommand, readinessCommand,
  renderProbeScript, renderStartScript, renderZooCfg, serverLines, STARTUP_GRACE_SECONDS, startupCommand,
} from '../../src/presets/_zookeeper-config';
import { ZookeeperPreset, ZookeeperPresetOptions } from '../../src/presets/zookeeper';
import { workloadPolicyViolations } from '../util/policy';
import { findOne, synthValid } from '../util/synth';

/** zoo.cfg as a map; duplicate keys fail the test. */
function parseCfg(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of text.split('\n').filter(l => l.trim() !== '' && !l.startsWith('#'))) {
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    if (key in result) throw new Error(`duplicate key ${key}`);
    result[key] = line.slice(eq + 1);
  }
  return result;
}

describe('zoo.cfg renderer', () => {
  test.each([
    [3, ['server.1=zk-0.zk.db.svc.cluster.local:2888:3888;2181', 'server.2=zk-1.zk.db.svc.cluster.local:2888:3888;2181',
      'server.3=zk-2.zk.db.svc.cluster.local:2888:3888;2181']],
    [1, ['server.1=zk-0.zk.db.svc.cluster.local:2888:3888;2181']],
  ])('serverLines of %i member(s): myid = ordinal + 1, pod FQDNs', (members, expected) => {
    expect(serverLines(podFqdns('zk', members, 'db', 'cluster.local'))).toEqual(expected);
  });

  test.each([3, 5, 7])('%i members: ensemble config with every member once', members => {
    const cfg = parseCfg(renderZooCfg({ podDnsNames: podFqdns('zk', members, 'db', 'cluster.local') }));
    const servers = Object.keys(cfg).filter(k => k.startsWith('server.'));
    expect(servers).toEqual(Array.from({ length: members }, (_, i) => `server.${i + 1}`));
    expect(cfg[`server.${members}`]).toBe(`zk-${members - 1}.zk.db.svc.cluster.local:2888:3888;2181`);
    expect(cfg.quorumListenOnAllIPs).toBe('true');
    expect(cfg.dataDir).toBe('/data');
    expect(cfg.clientPort).toBe('2181');
    expect(cfg.reconfigEnabled).toBe('false');
    expect(cfg['4lw.commands.whitelist'].split(',')).toEqual(expect.arrayContaining(['srvr', 'ruok']));
  });

  test('1 member runs standalone: no server lines', () => {
    const cfg = parseCfg(renderZooCfg({ podDnsNames: podFqdns('zk', 1, 'db', 'cluster.local') }));
    expect(Object.keys(cfg).filter(k => k.startsWith('server.'))).toEqual([]);
    expect(cfg.standaloneEnabled).toBe('true');
    expect(cfg.quorumListenOnAllIPs).toBeUndefined();
  });

  test('extraConfig overrides tuning defaults but never managed keys', () => {
    const cfg = parseCfg(renderZooCfg({
      podDnsNames: podFqdns('zk', 3, 'db', 'cluster.local'),
      extraConfig: { 'tickTime': '3000', 'maxClientCnxns': '200', 'dataDir': '/elsewhere', 'dataLogDir': '/tmp/x', 'server.9': 'evil:1:2' },
    }));
    expect(cfg.tickTime).toBe('3000');
    expect(cfg.maxClientCnxns).toBe('200');
    expect(cfg.dataDir).toBe('/data');
    expect(cfg.dataLogDir).toBeUndefined();
    expect(cfg['server.9']).toBeUndefined();
  });

  test.each([
    [{ dataDir: '/x' }, /may not set 'dataDir'/],
    [{ 'server.4': 'h:1:2' }, /may not set 'server.4'/],
    [{ '4lw.commands.whitelist': '*' }, /may not set '4lw.commands.whitelist'/],
    [{ dynamicConfigFile: '/tmp/dyn' }, /may not set 'dynamicConfigFile'/],
    [{ dataLogDir: '/tmp/txn' }, /may not set 'dataLogDir'/],
    [{ 'bad key': '1' }, /not a ZooKeeper property name/],
    [{ tickTime: '1\nserver.9=evil:1:2' }, /line break/],
  ])('extraConfig %j is refused', (extra, message) => {
    const problems = extraConfigProblems(extra);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
    expect(problems[0]).toMatch(/Fix: /);
  });

  test('the probes only use whitelisted four-letter words', () => {
    expect(FOUR_LETTER_WORDS).toContain(readinessCommand()[2]);
    expect(FOUR_LETTER_WORDS).toContain(livenessCommand()[2]);
  });

  const mib = (n?: number) => (n === undefined ? undefined : Size.mebibytes(n));

  test.each([
    [undefined, undefined, 512],
    [1024, undefined, 512],
    [4096, 2048, 2048],
    [undefined, 600, 300],
    [100, undefined, 64],
  ])('default heap for limit %p Mi and request %p Mi is %i MiB', (limit, request, heap) => {
    expect(defaultHeapMebibytes(mib(limit), mib(request))).toBe(heap);
  });

  test.each([
    [768, 1024, 0],
    [769, 1024, 1],
    [16, undefined, 1],
    [4096, undefined, 0],
    [NaN, 1024, 1],
    [Infinity, undefined, 1],
    [512.5, 1024, 1],
  ])('heap %p MiB with limit %p Mi gives %i problem(s)', (heap, limit, count) => {
    expect(heapProblems(heap, mib(limit))).toHaveLength(count);
  });
});

describe('start and probe scripts (run with bash)', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-preset-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs the start script with a stand-in zkServer.sh that prints its arguments. */
  function runStart(hostname: string) {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'zkServer.sh'), '#!/bin/bash\necho "ARGS:$*"\n', { mode: 0o755 });
    const script = path.join(dir, 'start.sh');
    fs.writeFileSync(script, renderStartScript({ dataDir: path.join(dir, 'data'), configFile: '/config/zoo.cfg' }));
    return spawnSync('bash', [script], {
      env: { PATH: `${bin}:${process.env.PATH}`, HOSTNAME: hostname, TMPDIR: dir }, encoding: 'utf8',
    });
  }

  test.each([['zk-0', '1'], ['my-zk-2', '3'], ['zk-6', '7']])('hostname %s writes myid %s and execs the server', (host, myid) => {
    const result = runStart(host);
    expect(result.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'data', 'myid'), 'utf8').trim()).toBe(myid);
    expect(result.stdout.trim()).toBe('ARGS:start-foreground /config/zoo.cfg');
  });

  /**
   * Runs the start script of a 3-member ensemble with stand-ins: `timeout` answers srvr for a
   * host from `answers` (absent: no answer), `sleep` records whether the waiting file exists
   * and, at the third wait, lets `later` answer (the old member restarted in the ensemble).
   */
  function runGate(hostname: string, opts: { data?: boolean; answers?: Record<string, string>; later?: Record<string, string> }) {
    const bin = path.join(dir, 'bin');
    const answers = path.join(dir, 'answers');
    const tmp = path.join(dir, 'tmp');
    for (const d of [bin, answers, tmp]) fs.mkdirSync(d);
    if (opts.data) {
      fs.mkdirSync(path.join(dir, 'data', 'version-2'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'data', 'version-2', 'snapshot.100000002'), 'ZKSN');
    }
    const write = (entries: Record<string, string>) => Object.entries(entries).map(([h, a]) => `printf '%s\\n' '${a}' > "${answers}/${h}"`).join('\n');
    for (const [h, a] of Object.entries(opts.answers ?? {})) fs.writeFileSync(path.join(answers, h), `${a}\n`);
    const shim = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
    shim('zkServer.sh', `echo "ARGS:$*"; [ -f "${tmp}/zookeeper-waiting" ] && echo "still waiting" >&2; exit 0`);
    shim('timeout', `echo "$5" >> "${dir}/asked"; [ -f "${answers}/$5" ] || exit 1; cat "${answers}/$5"`);
    shim('sleep', `if [ -f "${tmp}/zookeeper-waiting" ]; then echo waiting >> "${dir}/waits"; else echo not-waiting >> "${dir}/waits"; fi
[ "$(wc -l < "${dir}/waits")" -ge 3 ] || exit 0
${write(opts.later ?? {})}
[ "$(wc -l < "${dir}/waits")" -lt 10 ] || exit 1`);
    const script = path.join(dir, 'start.sh');
    fs.writeFileSync(script, renderStartScript({ dataDir: path.join(dir, 'data'), configFile: '/config/zoo.cfg', podDnsNames: FQDNS }));
    const r = spawnSync('bash', [script], { env: { PATH: `${bin}:/usr/bin:/bin`, HOSTNAME: hostname, TMPDIR: tmp }, encoding: 'utf8', timeout: 20000 });
    const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n') : []);
    return { ...r, waits: read('waits'), asked: read('asked') };
  }
  const FQDNS = ['zk-0.zk.db.svc.cluster.local', 'zk-1.zk.db.svc.cluster.local', 'zk-2.zk.db.svc.cluster.local'];

  test('growth from one member: a new empty member waits (probes pass) while member 0 runs standalone, starts once it is in the ensemble', () => {
    const r = runGate('zk-1', { answers: { [FQDNS[0]]: 'Zookeeper version: 3.8.4\nMode: standalone' }, later: { [FQDNS[0]]: 'This ZooKeeper instance is not currently serving requests' } });
    expect(r.status).toBe(0);
    expect(r.waits).toEqual(['waiting', 'waiting', 'waiting']);
    expect(r.stderr).toMatch(/member 1 has no data: waiting until another member runs in the ensemble/);
    expect(r.stdout.trim()).toBe('ARGS:start-foreground /config/zoo.cfg');
    expect(r.stderr).not.toContain('still waiting'); // the waiting file is gone before the server starts
    expect(r.asked).not.toContain(FQDNS[1]); // never asks itself
  });

  test.each([
    ['a new cluster: member 0 electing', { [FQDNS[0]]: 'This ZooKeeper instance is not currently serving requests' }],
    ['a running ensemble: a follower answers', { [FQDNS[2]]: 'Zookeeper version: 3.8.4\nMode: follower' }],
    ['a running ensemble: the leader answers', { [FQDNS[0]]: 'Mode: leader' }],
  ])('an empty member starts at once next to %s', (_name, answers) => {
    const r = runGate('zk-1', { answers });
    expect(r.status).toBe(0);
    expect(r.waits).toEqual([]);
    expect(r.stdout.trim()).toBe('ARGS:start-foreground /config/zoo.cfg');
  });

  test.each([
    ['member 0, which holds the data when a one-member ensemble grows', 'zk-0', false],
    ['a member with data (a restart of the ensemble)', 'zk-2', true],
  ])('%s never waits', (_name, host, data) => {
    const r = runGate(host, { data, answers: { [FQDNS[0]]: 'Mode: standalone' } });
    expect(r.status).toBe(0);
    expect(r.waits).toEqual([]);
    expect(r.asked).toEqual([]);
  });

  test('a hostname without an ordinal stops with a clear error', () => {
    const result = runStart('zookeeper');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/cannot derive the member ordinal from hostname 'zookeeper'/);
    expect(fs.existsSync(path.join(dir, 'data', 'myid'))).toBe(false);
  });

  /** Serves one fixed answer per connection; returns the port. */
  async function fakeServer(answer: string): Promise<{ port: number; close: () => Promise<void> }> {
    const server = net.createServer(socket => socket.once('data', () => socket.end(answer)));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    return { port, close: () => new Promise(resolve => server.close(() => resolve())) };
  }

  async function probe(answer: string, command: string[]): Promise<number> {
    const server = await fakeServer(answer);
    try {
      const script = path.join(dir, 'probe.sh');
      fs.writeFileSync(script, renderProbeScript(server.port));
      // Asynchronous: the fake server runs in this process.
      return await new Promise<number>(resolve => {
        spawn('bash', [script, ...command.slice(2)], { stdio: 'ignore' }).on('exit', code => resolve(code ?? -1));
      });
    } finally {
      await server.close();
    }
  }

  test.each([
    ['Zookeeper version: 3.8.4\nMode: follower\nNode count: 5\n', 0],
    ['Zookeeper version: 3.8.4\nMode: leader\n', 0],
    ['Mode: standalone\n', 0],
    ['This ZooKeeper instance is not currently serving requests\n', 1],
    ['srvr is not executed because it is not in the whitelist.\n', 1],
  ])('readiness on answer %j exits %i', async (answer, code) => {
    expect(await probe(answer, readinessCommand())).toBe(code);
  });

  /** Answers srvr and ruok as a server would that serves (`serving`) or not; returns the probe's exit code. */
  async function startupProbe(serving: boolean, secondsSinceStart: number): Promise<number> {
    const server = net.createServer(socket => socket.once('data', (word) => {
      if (String(word) === 'ruok') socket.end('imok');
      else socket.end(serving ? 'Zookeeper version: 3.8.4\nMode: follower\n' : 'This ZooKeeper instance is not currently serving requests\n');
    }));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    try {
      const script = path.join(dir, 'probe.sh');
      fs.writeFileSync(script, renderProbeScript((server.address() as net.AddressInfo).port));
      const started = path.join(dir, 'zookeeper-started');
      fs.writeFileSync(started, '');
      const at = new Date(Date.now() - secondsSinceStart * 1000);
      fs.utimesSync(started, at, at);
      return await new Promise<number>(resolve => {
        spawn('bash', [script, ...startupCommand().slice(2)], { stdio: 'ignore', env: { PATH: process.env.PATH, TMPDIR: dir } })
          .on('exit', code => resolve(code ?? -1));
      });
    } finally {
      await new Promise(resolve => server.close(resolve));
    }
  }

  test.each([
    [true, 1, 0],
    [false, 1, 1],
    [false, STARTUP_GRACE_SECONDS - 2, 1],
    [false, STARTUP_GRACE_SECONDS + 1, 0],
  ])('startup: serving %s, %i s after the start script ran, exits %i', async (serving, seconds, code) => {
    expect(await startupProbe(serving, seconds)).toBe(code);
  });

  test('startup measures from the file the start script touches', () => {
    const before = Date.now();
    expect(runStart('zk-0').status).toBe(0);
    expect(fs.statSync(path.join(dir, 'zookeeper-started')).mtimeMs).toBeGreaterThanOrEqual(before - 1000);
  });

  test.each([['imok', 0], ['', 1]])('liveness on answer %j exits %i', async (answer, code) => {
    expect(await probe(answer, livenessCommand())).toBe(code);
  });

  test('every probe passes while the member waits for the ensemble, though nothing listens yet', () => {
    const script = path.join(dir, 'probe.sh');
    fs.writeFileSync(script, renderProbeScript(1));
    fs.writeFileSync(path.join(dir, 'zookeeper-waiting'), '');
    for (const command of [readinessCommand(), livenessCommand()]) {
      expect(spawnSync('bash', [script, ...command.slice(2)], { env: { PATH: '/usr/bin:/bin', TMPDIR: dir } }).status).toBe(0);
    }
  });

  test('a probe fails when nothing listens', () => {
    const script = path.join(dir, 'probe.sh');
    fs.writeFileSync(script, renderProbeScript(1)); // port 1: nothing listens there
    expect(() => execFileSync('bash', [script, 'ruok', '^imok'], { stdio: 'ignore' })).toThrow();
  });
});

function synthZk(replicas: number, options: ZookeeperPresetOptions = {}, deployType = DeployType.STATEFUL_MULTIPLE) {
  const chart = Testing.chart();
  const component = new RainbondComponent(chart, 'zk', {
    deployType, replicas, namespace: 'db', preset: new ZookeeperPreset(options),
  });
  const objects = synthValid(chart);
  return { component, objects, sts: findOne(objects, 'StatefulSet', 'zk'), cm: findOne(objects, 'ConfigMap', 'zk-config') };
}

function envOf(container: any): Record<string, any> {
  return Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.valueFrom ?? e.value]));
}

describe('ZooKeeper preset on a RainbondComponent', () => {
  test('3 members: Parallel StatefulSet running the rendered start script', () => {
    const { sts, component } = synthZk(3);
    expect(sts.metadata.annotations['rainbond.io/cluster-preset']).toBe('zookeeper');
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    const pod = sts.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 });
    const zk = pod.containers.find((c: any) => c.name === 'zookeeper');
    expect(zk.image).toBe(`zookeeper:3.8.4@${ZOOKEEPER_IMAGE.digest}`);
    expect(zk.command).toEqual(['bash', '/config/start.sh']);
    expect(zk.ports.map((p: any) => [p.name, p.containerPort])).toEqual([['client', 2181], ['quorum', 2888], ['election', 3888]]);
    expect(component.podDnsNames[2]).toBe('zk-2.zk.db.svc.cluster.local');
  });

  test('ConfigMap holds zoo.cfg with FQDN servers, the start script and the probe script', () => {
    const { cm, component } = synthZk(3);
    expect(cm.metadata.namespace).toBe('db');
    const cfg = parseCfg(cm.data['zoo.cfg']);
    component.podDnsNames.forEach((fqdn, i) => expect(cfg[`server.${i + 1}`]).toBe(`${fqdn}:2888:3888;2181`));
    expect(cm.data['start.sh']).toContain('exec zkServer.sh start-foreground \'/config/zoo.cfg\'');
    expect(cm.data['start.sh']).toContain('> \'/data/myid\'');
    expect(cm.data['probe.sh']).toContain('/dev/tcp/127.0.0.1/2181');
  });

  test('mounts: config read-only, data claim, tmp and logs emptyDirs', () => {
    const { sts } = synthZk(3);
    const pod = sts.spec.template.spec;
    const zk = pod.containers.find((c: any) => c.name === 'zookeeper');
    const mounts = Object.fromEntries(zk.volumeMounts.map((m: any) => [m.mountPath, m]));
    expect(mounts['/data'].name).toBe('data');
    expect(mounts['/config'].readOnly).toBe(true);
    const volumes = Object.fromEntries(pod.volumes.map((v: any) => [v.name, v]));
    expect(volumes[mounts['/config'].name].configMap.name).toBe('zk-config');
    expect(volumes[mounts['/tmp'].name].emptyDir).toBeDefined();
    expect(volumes[mounts['/logs'].name].emptyDir).toBeDefined();
    expect(volumes.data).toBeUndefined();
    const claim = sts.spec.volumeClaimTemplates.find((t: any) => t.metadata.name === 'data');
    expect(claim.spec.resources.requests.storage).toBe('8Gi');
    expect(zk.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(workloadPolicyViolations(sts)).toEqual([]);
  });

  test('probes: readiness needs a serving mode, liveness only ruok, startup serving or a while of ruok', () => {
    const zk = synthZk(3).sts.spec.template.spec.containers.find((c: any) => c.name === 'zookeeper');
    expect(zk.readinessProbe.exec.command).toEqual(['bash', '/config/probe.sh', 'srvr', '^Mode: (leader|follower|standalone)']);
    expect(zk.livenessProbe.exec.command).toEqual(['bash', '/config/probe.sh', 'ruok', '^imok']);
    expect(zk.startupProbe.exec.command).toEqual(['bash', '/config/probe.sh', 'started']);
    expect(zk.livenessProbe.failureThreshold * zk.livenessProbe.periodSeconds).toBeGreaterThanOrEqual(60);
  });

  test('probe timing: readiness follows the startup probe at once and outlasts a lost leader', () => {
    const { sts, objects } = synthZk(3);
    const zk = sts.spec.template.spec.containers.find((c: any) => c.name === 'zookeeper');
    // the kubelet probes readiness as soon as the startup probe passes; an initial delay would
    // only push the first probe to a later tick of the period
    expect(zk.readinessProbe.initialDelaySeconds ?? 0).toBe(0);
    expect(zk.startupProbe.periodSeconds).toBe(1);
    expect(zk.startupProbe.periodSeconds * zk.startupProbe.failureThreshold).toBeGreaterThanOrEqual(300);
    // a member stays ready while the ensemble elects a new leader (at most syncLimit × tickTime)
    const cfg = parseCfg(findOne(objects, 'ConfigMap', 'zk-config').data['zoo.cfg']);
    const leaderLossSeconds = Number(cfg.syncLimit) * Number(cfg.tickTime) / 1000;
    expect(zk.readinessProbe.periodSeconds * zk.readinessProbe.failureThreshold).toBeGreaterThan(leaderLossSeconds);
  });

  test.each([[3, 1], [5, 2]])('%i members: peers resolvable before ready, disruption budget keeps the quorum', (members, tolerance) => {
    const { objects } = synthZk(members);
    const headless = findOne(objects, 'Service', 'zk');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    expect(headless.spec.ports.map((p: any) => p.port).sort()).toEqual([2181, 2888, 3888]);
    expect(findOne(objects, 'PodDisruptionBudget', 'zk').spec.maxUnavailable).toBe(tolerance);
  });

  test('heap sized under the memory limit by default', () => {
    const zk = synthZk(3).sts.spec.template.spec.containers.find((c: any) => c.name === 'zookeeper');
    expect(zk.resources.limits.memory).toBe('1024Mi');
    expect(envOf(zk).SERVER_JVMFLAGS).toBe('-Xms512m -Xmx512m');
    expect(envOf(zk).ZK_SERVER_HEAP).toBe('512');
  });

  test('user overrides: image, storage, resources (heap follows), extraConfig', () => {
    const { sts, cm } = synthZk(5, {
      image: 'registry.example/zookeeper:3.8.4',
      storageSize: Size.gibibytes(30),
      storageClassName: 'fast',
      resources: { memory: { request: Size.gibibytes(4), limit: Size.gibibytes(4) } },
      extraConfig: { maxClientCnxns: '500' },
    });
    const zk = sts.spec.template.spec.containers.find((c: any) => c.name === 'zookeeper');
    expect(zk.image).toBe('registry.example/zookeeper:3.8.4');
    expect(envOf(zk).SERVER_JVMFLAGS).toBe('-Xms2048m -Xmx2048m');
    expect(zk.resources).toEqual({ limits: { cpu: '1000m', memory: '4096Mi' }, requests: { cpu: '250m', memory: '4096Mi' } });
    const claim = sts.spec.volumeClaimTemplates.find((t: any) => t.metadata.name === 'data');
    expect(claim.spec.resources.requests.storage).toBe('30Gi');
    expect(claim.spec.storageClassName).toBe('fast');
    const cfg = parseCfg(cm.data['zoo.cfg']);
    expect(cfg.maxClientCnxns).toBe('500');
    expect(Object.keys(cfg).filter(k => k.startsWith('server.'))).toHaveLength(5);
  });

  test('explicit heapSize is used', () => {
    const zk = synthZk(3, { heapSize: Size.mebibytes(700) }).sts.spec.template.spec.containers[0];
    expect(envOf(zk).SERVER_JVMFLAGS).toBe('-Xms700m -Xmx700m');
  });

  test('one member on STATEFUL_SINGLE runs standalone', () => {
    const { cm } = synthZk(1, {}, DeployType.STATEFUL_SINGLE);
    expect(cm.data['zoo.cfg']).not.toMatch(/^server\./m);
  });

  test.each([
    ['heapSize = limit', { heapSize: Size.gibibytes(1) }, /heapSize 1024Mi leaves too little of the 1024Mi memory limit[\s\S]*Fix: lower heapSize to 768Mi/],
    ['extraConfig sets clientPort', { extraConfig: { clientPort: '2182' } }, /extraConfig may not set 'clientPort'/],
  ])('%s is refused naming the component and the fix', (_name, options, message) => {
    expect(() => synthZk(3, options)).toThrow(message);
    expect(() => synthZk(3, options)).toThrow(/zk/);
  });

  test.each([
    [9, /zookeeper supports at most 7 members, got 9/],
    [2, /odd member count, got 2/],
  ])('%i members are refused', (replicas, message) => {
    expect(() => synthZk(replicas)).toThrow(message);
  });
});
