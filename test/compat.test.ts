/**
 * Composing with a newer cdk8s-plus: an app that uses cdk8s-plus-33 and -34 for its own objects adds this
 * library (built on cdk8s-plus-28, installed beside it) and synthesizes one app with both.
 * Uses the installed dev dependencies only (no network).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as semver from 'semver';
import { MixedVersionsChart } from './compat/mixed-versions-app';
import { findAll, findOne, synthValid } from './util/synth';

const ROOT = path.join(__dirname, '..');
const packageJson = (name: string) => JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf-8'));
const ours = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8'));
const NEWER = ['cdk8s-plus-29', 'cdk8s-plus-30', 'cdk8s-plus-31', 'cdk8s-plus-32', 'cdk8s-plus-33', 'cdk8s-plus-34'];

describe('peer-dependency ranges', () => {
  test.each(NEWER)('%s shares cdk8s and constructs ranges with this library, and the installed versions satisfy both', name => {
    const theirs = packageJson(name).peerDependencies;
    for (const shared of ['cdk8s', 'constructs']) {
      expect(semver.intersects(ours.peerDependencies[shared], theirs[shared])).toBe(true);
      const installed = packageJson(shared).version;
      expect(semver.satisfies(installed, ours.peerDependencies[shared])).toBe(true);
      expect(semver.satisfies(installed, theirs[shared])).toBe(true);
    }
  });

  test('the library needs cdk8s-plus-28 itself: a newer cdk8s-plus does not replace it', () => {
    expect(Object.keys(ours.peerDependencies).sort()).toEqual(['cdk8s', 'cdk8s-plus-28', 'constructs']);
    expect(semver.satisfies(packageJson('cdk8s-plus-28').version, ours.peerDependencies['cdk8s-plus-28'])).toBe(true);
  });
});

describe('an app with cdk8s-plus-33 and cdk8s-plus-34 objects and RainbondComponents', () => {
  const chart = new MixedVersionsChart(Testing.app(), 'shop', { namespace: 'shop' });
  const objects = synthValid(chart); // every object of both libraries valid on Kubernetes 1.28-1.33

  test('synthesizes both libraries\' objects into one manifest', () => {
    expect(findAll(objects, 'Deployment').map(d => d.metadata.name).sort()).toEqual(['admin', 'frontend', 'web']);
    expect(findOne(objects, 'StatefulSet', 'db').spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    expect(findOne(objects, 'Service', 'frontend').spec.ports).toEqual([{ port: 80, targetPort: 3000 }]);
  });

  test('cdk8s-plus-33 service account, secret and env values passed to the library render as given', () => {
    const pod = findOne(objects, 'Deployment', 'web').spec.template.spec;
    expect(pod.serviceAccountName).toBe('web');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.imagePullSecrets).toEqual([{ name: 'registry-auth' }]);
    const env = pod.containers[0].env;
    expect(env).toContainEqual({ name: 'MODE', valueFrom: { configMapKeyRef: { key: 'mode', name: 'web-settings' } } });
    expect(env).toContainEqual({ name: 'DB_HOST', value: chart.db.service!.name });
  });

  test('cdk8s-plus-34 env values passed to the library render as given', () => {
    const env = findOne(objects, 'Deployment', 'web').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'ADMIN_TOKEN', valueFrom: { secretKeyRef: { key: 'token', name: 'admin-token' } } });
    expect(env).toContainEqual({ name: 'ADMIN_URL', value: 'http://admin.shop.svc:9000' });
  });

  test('the cdk8s-plus-34 workload and the library\'s pods admit each other by labels', () => {
    const adminLabels = findOne(objects, 'Deployment', 'admin').spec.template.metadata.labels;
    const policies = findAll(objects, 'NetworkPolicy');
    // admin.connections.allowTo(web pods selected with cdk8s-plus-34): the admin pods' egress to the web pods on 8080
    const egress = policies.filter(p => p.spec.policyTypes[0] === 'Egress'
      && JSON.stringify(p.spec.podSelector.matchLabels) === JSON.stringify(adminLabels));
    expect(egress.map(p => p.spec.egress)).toContainEqual([{
      to: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
        podSelector: { matchLabels: chart.web.selectorLabels },
      }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    }]);
    // web.workload.connections.allowFrom(admin pods selected with cdk8s-plus-28): the web pods' ingress from them
    const fromAdmin = policies.filter(p => p.spec.ingress?.some((rule: any) => rule.from?.some((peer: any) =>
      peer.podSelector && Object.entries(peer.podSelector.matchLabels).every(([k, v]) => adminLabels[k] === v))));
    expect(fromAdmin.length).toBeGreaterThan(0);
    const webPodLabels = findOne(objects, 'Deployment', 'web').spec.template.metadata.labels;
    for (const policy of fromAdmin) {
      expect(webPodLabels).toMatchObject(policy.spec.podSelector.matchLabels);
      expect(policy.spec.ingress[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    }
  });

  test('a cdk8s-plus-33 ConfigMap is mounted through a cdk8s-plus-28 Volume that names it', () => {
    const pod = findOne(objects, 'Deployment', 'web').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'settings', configMap: { name: 'web-settings' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'settings', mountPath: '/etc/web' });
    expect(findOne(objects, 'ConfigMap', 'web-settings').data).toEqual({ mode: 'production' });
  });

  test('cdk8s-plus-33 policies select the library\'s pods by its stable labels', () => {
    const web = findOne(objects, 'Deployment', 'web');
    expect(chart.web.selectorLabels).toEqual({ 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' });
    expect(web.spec.selector.matchLabels).toEqual(chart.web.selectorLabels);
    expect(findOne(objects, 'NetworkPolicy', 'web-ingress-only').spec).toEqual({
      podSelector: { matchLabels: chart.web.selectorLabels }, policyTypes: ['Ingress'],
    });
    // frontend.connections.allowTo(webPods): cdk8s-plus-33 writes the egress of the frontend and the ingress of the web pods
    const frontendAddress = findOne(objects, 'Deployment', 'frontend').spec.template.metadata.labels;
    const policies = findAll(objects, 'NetworkPolicy').filter(p => JSON.stringify(p.spec).includes('"app.kubernetes.io/name":"web"'));
    const egress = policies.find(p => p.spec.policyTypes[0] === 'Egress');
    expect(egress.spec.podSelector.matchLabels).toEqual(frontendAddress);
    expect(policies.find(p => p.spec.ingress?.length)!.spec.podSelector).toEqual({ matchLabels: chart.web.selectorLabels });
    expect(egress.spec.egress[0].to).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
      podSelector: { matchLabels: chart.web.selectorLabels },
    }]);
  });

  test('the Ingress names the library\'s client Service and port', () => {
    const paths = findOne(objects, 'Ingress', 'shop').spec.rules[0].http.paths;
    expect(paths[0].backend).toEqual({ service: { name: chart.web.service!.name, port: { number: 8080 } } });
    expect(findOne(objects, 'Service', chart.web.service!.name).spec.ports[0].port).toBe(8080);
  });

  test('the library\'s cdk8s-plus-28 connections admit the cdk8s-plus-33 pods by their labels', () => {
    const frontendLabels = findOne(objects, 'Deployment', 'frontend').spec.template.metadata.labels;
    const webLabels = findOne(objects, 'Deployment', 'web').spec.template.metadata.labels;
    const ingress = findAll(objects, 'NetworkPolicy').filter(p => p.spec.ingress?.[0]?.ports?.[0]?.port === 8080);
    const fromLibrary = ingress.find(p => Object.entries(p.spec.podSelector.matchLabels).every(([k, v]) => webLabels[k] === v));
    const selected = fromLibrary.spec.ingress[0].from[0].podSelector.matchLabels;
    expect(Object.keys(selected).length).toBeGreaterThan(0);
    for (const [key, value] of Object.entries(selected)) expect(frontendLabels[key]).toBe(value);
  });
});

describe('types', () => {
  test('the fixture type-checks, and the direct passes in type-errors.ts are still type errors', () => {
    // tsc fails on any error, including an `@ts-expect-error` that is no longer an error.
    const tsc = require.resolve('typescript/bin/tsc');
    expect(() => execFileSync(process.execPath, [tsc, '-p', path.join(__dirname, 'compat', 'tsconfig.json')], { cwd: ROOT, stdio: 'pipe' }))
      .not.toThrow();
  });

  test('without the @ts-expect-error markers the direct passes fail to compile, naming both versions', () => {
    const dir = fs.mkdtempSync(path.join(ROOT, 'test', 'compat', '.tmp-'));
    try {
      const source = fs.readFileSync(path.join(__dirname, 'compat', 'type-errors.ts'), 'utf-8').replace(/\/\/ @ts-expect-error.*\n/g, '');
      fs.writeFileSync(path.join(dir, 'type-errors.ts'), source.replace(/'\.\.\/\.\.\/src'/g, '\'../../../src\''));
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
        extends: '../../../tsconfig.json', compilerOptions: { noEmit: true, rootDir: '../../..', skipLibCheck: true }, include: ['*.ts'],
      }));
      let output = '';
      try {
        execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(dir, 'tsconfig.json')], { cwd: ROOT, stdio: 'pipe' });
      } catch (e) {
        output = String((e as { stdout?: Buffer }).stdout);
      }
      expect(output.match(/error TS/g)).toHaveLength(9);
      expect(output).toContain('cdk8s-plus-33/lib/volume").Volume\' is not assignable to type \'import(');
      expect(output).toContain('cdk8s-plus-28/lib/service").Service\' is not assignable to parameter of type \'import(');
      expect(output).toContain('cdk8s-plus-34/lib/pod").LabelSelector\' is not assignable to type \'import(');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
