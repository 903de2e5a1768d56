/** The README's claims, checked against what the library synthesizes. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing, Yaml } from 'cdk8s';
import * as ts from 'typescript';
import { ClusterPreset, DeployType, EtcdPreset, MysqlReplicationPreset, RainbondComponent, RedisSentinelPreset, ZookeeperPreset } from '../src';
import { k8sSchema, synthValid } from './util/synth';
import { parseImageReference } from '../src/_image-reference';
import { allDocs } from './util/docs';

const ROOT = path.join(__dirname, '..');
/** README.md and the docs/ pages it links, whose snippets and commands count alike. */
const README = allDocs();

/** The fenced blocks of a language, in order. */
function fencedBlocks(language: string): string[] {
  const blocks: string[] = [];
  const fence = new RegExp('^```' + language + '\\n([\\s\\S]*?)^```', 'gm');
  for (let m = fence.exec(README); m; m = fence.exec(README)) blocks.push(m[1]);
  return blocks;
}

/** Secret name -> keys that the README's `kubectl create secret generic` commands create. */
function secretsCreatedByReadme(): Map<string, string[]> {
  const created = new Map<string, string[]>();
  for (const block of fencedBlocks('sh')) {
    for (const command of block.replace(/\\\n\s*/g, ' ').split('\n')) {
      const m = /kubectl create secret generic (\S+) -n (\S+)(.*)$/.exec(command);
      if (!m) continue;
      const keys = [...m[3].matchAll(/--from-literal=([a-z-]+)=/g)].map(k => k[1]);
      created.set(`${m[2]}/${m[1]}`, keys);
    }
  }
  return created;
}

/** Secret name -> keys that the pods of a chart read. */
function secretsReadBy(objects: any[]): Map<string, string[]> {
  const read = new Map<string, string[]>();
  for (const o of objects.filter(x => x.kind === 'StatefulSet' || x.kind === 'Deployment')) {
    const pod = o.spec.template.spec;
    for (const c of [...pod.containers, ...pod.initContainers ?? []]) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (!ref) continue;
        const id = `${o.metadata.namespace}/${ref.name}`;
        read.set(id, [...new Set([...read.get(id) ?? [], ref.key])].sort());
      }
    }
  }
  return read;
}

describe('README: the Secrets the presets read are the ones its kubectl commands create', () => {
  test('MySQL orders and Redis cache in namespace shop', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new RainbondComponent(chart, 'orders', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.mysqlReplication() });
    new RainbondComponent(chart, 'cache', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.redisSentinel() });
    const read = secretsReadBy(synthValid(chart));
    const created = secretsCreatedByReadme();
    expect([...read.keys()].sort()).toEqual(['shop/cache-credentials', 'shop/orders-credentials']);
    for (const [id, keys] of read) expect(created.get(id)?.sort()).toEqual(keys);
  });

  test('etcd and ZooKeeper read no Secret by default', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new RainbondComponent(chart, 'kv', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.etcd() });
    new RainbondComponent(chart, 'zk', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.zookeeper() });
    const objects = synthValid(chart);
    expect([...secretsReadBy(objects).keys()]).toEqual([]);
    expect(JSON.stringify(objects)).not.toMatch(/"secret(KeyRef|Ref|Name)?"/);
  });
});

/**
 * What an image needs from the pod spec under the component's defaults (read-only root
 * filesystem, user 1000), from its published build recipe.
 */
interface ImageNeeds {
  /** Where the recipe comes from. */
  readonly source: string;
  /** User (and group) the image's files and entrypoint expect; undefined when any non-root user works. */
  readonly user?: number;
  /** Paths outside the data volume the server writes. */
  readonly writable: string[];
  /** Environment variable naming the data directory, which must be a subdirectory of a claim's mount. */
  readonly dataDirEnv?: string;
}

const IMAGE_NEEDS: Record<string, ImageNeeds> = {
  'mysql': {
    source: 'github.com/docker-library/mysql 8.4/Dockerfile.oracle (user mysql uid 999) and its /etc/my.cnf (socket and pid-file in /var/run/mysqld, secure-file-priv /var/lib/mysql-files)',
    user: 999,
    writable: ['/var/run/mysqld', '/var/lib/mysql-files', '/tmp'],
  },
  'redis': {
    source: 'github.com/docker-library/redis 7.2/debian/Dockerfile (user redis uid 999; WORKDIR /data, the data volume)',
    user: 999,
    writable: [],
  },
  'busybox': {
    source: 'github.com/docker-library/busybox (a static busybox with sh and nc; the wait-for-port container writes nothing)',
    writable: [],
  },
  'nginxinc/nginx-unprivileged': {
    source: 'github.com/nginxinc/docker-nginx-unprivileged stable/alpine/Dockerfile (pid and *_temp_path moved to /tmp)',
    writable: ['/tmp'],
  },
  'postgres': {
    source: 'github.com/docker-library/postgres 16/bookworm/Dockerfile (useradd --uid=999, /var/run/postgresql) and docker-entrypoint.sh (nss_wrapper in /tmp for other uids)',
    user: 999,
    writable: ['/var/run/postgresql'],
    dataDirEnv: 'PGDATA',
  },
};

/** Images of the presets: inside a preset's workload their contracts are checked by the preset and image tests. */
const PRESET_IMAGES = [
  EtcdPreset.DEFAULT_IMAGE, ZookeeperPreset.DEFAULT_IMAGE, RedisSentinelPreset.DEFAULT_IMAGE, MysqlReplicationPreset.DEFAULT_IMAGE,
];

function repositoryOf(image: string): string {
  return parseImageReference(image).repository;
}

interface PreparedSnippet {
  readonly file: string;
  readonly code: string;
}

/**
 * A README TypeScript snippet as a module: `cdk8s-rainbond` resolves to this repository's src,
 * `expr; // value` lines become checked claims, and a snippet without its own App gets one
 * (with a `chart` unless it declares one) and is synthesized at the end.
 */
function prepareSnippet(block: string, index: number): PreparedSnippet {
  let code = block.replace(/from 'cdk8s-rainbond'/g, `from '${path.join(ROOT, 'src').split(path.sep).join('/')}'`);
  code = code.replace(/^([A-Za-z_$][\w$]*(?:\.[\w$]+|\([^()]*\))+);[ \t]*\/\/[ \t]*(.+)$/gm,
    (_, expr: string, value: string) => `__claim(${JSON.stringify(expr)}, () => ${expr}, ${JSON.stringify(value.trim())});`);
  if (/new App\(/.test(code) && !/\.synth\(\)/.test(code) && /^(const|let) chart\b/m.test(code)) {
    // a snippet that makes its own App inline (`new Chart(new App(), ...)`) is synthesized through its chart
    code += '\n(chart.node.root as any).synth();\n';
  } else if (!/new App\(/.test(code)) {
    const lines = code.split('\n');
    let lastImport = -1;
    lines.forEach((line, i) => { if (line.startsWith('import ')) lastImport = i; });
    const declaresChart = /^(const|let) chart\b/m.test(code);
    lines.splice(lastImport + 1, 0,
      "import { App as __App, Chart as __Chart } from 'cdk8s';",
      'const __app = new __App();',
      ...declaresChart ? [] : ["const chart = new __Chart(__app, 'readme', { namespace: 'readme' });"]);
    lines.push('__app.synth();');
    code = lines.join('\n');
  }
  code = 'declare function __claim(expr: string, value: () => unknown, expected: string): void;\n' + code;
  return { file: path.join(ROOT, 'test', `__readme_snippet_${index}.ts`), code };
}

/** Type errors of the snippets, compiled together with the library as a user's app would be. */
function typeErrors(snippets: PreparedSnippet[]): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
  };
  const virtual = new Map(snippets.map(s => [s.file, s.code]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (name, languageVersion, ...rest) => virtual.has(name)
    ? ts.createSourceFile(name, virtual.get(name)!, languageVersion)
    : getSourceFile(name, languageVersion, ...rest);
  host.fileExists = name => virtual.has(name) || fileExists(name);
  host.readFile = name => virtual.get(name) ?? readFile(name);
  const program = ts.createProgram([...virtual.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map(d => {
    const where = d.file ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

interface SnippetRun {
  readonly objects: any[];
  readonly claims: { expr: string; actual: string; expected: string }[];
}

/** Runs a snippet as written and returns what its `app.synth()` wrote. */
function runSnippet(snippet: PreparedSnippet): SnippetRun {
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
  const js = ts.transpileModule(snippet.code, { compilerOptions }).outputText;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-snippet-'));
  const claims: SnippetRun['claims'] = [];
  const previous = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  try {
    const module = { exports: {} };
    new Function('require', 'module', 'exports', '__claim', js)(require, module, module.exports,
      (expr: string, value: () => unknown, expected: string) => claims.push({ expr, actual: String(value()), expected }));
  } finally {
    if (previous === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = previous;
  }
  const objects = fs.readdirSync(outdir).filter(f => f.endsWith('.k8s.yaml')).flatMap(f => Yaml.load(path.join(outdir, f)));
  fs.rmSync(outdir, { recursive: true, force: true });
  return { objects, claims };
}

/** Why a container does not get what its image needs; empty when it does. */
function imageProblems(workload: any, container: any): string[] {
  const image: string = container.image;
  const where = `${workload.kind} ${workload.metadata.name} container ${container.name} (${image})`;
  const preset = workload.metadata.annotations?.['rainbond.io/cluster-preset'];
  if (preset !== undefined && PRESET_IMAGES.includes(image)) return [];
  const needs = IMAGE_NEEDS[repositoryOf(image)];
  if (!needs) return [`${where}: the README names an image whose needs this test does not know; record them in IMAGE_NEEDS from its build recipe`];
  const pod = workload.spec.template.spec;
  const problems: string[] = [];
  if (container.securityContext?.readOnlyRootFilesystem !== true) problems.push(`${where}: expected the default read-only root filesystem`);
  const user = container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
  const group = container.securityContext?.runAsGroup ?? pod.securityContext?.runAsGroup;
  if (needs.user !== undefined && (user !== needs.user || group !== needs.user)) problems.push(`${where}: runs as ${user}:${group}, the image needs ${needs.user}:${needs.user}`);
  const emptyDirs = new Set((pod.volumes ?? []).filter((v: any) => v.emptyDir).map((v: any) => v.name));
  const mounts: any[] = container.volumeMounts ?? [];
  for (const dir of needs.writable) {
    const mount = mounts.find(m => m.mountPath === dir);
    if (!mount || mount.readOnly || !emptyDirs.has(mount.name)) problems.push(`${where}: ${dir} is written by the server but is not a writable emptyDir mount`);
  }
  if (needs.dataDirEnv) {
    const value: string | undefined = (container.env ?? []).find((e: any) => e.name === needs.dataDirEnv)?.value;
    const claimNames = new Set([
      ...(workload.spec.volumeClaimTemplates ?? []).map((t: any) => t.metadata.name),
      ...(pod.volumes ?? []).filter((v: any) => v.persistentVolumeClaim).map((v: any) => v.name),
    ]);
    const under = mounts.find(m => claimNames.has(m.name) && value?.startsWith(`${m.mountPath.replace(/\/+$/, '')}/`));
    if (!under) problems.push(`${where}: ${needs.dataDirEnv}=${value} is not a subdirectory of a claim's mount`);
  }
  return problems;
}

describe('README: every TypeScript snippet compiles, synthesizes valid objects and runs with the images it names', () => {
  const snippets = fencedBlocks('ts').map(prepareSnippet);

  test('there are snippets, and they type-check against the library', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(2);
    expect(typeErrors(snippets)).toEqual([]);
  });

  const runs = snippets.map(runSnippet);

  test('each synthesizes strictly valid Kubernetes 1.28 objects', () => {
    for (const run of runs) {
      expect(run.objects.length).toBeGreaterThan(0);
      for (const o of run.objects) expect(k8sSchema().errors(o)).toEqual([]);
    }
  });

  test('every `expr; // value` comment in a snippet is what the expression returns', () => {
    const claims = runs.flatMap(r => r.claims);
    expect(claims.length).toBeGreaterThan(0);
    for (const claim of claims) expect(`${claim.expr} = ${claim.actual}`).toBe(`${claim.expr} = ${claim.expected}`);
  });

  test('every container gets the user and writable paths its image needs', () => {
    const workloads = runs.flatMap(r => r.objects).filter(o => o.kind === 'StatefulSet' || o.kind === 'Deployment');
    const images = new Set<string>();
    const problems = workloads.flatMap(w => [...w.spec.template.spec.containers, ...w.spec.template.spec.initContainers ?? []]
      .flatMap((c: any) => { images.add(repositoryOf(c.image)); return imageProblems(w, c); }));
    expect(problems).toEqual([]);
    expect([...images]).toEqual(expect.arrayContaining(['nginxinc/nginx-unprivileged', 'postgres']));
  });

  test('every Secret a snippet reads is created by a kubectl command of the README', () => {
    const created = secretsCreatedByReadme();
    const read = secretsReadBy(runs.flatMap(r => r.objects));
    expect(read.size).toBeGreaterThan(0);
    for (const [id, keys] of read) expect(`${id}: ${created.get(id)?.sort().join(',')}`).toBe(`${id}: ${keys.join(',')}`);
  });

  test('the image checks catch what the old quick start got wrong', () => {
    const chart = Testing.chart();
    new RainbondComponent(chart, 'web', { deployType: DeployType.STATELESS_SINGLE, containers: [{ image: 'nginxinc/nginx-unprivileged:1.27-alpine', ports: [{ number: 8080 }] }] });
    new RainbondComponent(chart, 'db', {
      deployType: DeployType.STATEFUL_SINGLE,
      containers: [{ image: 'postgres:16', ports: [{ number: 5432 }] }],
      volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
    });
    new RainbondComponent(chart, 'search', { deployType: DeployType.STATEFUL_SINGLE, containers: [{ image: 'registry.example.com/search:2.3.1', ports: [{ number: 9200 }] }] });
    // a preset's image outside a preset is an ordinary image: its needs must be recorded too
    new RainbondComponent(chart, 'plain-mysql', { deployType: DeployType.STATEFUL_SINGLE, containers: [{ image: MysqlReplicationPreset.DEFAULT_IMAGE, ports: [{ number: 3306 }] }] });
    new RainbondComponent(chart, 'kv', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.etcd() });
    const problems = synthValid(chart).filter(o => o.kind === 'StatefulSet' || o.kind === 'Deployment')
      .flatMap(w => w.spec.template.spec.containers.flatMap((c: any) => imageProblems(w, c)));
    expect(problems).toEqual([
      expect.stringMatching(/Deployment web .*: \/tmp is written by the server but is not a writable emptyDir mount/),
      expect.stringMatching(/StatefulSet db .*: runs as 1000:1000, the image needs 999:999/),
      expect.stringMatching(/StatefulSet db .*: \/var\/run\/postgresql is written by the server/),
      expect.stringMatching(/StatefulSet db .*: PGDATA=undefined is not a subdirectory of a claim's mount/),
      expect.stringMatching(/StatefulSet search .*: the README names an image whose needs this test does not know/),
      // a preset's image outside a preset is held against that image's needs too
      expect.stringMatching(/StatefulSet plain-mysql .*\(mysql:8\.4\.3@sha256:[0-9a-f]{64}\): runs as 1000:1000, the image needs 999:999/),
      expect.stringMatching(/StatefulSet plain-mysql .*: \/var\/run\/mysqld is written by the server but is not a writable emptyDir mount/),
      expect.stringMatching(/StatefulSet plain-mysql .*: \/var\/lib\/mysql-files is written by the server but is not a writable emptyDir mount/),
      expect.stringMatching(/StatefulSet plain-mysql .*: \/tmp is written by the server but is not a writable emptyDir mount/),
    ]);
  });
});
