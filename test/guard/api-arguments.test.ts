/**
 * Arguments and options of ManifestGuard from any jsii language (null, numbers, wrong shapes): null options
 * are the defaults; anything else unusable is the guard's own GuardInputError naming the argument or
 * option and the fix, never a raw TypeError from inside. Manifest fields: test/guard/manifest-fields.test.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { db, inputError, synthYaml } from './synth';
import { GuardReport, ManifestGuard } from '../../src/guard';

const RULE_FORMS = '<rule>, <rule>:<component> or <rule>:<namespace>/<component>';

describe('options of ManifestGuard.compare', () => {
  const before = synthYaml(db({ replicas: 3 }));
  const after = synthYaml(db({ replicas: 2 }));

  test('null options are no options (jsii passes an omitted struct as null)', () => {
    const report = ManifestGuard.compare(before, after, null as any);
    expect(report).toEqual(ManifestGuard.compare(before, after));
    expect(report.blockingCount).toBe(1);
    expect(ManifestGuard.compare(before, after, { allow: null as any })).toEqual(report);
  });

  test('a single string for allow: the list it belongs in', () => {
    expect(inputError(() => ManifestGuard.compare(before, after, { allow: 'stateful-scale-down:db' as any })).message)
      .toBe('allow (GuardOptions.allow) must be a list of strings, got string "stateful-scale-down:db": put the entry in a list, '
        + 'e.g. allow: ["stateful-scale-down:db"]');
  });

  test('another type for allow', () => {
    expect(inputError(() => ManifestGuard.compare(before, after, { allow: { rule: 'x' } as any })).message)
      .toBe(`allow (GuardOptions.allow) must be a list of strings, got a mapping (each entry ${RULE_FORMS})`);
  });

  test.each([
    ['null', [null], 'null'],
    ['a number', [5], 'number 5'],
    ['a list', ['stateful-scale-down', ['x']], 'a list'],
  ])('an allow entry that is %s names its index', (_name, allow, got) => {
    const message = inputError(() => ManifestGuard.compare(before, after, { allow: allow as any })).message;
    const index = allow.length - 1;
    expect(message).toMatch(new RegExp(`^allow\\[${index}\\] \\(GuardOptions\\.allow\\) must be a string \\(<rule>, <rule>:<component> or `
      + `<rule>:<namespace>/<component>\\), got ${got.replace(/[()]/g, '\\$&')}; valid rules: deploy-type-switch, `));
    expect(message).toContain('stateful-scale-down');
  });

  test('options that are not an object', () => {
    expect(inputError(() => ManifestGuard.compare(before, after, 5 as any)).message)
      .toBe('options (GuardOptions) must be an object such as { allow: [\'<rule>:<component>\'] }, got number 5; leave it out (or pass null) for the defaults');
  });

  test('the same for compareFiles', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'guard-bad-input-')), 'after.k8s.yaml');
    fs.writeFileSync(file, after);
    expect(ManifestGuard.compareFiles('', file, null as any).components).toHaveLength(1);
    expect(inputError(() => ManifestGuard.compareFiles('', file, { allow: 'x' as any })).message)
      .toMatch(/^allow \(GuardOptions\.allow\) must be a list of strings, got string "x"/);
  });
});

describe('the manifests of ManifestGuard.compare and compareFiles', () => {
  const text = synthYaml(db());

  test.each([
    ['a number', 5, 'number 5'],
    ['null', null, 'null'],
    ['a list of documents', [text], 'a list'],
  ])('before as %s names the argument and the first-deployment form', (_name, value, got) => {
    expect(inputError(() => ManifestGuard.compare(value as any, text)).message)
      .toBe(`ManifestGuard.compare: before must be YAML or JSON text (a string), got ${got}; pass '' when nothing is deployed yet`);
  });

  test('after that is not text', () => {
    expect(inputError(() => ManifestGuard.compare(text, undefined as any)).message)
      .toBe('ManifestGuard.compare: after must be YAML or JSON text (a string), got nothing (undefined)');
    expect(inputError(() => ManifestGuard.compare(text, { kind: 'StatefulSet' } as any)).message)
      .toBe('ManifestGuard.compare: after must be YAML or JSON text (a string), got a mapping');
  });

  test('paths that are not strings', () => {
    expect(inputError(() => ManifestGuard.compareFiles(null as any, '/no/such/dir')).message)
      .toBe('ManifestGuard.compareFiles: beforePath must be the path of a file or directory (a string), got null; pass \'\' when nothing is deployed yet');
    // a number would otherwise be read as a file descriptor
    expect(inputError(() => ManifestGuard.compareFiles('', 5 as any)).message)
      .toBe('ManifestGuard.compareFiles: afterPath must be the path of a file or directory (a string), got number 5');
  });
});

describe('ManifestGuard.format', () => {
  const report = ManifestGuard.compare(synthYaml(db({ replicas: 3 })), synthYaml(db({ replicas: 2 })));

  test('null options are no options', () => {
    expect(ManifestGuard.format(report, null as any)).toBe(ManifestGuard.format(report));
    expect(ManifestGuard.format(report, { verbose: null as any })).toBe(ManifestGuard.format(report));
  });

  test('options that are not an object', () => {
    expect(inputError(() => ManifestGuard.format(report, true as any)).message)
      .toBe('options (GuardFormatOptions) must be an object such as { verbose: true }, got boolean true; leave it out (or pass null) for the defaults');
  });

  test.each([
    ['null', null, 'report must be a GuardReport, got null'],
    ['a string', 'BLOCKED', 'report must be a GuardReport, got string "BLOCKED"'],
    ['a report without components', { ...report, components: undefined }, 'report.components must be a list, got nothing (undefined)'],
    ['a report without skipped', { ...report, skipped: null }, 'report.skipped must be a list, got null'],
    ['a component that is null', { ...report, components: [null] }, 'report.components[0] must be a GuardComponentReport, got null'],
    ['findings that are a string', { ...report, components: [{ ...report.components[0], findings: 'none' }] },
      'report.components[0].findings must be a list, got string "none"'],
    ['a finding without steps', { ...report, components: [{ ...report.components[0], findings: [{ ...report.components[0].findings[0], steps: 3 }] }] },
      'report.components[0].findings[0].steps must be a list, got number 3'],
  ])('a report that is %s names the field', (_name, value, problem) => {
    expect(inputError(() => ManifestGuard.format(value as unknown as GuardReport)).message)
      .toBe(`ManifestGuard.format: ${problem}; pass the report that ManifestGuard.compare or ManifestGuard.compareFiles returns`);
  });

  test('a report that went through JSON still formats', () => {
    expect(ManifestGuard.format(JSON.parse(JSON.stringify(report)))).toBe(ManifestGuard.format(report));
  });
});
