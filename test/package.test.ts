/**
 * The npm package as a user installs it: compiled from src/ first (a fresh clone has no lib/), packed
 * with `npm pack`, and used from the packed layout, with nothing of the repository reachable.
 * Runs every spawned program on the Node that runs the tests (`process.execPath`), so the same file
 * proves the packed library on another Node when jest runs there (.ci/node-versions).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import { compileLibrary, installPackedLayout, PackResult, packDryRun, packTarball, REPO } from './util/pack';

jest.setTimeout(240_000);

const pkgJson = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf-8'));

/** Every module under src/ (tests excluded) as its path without extension, e.g. `cli/guard`. */
function sourceModules(dir = path.join(REPO, 'src'), prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    if (entry.isDirectory()) return sourceModules(path.join(dir, entry.name), `${prefix}${entry.name}/`);
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts') || entry.name.endsWith('.test.ts')) return [];
    return [`${prefix}${entry.name.slice(0, -'.ts'.length)}`];
  });
}

/** Why a path may be in the tarball, or undefined when it must not be. */
function allowedBecause(file: string): string | undefined {
  if (['package.json', 'README.md', 'LICENSE', 'API.md', '.jsii'].includes(file)) return 'package metadata and docs';
  if (Object.values(pkgJson.bin as Record<string, string>).includes(file)) return 'bin';
  if (/^lib\/.+(\.js|\.d\.ts)$/.test(file)) return 'compiled library';
  const bundled = (pkgJson.bundledDependencies ?? []) as string[];
  if (bundled.some(dep => file.startsWith(`node_modules/${dep}/`))) return 'bundled dependency';
  return undefined;
}

let packed: PackResult;
let tarball: string;
let app: string;

beforeAll(() => {
  compileLibrary();
  packed = packDryRun();
  tarball = packTarball(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-rainbond-pack-')));
  app = installPackedLayout(tarball);
});

afterAll(() => {
  for (const dir of [app, tarball && path.dirname(tarball)]) {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('tarball contents', () => {
  test('only the library, its assembly, the CLI, the docs and the bundled dependencies', () => {
    const unexpected = packed.files.map(f => f.path).filter(p => allowedBecause(p) === undefined);
    expect(unexpected).toEqual([]);
  });

  test('none of the development folders and files', () => {
    const paths = packed.files.map(f => f.path);
    for (const prefix of ['src/', 'test/', 'bench/', 'example/', '.ci/', '.projen/', 'projenrc/', 'dist/', 'coverage/']) {
      expect(paths.filter(p => p.startsWith(prefix))).toEqual([]);
    }
    for (const file of ['BENCHMARKS.md', 'tsconfig.json', '.projenrc.ts', '.npmignore', '.gitignore', 'package-lock.json']) {
      expect(paths).not.toContain(file);
    }
  });

  test('every module of src/ is shipped compiled with its declarations', () => {
    const paths = new Set(packed.files.map(f => f.path));
    const modules = sourceModules();
    expect(modules).toContain('index');
    expect(modules).toContain('cli/guard');
    const missing = modules.flatMap(m => [`lib/${m}.js`, `lib/${m}.d.ts`]).filter(p => !paths.has(p));
    expect(missing).toEqual([]);
    for (const file of ['package.json', 'README.md', 'LICENSE', 'API.md', '.jsii', pkgJson.main, pkgJson.types]) {
      expect(paths).toContain(file);
    }
  });

  test('the bin script is executable and the bundled dependencies are complete', () => {
    for (const bin of Object.values(pkgJson.bin as Record<string, string>)) {
      const entry = packed.files.find(f => f.path === bin);
      expect(entry).toBeDefined();
      expect(entry!.mode.toString(8)).toMatch(/[1357][1357][1357]$/); // executable by owner, group and others
    }
    for (const dep of pkgJson.bundledDependencies as string[]) {
      expect(packed.files.map(f => f.path)).toContain(`node_modules/${dep}/package.json`);
    }
  });

  test('no source map points to files that are not shipped', () => {
    const withMaps = packed.files.map(f => f.path).filter(p => p.startsWith('lib/') && p.endsWith('.js'))
      .filter(p => fs.readFileSync(path.join(REPO, p), 'utf-8').includes('sourceMappingURL'));
    expect(withMaps).toEqual([]);
  });
});

describe('packed layout', () => {
  function runNode(args: string[], cwd = app) {
    return spawnSync(process.execPath, args, { cwd, encoding: 'utf-8', timeout: 120_000 });
  }

  /** A cdk8s app using the installed package only, writing dist/<chart>.k8s.yaml. */
  function writeApp(file: string, deployType: string): void {
    fs.writeFileSync(path.join(app, file), `
const { App, Chart } = require('cdk8s');
const { ClusterPreset, DeployType, RainbondComponent } = require('cdk8s-rainbond');
const app = new App({ outdir: process.argv[2] });
const chart = new Chart(app, 'shop', { namespace: 'shop' });
new RainbondComponent(chart, 'db', {
  deployType: DeployType.${deployType},
  containers: [{ image: 'registry.example.com/db:1', ports: [{ number: 5432 }] }],
  volumes: [{ name: 'data', mountPath: '/var/lib/db' }],
});
new RainbondComponent(chart, 'config-store', { deployType: DeployType.STATEFUL_MULTIPLE, replicas: 3, preset: ClusterPreset.etcd() });
app.synth();
`);
  }

  test('the library resolves from node_modules/cdk8s-rainbond, not from the repository', () => {
    const result = runNode(['-p', "require.resolve('cdk8s-rainbond') + '\\n' + require.resolve('yaml', { paths: [require.resolve('cdk8s-rainbond')] })"]);
    expect(result.stderr).toBe('');
    const [lib, yaml] = result.stdout.trim().split('\n').map(p => fs.realpathSync(p));
    expect(lib).toBe(fs.realpathSync(path.join(app, 'node_modules', 'cdk8s-rainbond', 'lib', 'index.js')));
    expect(yaml.startsWith(fs.realpathSync(path.join(app, 'node_modules', 'cdk8s-rainbond', 'node_modules', 'yaml')))).toBe(true);
  });

  test('an app synthesizes and the guard CLI compares two synths from the packed layout', () => {
    writeApp('before.js', 'STATEFUL_SINGLE');
    writeApp('after.js', 'STATELESS_SINGLE');
    for (const [script, out] of [['before.js', 'dist-before'], ['after.js', 'dist-after']]) {
      const synth = runNode([script, out]);
      expect(synth.stderr).toBe('');
      expect(synth.status).toBe(0);
    }
    // cdk8s writes one file per chart, named after the chart: dist/<chart>.k8s.yaml.
    expect(fs.readdirSync(path.join(app, 'dist-before'))).toEqual(['shop.k8s.yaml']);
    expect(fs.readFileSync(path.join(app, 'dist-before', 'shop.k8s.yaml'), 'utf-8')).toContain('kind: StatefulSet');

    const bin = path.join(app, 'node_modules', 'cdk8s-rainbond', pkgJson.bin['cdk8s-rainbond']);
    const help = runNode([bin, 'guard', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('deploy-type-switch');

    const same = runNode([bin, 'guard', '--before', 'dist-before/shop.k8s.yaml', '--after', 'dist-before']);
    expect(same.stderr).toBe('');
    expect(same.status).toBe(0);

    const switched = runNode([bin, 'guard', '--before', 'dist-before/shop.k8s.yaml', '--after', 'dist-after']);
    expect(switched.status).toBe(1);
    expect(switched.stdout).toContain('deploy-type-switch');
  });

  test('stack traces of the packed library name files that exist in the package', () => {
    // With --enable-source-maps Node maps frames through any source map it finds; none may point at src/*.ts.
    const result = runNode(['--enable-source-maps', '-e', `
const { App, Chart } = require('cdk8s');
const { DeployType, RainbondComponent } = require('cdk8s-rainbond');
try {
  new RainbondComponent(new Chart(new App(), 'c'), 'web', { deployType: DeployType.STATELESS_SINGLE, replicas: 3, containers: [{ image: 'x:1' }] });
} catch (e) { process.stdout.write(e.stack); process.exit(0); }
process.exit(3);
`]);
    expect(result.status).toBe(0);
    const pkgRoot = fs.realpathSync(path.join(app, 'node_modules', 'cdk8s-rainbond'));
    const frames = [...result.stdout.matchAll(/\(?((?:\/[^\s:()]+)+):\d+:\d+\)?/g)].map(m => m[1])
      .filter(file => file.includes(`${path.sep}cdk8s-rainbond${path.sep}`));
    expect(frames.length).toBeGreaterThan(0);
    for (const file of frames) {
      expect(file.startsWith(pkgRoot)).toBe(true);
      expect(fs.existsSync(file)).toBe(true);
    }
  });

  test('the tarball is named as the README says (npm pack output)', () => {
    expect(path.basename(tarball)).toBe(`cdk8s-rainbond-${pkgJson.version}.tgz`);
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf-8');
    expect(readme).toContain(`npm install ../cdk8s-rainbond/${path.basename(tarball)} cdk8s cdk8s-plus-28 constructs`);
    expect(execFileSync('tar', ['-tzf', tarball], { encoding: 'utf-8' })).toContain('package/lib/index.js');
  });
});

describe('file names the README\'s guard step relies on (cdk8s App.synth)', () => {
  function synthFiles(props: { yamlOutputType?: YamlOutputType }, dependent: boolean): string[] {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-names-'));
    try {
      const cdk8sApp = new App({ outdir, ...props });
      const shop = new Chart(cdk8sApp, 'shop');
      const infra = new Chart(cdk8sApp, 'infra');
      if (dependent) shop.addDependency(infra);
      cdk8sApp.synth();
      return fs.readdirSync(outdir).sort();
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }

  test('one <chart id>.k8s.yaml per chart by default', () => {
    expect(synthFiles({}, false)).toEqual(['infra.k8s.yaml', 'shop.k8s.yaml']);
  });

  test('app.k8s.yaml with FILE_PER_APP', () => {
    expect(synthFiles({ yamlOutputType: YamlOutputType.FILE_PER_APP }, false)).toEqual(['app.k8s.yaml']);
  });

  test('an index prefix in dependency order on every file once a chart depends on another', () => {
    expect(synthFiles({}, true)).toEqual(['0000-infra.k8s.yaml', '0001-shop.k8s.yaml']);
  });
});
