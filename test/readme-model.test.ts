/**
 * Every TypeScript snippet of the README's "Rainbond's component model" section, compiled and run
 * as written ('cdk8s-rainbond' resolved to src/): strictly valid Kubernetes 1.28, policy-clean, and
 * each container holding to the contract of its image (user, writable paths, data directory below
 * the data volume). Image facts from the images' published Dockerfiles (docker-library).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import * as ts from 'typescript';
import { docPage } from './util/docs';
import { workloadPolicyViolations } from './util/policy';
import { synthValid } from './util/synth';

interface ImageContract {
  readonly image: RegExp;
  /** User the image's files belong to (the pod must run as it). */
  readonly user?: number;
  /** Paths the server writes besides its data directory. */
  readonly writable: string[];
  /** Where the data directory is set: it must be a subdirectory of a claim (lost+found). */
  readonly dataDir?: (container: any) => string | undefined;
}

const CONTRACTS: ImageContract[] = [
  // nginx.conf of the unprivileged image: pid /tmp/nginx.pid, *_temp_path /tmp/...
  { image: /^nginxinc\/nginx-unprivileged:1\.27-/, writable: ['/tmp'] },
  // postgres user uid 999; unix socket in /var/run/postgresql; PGDATA
  {
    image: /^postgres:16\./,
    user: 999,
    writable: ['/var/run/postgresql', '/tmp'],
    dataDir: c => c.env?.find((e: any) => e.name === 'PGDATA')?.value,
  },
  // mysql user uid 999; /etc/my.cnf: socket and pid-file in /var/run/mysqld, secure-file-priv=/var/lib/mysql-files
  {
    image: /^mysql:8\.4\./,
    user: 999,
    writable: ['/var/run/mysqld', '/var/lib/mysql-files', '/tmp'],
    dataDir: c => (c.args ?? []).find((a: string) => a.startsWith('--datadir='))?.slice('--datadir='.length),
  },
  // redis user uid 999; WORKDIR /data (RDB and AOF files)
  { image: /^redis:7\.2\./, user: 999, writable: ['/data'] },
];

const README = docPage('docs/component-model.md');
const SECTION = README.slice(README.indexOf('<!-- model-snippets:start -->'), README.indexOf('<!-- model-snippets:end -->'));
const SNIPPETS = [...SECTION.matchAll(/```ts\n([\s\S]*?)```/g)].map(m => m[1]);
const SNIPPET_DIR = path.join(__dirname, '..', '.tmp', 'readme-snippets');

function compile(): string[] {
  fs.mkdirSync(SNIPPET_DIR, { recursive: true });
  const files = SNIPPETS.map((code, i) => {
    const file = path.join(SNIPPET_DIR, `snippet-${i}.ts`);
    fs.writeFileSync(file, code);
    return file;
  });
  // The project's own compiler options (tsconfig.json), with 'cdk8s-rainbond' mapped to src/.
  const root = path.join(__dirname, '..');
  const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile).config;
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const program = ts.createProgram(files, {
    ...options, noEmit: true, declaration: false, rootDir: root, paths: { 'cdk8s-rainbond': [path.join(root, 'src', 'index.ts')] },
  });
  return ts.getPreEmitDiagnostics(program).map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** Runs a snippet with 'cdk8s-rainbond' resolved to src/ and returns its `chart`. */
function run(code: string): Chart {
  const js = ts.transpileModule(`${code}\nmodule.exports = chart;`, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const module = { exports: {} as any };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const requireShim = (name: string) => require(name === 'cdk8s-rainbond' ? '../src' : name);
  new Function('require', 'module', 'exports', js)(requireShim, module, module.exports);
  return module.exports;
}

function claimMounts(workload: any): string[] {
  const pod = workload.spec.template.spec;
  const claimVolumes = new Set((pod.volumes ?? []).filter((v: any) => v.persistentVolumeClaim).map((v: any) => v.name));
  for (const t of workload.spec.volumeClaimTemplates ?? []) claimVolumes.add(t.metadata.name);
  return pod.containers.flatMap((c: any) => (c.volumeMounts ?? []).filter((m: any) => claimVolumes.has(m.name)).map((m: any) => m.mountPath));
}

function contractViolations(workload: any): string[] {
  if (workload.metadata.annotations?.['rainbond.io/cluster-preset']) return []; // the presets' images have their own contract tests
  const pod = workload.spec.template.spec;
  const violations: string[] = [];
  for (const container of [...pod.containers]) {
    const at = `${workload.metadata.name}/${container.name} (${container.image})`;
    const contract = CONTRACTS.find(c => c.image.test(container.image));
    if (!contract) {
      violations.push(`${at}: no recorded contract for this image`);
      continue;
    }
    const user = container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
    if (contract.user !== undefined && user !== contract.user) violations.push(`${at}: runs as ${user}, the image's files belong to ${contract.user}`);
    if (container.securityContext?.readOnlyRootFilesystem !== true) violations.push(`${at}: root filesystem is writable`);
    const writableMounts = (container.volumeMounts ?? []).filter((m: any) => !m.readOnly).map((m: any) => m.mountPath);
    for (const needed of contract.writable) {
      if (!writableMounts.includes(needed)) violations.push(`${at}: ${needed} is written by the server but not mounted writable`);
    }
    if (contract.dataDir) {
      const dir = contract.dataDir(container);
      if (!dir || !claimMounts(workload).some(m => dir.startsWith(`${m}/`))) violations.push(`${at}: data directory ${dir} is not a subdirectory of a claim`);
    }
  }
  return violations;
}

describe('README: Rainbond\'s component model snippets', () => {
  test('there are snippets, and they compile as written', () => {
    expect(SNIPPETS.length).toBeGreaterThanOrEqual(6);
    expect(compile()).toEqual([]);
  });

  test.each(SNIPPETS.map((code, i) => [i, code]))('snippet %i synthesizes valid objects that fit their images', (_i, code) => {
    const objects = synthValid(run(code as string));
    const workloads = objects.filter(o => o.kind === 'Deployment' || o.kind === 'StatefulSet');
    expect(workloads.length).toBeGreaterThan(0);
    for (const workload of workloads) {
      expect(workloadPolicyViolations(workload)).toEqual([]);
      expect(contractViolations(workload)).toEqual([]);
    }
  });
});

describe('the image contract check can fail', () => {
  test('postgres without its socket directory, with PGDATA at the mount itself, as user 1000', () => {
    const workload = {
      metadata: { name: 'db' },
      spec: {
        volumeClaimTemplates: [{ metadata: { name: 'data' } }],
        template: {
          spec: {
            securityContext: { runAsUser: 1000 },
            containers: [{
              name: 'db',
              image: 'postgres:16.4',
              securityContext: { readOnlyRootFilesystem: true },
              env: [{ name: 'PGDATA', value: '/var/lib/postgresql/data' }],
              volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }, { name: 'tmp', mountPath: '/tmp' }],
            }],
          },
        },
      },
    };
    expect(contractViolations(workload)).toEqual([
      'db/db (postgres:16.4): runs as 1000, the image\'s files belong to 999',
      'db/db (postgres:16.4): /var/run/postgresql is written by the server but not mounted writable',
      'db/db (postgres:16.4): data directory /var/lib/postgresql/data is not a subdirectory of a claim',
    ]);
  });

  test('an image without a recorded contract', () => {
    const workload = { metadata: { name: 'x' }, spec: { template: { spec: { containers: [{ name: 'x', image: 'unknown:1' }] } } } };
    expect(contractViolations(workload)).toEqual(['x/x (unknown:1): no recorded contract for this image']);
  });
});
