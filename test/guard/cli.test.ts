import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { db, etcd, findObject, synthObjects, synthYaml, toYaml, web } from './synth';
import { CliIo, main } from '../../src/cli/guard';
import { GuardRule, ManifestGuard } from '../../src/guard';

const FIXTURES = path.join(__dirname, 'fixtures');

interface Captured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(...argv: string[]): Promise<Captured> {
  return runWithStdin('', ...argv);
}

async function runWithStdin(stdin: string, ...argv: string[]): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: t => { stdout += t; }, err: t => { stderr += t; }, readStdin: async () => stdin };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** Writes YAML into a fresh directory as `<name>.k8s.yaml`, as `cdk8s synth` does. */
function distDir(yaml: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-cli-'));
  fs.writeFileSync(path.join(dir, 'app.k8s.yaml'), yaml);
  return dir;
}

function expectNoStackTrace(result: Captured): void {
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stdout).not.toMatch(/\n\s+at /);
}

describe('exit codes', () => {
  test('0 and a readable report when nothing blocks', async () => {
    const result = await run('guard', '--before', distDir(synthYaml(web())), '--after', distDir(synthYaml(web({ labels: { team: 'a' } }))), '--verbose');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('apps/web (stateless_singleton, 1 replica): no findings');
    expect(result.stdout).toContain('OK: 0 blocking, 0 allowed, 0 notice(s)');
    expect(result.stderr).toBe('');
  });

  test('1 when a blocking finding remains, with the finding, objects and steps', async () => {
    const result = await run('guard', '--before', distDir(synthYaml(db())), '--after', distDir(synthYaml(db({ replicas: 2 }))));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('BLOCKING [stateful-scale-down]');
    expect(result.stdout).toContain('objects: StatefulSet apps/db, PersistentVolumeClaim apps/data-db-2');
    expect(result.stdout).toContain('3. Delete the retained claims');
    expect(result.stdout).toContain('BLOCKED: 1 blocking');
  });

  test('--allow (repeatable) acknowledges findings and the run passes', async () => {
    const before = distDir(synthYaml(etcd(5)));
    const after = distDir(synthYaml(etcd(3)));
    const result = await run('guard', '--before', before, '--after', after, '--allow', 'quorum-member-change', '--allow=stateful-scale-down:db/etcd');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ALLOWED [quorum-member-change]');
    expect(result.stdout).toContain('ALLOWED [stateful-scale-down]');
    expect(result.stdout).toContain('OK: 0 blocking, 2 allowed');
  });

  test('a notice alone exits 0', async () => {
    const single = (image: string) => db({ deployType: 'state_singleton' as any, replicas: 1, containers: [{ image, portNumber: 6379 }] });
    const result = await run('guard', '--before', distDir(synthYaml(single('redis:7.0'))), '--after', distDir(synthYaml(single('redis:7.2'))));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('NOTICE [single-instance-downtime]');
  });

  test('files work as well as directories', async () => {
    const before = path.join(distDir(synthYaml(db())), 'app.k8s.yaml');
    const after = path.join(distDir(synthYaml(db({ deployType: 'stateless_multiple' as any }))), 'app.k8s.yaml');
    const result = await run('guard', '--before', before, '--after', after);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('[deploy-type-switch]');
  });
});

describe('--json', () => {
  test('prints the report with the exit code', async () => {
    const result = await run('guard', '--json', '--before', distDir(synthYaml(etcd(3))), '--after', distDir(synthYaml(etcd(5))));
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.exitCode).toBe(1);
    expect(report.blocked).toBe(true);
    expect(report.components).toHaveLength(1);
    expect(report.components[0]).toMatchObject({ namespace: 'db', component: 'etcd', change: 'state_multiple, 3 -> 5 replicas, preset etcd' });
    expect(report.components[0].findings[0]).toMatchObject({ rule: 'quorum-member-change', severity: 'blocking', acknowledged: false, objects: ['StatefulSet db/etcd'] });
  });

  test('prints unusable input as JSON too', async () => {
    const result = await run('guard', '--json', '--before', path.join(FIXTURES, 'malformed.yaml'), '--after', path.join(FIXTURES, 'malformed.yaml'));
    expect(result.code).toBe(2);
    const output = JSON.parse(result.stdout);
    expect(output.exitCode).toBe(2);
    expect(output.error).toContain('malformed YAML');
  });
});

describe('unusable input exits 2 with a clear message and no stack trace', () => {
  const good = () => distDir(synthYaml(db()));

  test.each([
    ['malformed YAML', () => ['--before', path.join(FIXTURES, 'malformed.yaml'), '--after', good()], /malformed\.yaml: malformed YAML: /],
    ['a document without kind', () => ['--before', good(), '--after', path.join(FIXTURES, 'missing-kind.yaml')], /missing kind/],
    ['an empty --after folder', () => ['--before', good(), '--after', fs.mkdtempSync(path.join(os.tmpdir(), 'guard-empty-'))], /no manifests \(\*\.yaml, \*\.yml, \*\.json\) in this directory/],
    ['a missing path', () => ['--before', '/no/such/dir', '--after', good()], /\/no\/such\/dir: no such file or directory/],
    ['objects not made by this library', () => {
      const foreign = distDir('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: x}\n');
      return ['--before', foreign, '--after', foreign];
    }, /nothing to check/],
    ['a manifest field of the wrong type', () => {
      const objects = synthObjects(db());
      findObject(objects, 'StatefulSet', 'db').spec.template.spec.containers = 'postgres:16';
      return ['--before', good(), '--after', distDir(toYaml(objects))];
    }, /app\.k8s\.yaml \(document 2\): StatefulSet apps\/db: spec\.template\.spec\.containers must be a list, got string "postgres:16"; the API server refuses such an object too: /],
    ['an unknown rule in --allow', () => ['--before', good(), '--after', good(), '--allow', 'everything'], /unknown rule 'everything'/],
    ['a missing --after', () => ['--before', good()], /missing --after <dir\|file>/],
    ['an unknown option', () => ['--before', good(), '--after', good(), '--force'], /Unknown option '--force'.*--help/],
    ['a positional argument', () => ['--before', good(), '--after', good(), 'extra'], /extra/],
  ])('%s', async (_name, args, message) => {
    const result = await run('guard', ...args());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^cdk8s-rainbond guard: /);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expectNoStackTrace(result);
  });

  test('unknown kinds are skipped with a message, not an error', async () => {
    const extra = 'apiVersion: example.com/v1\nkind: Backup\nmetadata: {name: nightly, namespace: apps, annotations: {rainbond.io/component: db}}\n';
    const result = await run('guard', '--before', distDir(synthYaml(db())), '--after', distDir(`${synthYaml(db())}---\n${extra}`));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('skipped 1 object(s):\n  - Backup apps/nightly: unknown kind Backup, not checked');
  });
});

describe('commands and help', () => {
  test('guard --help lists every rule id and the exit codes', async () => {
    const result = await run('guard', '--help');
    expect(result.code).toBe(0);
    for (const rule of Object.values(GuardRule)) expect(result.stdout).toContain(`  ${rule} `);
    expect(result.stdout).toContain('Exit codes: 0 nothing blocks, 1 a blocking finding remains, 2 unusable input.');
  });

  test('--help at the top level names the guard command', async () => {
    const result = await run('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('guard   check a manifest change');
  });

  test('no command and unknown commands exit 2', async () => {
    expect((await run()).stderr).toContain('missing command');
    const unknown = await run('synth');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'synth'");
  });
});

test('ManifestGuard.compareFiles is the same check as the CLI, for library users', () => {
  const report = ManifestGuard.compareFiles(distDir(synthYaml(db())), distDir(synthYaml(db({ replicas: 1 }))));
  expect(report.blockingCount).toBe(1);
  expect(report.components[0].findings[0].rule).toBe(GuardRule.STATEFUL_SCALE_DOWN);
  expect(ManifestGuard.format(report)).toContain('BLOCKING [stateful-scale-down] stateful component db scales down from 3 to 1');
});

describe('first deployment: nothing before', () => {
  const app = () => synthYaml(db(), web(), etcd(3));

  test.each([
    ['--before omitted', () => [] as string[]],
    ["--before ''", () => ['--before', '']],
    ['--before an empty file', () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'guard-first-')), 'deployed.k8s.yaml');
      fs.writeFileSync(file, '');
      return ['--before', file];
    }],
    ['--before an empty directory', () => ['--before', fs.mkdtempSync(path.join(os.tmpdir(), 'guard-first-'))]],
  ])('%s: every component is new, exit 0', async (_name, before) => {
    const result = await run('guard', ...before(), '--after', distDir(app()));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^before: nothing deployed yet, every component is new \(first deployment\)\n/);
    expect(result.stdout).toContain('checked 3 component(s)');
    expect(result.stdout).toContain('NOTICE [component-added] new component etcd');
    expect(result.stdout).toContain('NOTICE [component-added] new component web');
    expect(result.stdout).toContain('OK: 0 blocking, 0 allowed, 3 notice(s)');
    const json = JSON.parse((await run('guard', ...before(), '--after', distDir(app()), '--json')).stdout);
    expect(json.nothingBefore).toBe(true);
    expect(json.blockingCount).toBe(0);
    expect(json.components.flatMap((c: any) => c.findings.map((f: any) => f.severity))).toEqual(['notice', 'notice', 'notice']);
    expect(json.components.map((c: any) => c.change)).toEqual(['added (state_multiple, 3 replicas)', 'added (stateless_singleton, 1 replica)', 'added (state_multiple, 3 replicas)']);
  });

  test('a --before path that does not exist stays an error (a typo must not pass everything)', async () => {
    const result = await run('guard', '--before', '/no/such/deployed.yaml', '--after', distDir(app()));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/no/such/deployed.yaml: no such file or directory');
  });
});

describe('stdin', () => {
  test('--before - reads what is deployed from stdin', async () => {
    const result = await runWithStdin(synthYaml(db()), 'guard', '--before', '-', '--after', distDir(synthYaml(db({ replicas: 2 }))));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('BLOCKING [stateful-scale-down]');
  });

  test('--after - reads the new manifests from stdin', async () => {
    const result = await runWithStdin(synthYaml(db({ replicas: 2 })), 'guard', '--before', distDir(synthYaml(db())), '--after', '-');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('BLOCKING [stateful-scale-down]');
  });

  test('empty stdin for --before is a first deployment', async () => {
    const result = await runWithStdin('', 'guard', '--before', '-', '--after', distDir(synthYaml(db())));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('nothing deployed yet');
  });

  test('both sides cannot read stdin', async () => {
    const result = await run('guard', '--before', '-', '--after', '-');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--before and --after can't both read stdin (-)");
  });

  test('malformed stdin names its source', async () => {
    const result = await runWithStdin('kind: [', 'guard', '--before', '-', '--after', distDir(synthYaml(db())));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('before (stdin): malformed YAML');
  });
});

describe('--verbose', () => {
  const foreign = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: apps}\n';

  test('the default output leaves out unchanged components and foreign objects, --verbose lists them', async () => {
    const before = distDir(`${synthYaml(db(), web())}---\n${foreign}`);
    const after = distDir(`${synthYaml(db({ replicas: 2 }), web())}---\n${foreign}`);
    const quiet = await run('guard', '--before', before, '--after', after);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toContain('apps/db (state_multiple, 3 -> 2 replicas)');
    expect(quiet.stdout).not.toContain('apps/web');
    expect(quiet.stdout).not.toContain('ConfigMap apps/settings');
    expect(quiet.stdout).toContain('not listed: 1 component(s) without findings, 1 object(s) not made by cdk8s-rainbond (--verbose lists them)');
    const verbose = await run('guard', '--before', before, '--after', after, '--verbose');
    expect(verbose.code).toBe(1);
    expect(verbose.stdout).toContain('apps/web (stateless_singleton, 1 replica): no findings');
    expect(verbose.stdout).toContain('  - ConfigMap apps/settings: not made by cdk8s-rainbond (no rainbond.io/component annotation)');
    expect(verbose.stdout).not.toContain('not listed');
  });
});

test('ManifestGuard takes nothing deployed as a first deployment too; a missing before path stays an error', () => {
  const fromText = ManifestGuard.compare('', synthYaml(db()));
  expect(fromText.blocked).toBe(false);
  expect(fromText.components.flatMap(c => c.findings.map(f => f.rule))).toEqual([GuardRule.COMPONENT_ADDED]);
  const fromDir = ManifestGuard.compareFiles(fs.mkdtempSync(path.join(os.tmpdir(), 'guard-first-')), distDir(synthYaml(db())));
  expect(fromDir.components.map(c => c.change)).toEqual(['added (state_multiple, 3 replicas)']);
  expect(() => ManifestGuard.compareFiles('/no/such/dir', distDir(synthYaml(db())))).toThrow('/no/such/dir: no such file or directory');
  // an empty after side is never "nothing to apply"
  expect(() => ManifestGuard.compare(synthYaml(db()), '')).toThrow('after: contains no Kubernetes objects');
});
