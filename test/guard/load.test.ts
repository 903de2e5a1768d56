import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { db, etcd, synthYaml, web } from './synth';
import { compareQuantities, parseQuantity } from '../../src/_quantity';
import { GuardRule, ManifestGuard } from '../../src/guard';
import { GuardInputError, loadManifests, loadManifestText, parseManifestText } from '../../src/guard/load';
import { OuterAccess } from '../../src/outer-access';
import { EtcdPreset } from '../../src/presets/etcd';

const FIXTURES = path.join(__dirname, 'fixtures');

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'guard-load-'));
}

function inputError(fn: () => unknown): GuardInputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GuardInputError);
    return e as GuardInputError;
  }
  throw new Error('expected a GuardInputError');
}

describe('parsing', () => {
  test('reads every document of a multi-document file and skips empty ones', () => {
    const objects = parseManifestText(`---\n${synthYaml(web())}\n---\n---\n`, 'x.yaml');
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['Deployment/web', 'PersistentVolumeClaim/web-files', 'Service/web-client']);
  });

  test('uses the YAML 1.1 schema cdk8s writes (yes/no are booleans, 0644 is octal)', () => {
    const [obj] = parseManifestText('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  flag: yes\n  mode: 0644\n', 'c.yaml');
    expect(obj.data.flag).toBe(true);
    expect(obj.data.mode).toBe(420);
  });

  test('expands List objects', () => {
    const objects = parseManifestText('apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Service, metadata: {name: a}}\n- {apiVersion: v1, kind: Service, metadata: {name: b}}\n', 'l.yaml');
    expect(objects.map(o => o.metadata.name)).toEqual(['a', 'b']);
  });

  test('malformed YAML names the file and the position', () => {
    const error = inputError(() => loadManifests(path.join(FIXTURES, 'malformed.yaml')));
    expect(error.message).toMatch(/malformed\.yaml: malformed YAML: .*line \d+/);
  });

  test('malformed JSON names the file', () => {
    expect(inputError(() => loadManifests(path.join(FIXTURES, 'malformed.json'))).message).toMatch(/malformed\.json: malformed JSON/);
  });

  test('a document without kind names the document and the missing field', () => {
    expect(inputError(() => loadManifests(path.join(FIXTURES, 'missing-kind.yaml'))).message)
      .toMatch(/missing-kind\.yaml \(document 1\): not a Kubernetes object, missing kind$/);
  });

  test('a scalar document is not an object', () => {
    expect(inputError(() => loadManifests(path.join(FIXTURES, 'scalar.yaml'))).message).toContain('expected a Kubernetes object');
  });

  test('an object defined twice is refused', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: apps}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: apps}\n';
    expect(inputError(() => loadManifestText(text, 'dup.yaml')).message).toBe('dup.yaml: Service apps/a appears twice; each object must be defined once');
  });

  test('an unquoted YAML 1.1 boolean as namespace is refused with the fix', () => {
    const error = inputError(() => loadManifestText('apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: no}\n', 'ns.yaml'));
    expect(error.message).toContain('ns.yaml: Service a: metadata.namespace must be a string, got boolean false');
    expect(error.message).toContain('quote the value');
  });
});

describe('files and directories', () => {
  test('reads *.yaml, *.yml and *.json recursively and ignores other files', () => {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, 'nested'));
    fs.writeFileSync(path.join(dir, 'a.k8s.yaml'), synthYaml(web()));
    fs.writeFileSync(path.join(dir, 'nested', 'b.json'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'apps' } }));
    fs.writeFileSync(path.join(dir, 'c.yml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: apps}\n');
    fs.writeFileSync(path.join(dir, 'README.md'), '# not a manifest: [');
    const set = loadManifests(dir);
    expect([...set.objects.keys()].sort()).toEqual([
      'ConfigMap/apps/cm', 'Deployment/apps/web', 'PersistentVolumeClaim/apps/web-files', 'Secret/apps/s', 'Service/apps/web-client',
    ]);
  });

  test('an empty directory is unusable input', () => {
    const dir = tmpDir();
    expect(inputError(() => loadManifests(dir)).message).toBe(`${dir}: no manifests (*.yaml, *.yml, *.json) in this directory`);
  });

  test('an empty file is unusable input', () => {
    const file = path.join(tmpDir(), 'empty.yaml');
    fs.writeFileSync(file, '# nothing here\n');
    expect(inputError(() => loadManifests(file)).message).toBe(`${file}: contains no Kubernetes objects`);
  });

  test('a missing path is unusable input', () => {
    expect(inputError(() => loadManifests('/nonexistent/guard/dir')).message).toBe('/nonexistent/guard/dir: no such file or directory');
  });
});

describe('objects the guard does not check', () => {
  const foreign = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: apps}\n';
  const unknownKind = 'apiVersion: example.com/v1\nkind: Backup\nmetadata: {name: nightly, namespace: apps, annotations: {rainbond.io/component: db}}\n';

  test('unknown kinds are listed as skipped, objects not made by this library as foreign', () => {
    const report = ManifestGuard.compare(`${synthYaml(db())}---\n${foreign}`, `${synthYaml(db())}---\n${foreign}---\n${unknownKind}`);
    expect(report.skipped).toEqual(['Backup apps/nightly: unknown kind Backup, not checked']);
    expect(report.foreign).toEqual(['ConfigMap apps/settings: not made by cdk8s-rainbond (no rainbond.io/component annotation)']);
    expect(report.blocked).toBe(false);
  });

  test("the library's own kinds are not called unknown: a preset's NetworkPolicy, an outer-access Ingress", () => {
    const [id, props] = etcd(3);
    const guarded = synthYaml([id, { ...props, preset: new EtcdPreset({ networkPolicy: { clients: [{ podLabels: { app: 'shop' } }] } }) }],
      web({ portSettings: [{ port: 8080, outerAccess: OuterAccess.ingress({ host: 'shop.example.com' }) }] }));
    expect(guarded).toMatch(/^kind: NetworkPolicy$/m);
    expect(guarded).toMatch(/^kind: Ingress$/m);
    const report = ManifestGuard.compare(guarded, guarded);
    expect(report.skipped).toEqual([]);
    expect(report.foreign).toEqual([]);
  });

  test('inputs without any cdk8s-rainbond object are unusable', () => {
    expect(inputError(() => ManifestGuard.compare(foreign, foreign)).message)
      .toBe('neither before nor after contains objects made by cdk8s-rainbond (annotation rainbond.io/component); the guard has nothing to check');
  });

  test('an unknown rule in allow is refused with the valid rule ids', () => {
    const error = inputError(() => ManifestGuard.compare(synthYaml(db()), synthYaml(db()), { allow: ['scale-down'] }));
    expect(error.message).toContain("unknown rule 'scale-down'");
    expect(error.message).toContain(GuardRule.STATEFUL_SCALE_DOWN);
  });

  test('an allow entry with an empty component is refused', () => {
    expect(inputError(() => ManifestGuard.compare(synthYaml(db()), synthYaml(db()), { allow: ['immutable-field:'] })).message)
      .toContain('missing component');
  });
});

describe('parseQuantity', () => {
  test.each([
    ['10Gi', 10 * 2 ** 30],
    ['500M', 500e6],
    ['1.5Ti', 1.5 * 2 ** 40],
    ['1e3', 1000],
    ['100m', 0.1],
    [42, 42],
  ])('%s', (value, bytes) => {
    expect(parseQuantity(value)).toBeCloseTo(bytes);
  });

  test.each(['ten', '10Xi', 'constructor', undefined])('%s is not a quantity', value => {
    expect(parseQuantity(value)).toBeUndefined();
  });
});

describe('compareQuantities', () => {
  test.each([
    ['1024Gi', '1Ti', 0],
    ['0.7', '700m', 0],
    ['1e3', '1k', 0],
    ['1.5Gi', '1536Mi', 0],
    [2, '2000m', 0],
    ['1Gi', '1G', 1],
    ['999Mi', '1Gi', -1],
    ['-1', '0', -1],
    ['1E', '1Ei', -1],
  ])('%s vs %s: %d', (a, b, expected) => {
    expect(compareQuantities(a, b)).toBe(expected);
  });

  test.each([['ten', '1'], ['1', '10Xi'], ['.', '1'], [undefined, '1'], ['1', 'constructor']])('%s vs %s cannot be compared', (a, b) => {
    expect(compareQuantities(a, b)).toBeUndefined();
  });
});
