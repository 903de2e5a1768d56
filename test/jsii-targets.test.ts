/**
 * The names the package publishes under in other languages, and the ports of the example app
 * (example/python, example/java, example/go) against package.json. .ci/jsii-targets builds and runs
 * the ports; this catches a rename or a version bump that misses one of them without Maven or Go.
 */
import * as fs from 'fs';
import * as path from 'path';

const REPO = path.join(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(REPO, file), 'utf-8');
const pkg = JSON.parse(read('package.json'));
const targets = pkg.jsii.targets;

const [, org, repoName] = /^https:\/\/github\.com\/([a-z0-9-]+)\/([a-z0-9-]+)\.git$/.exec(pkg.repository.url) ?? [];

describe('publishable names', () => {
  test('the repository is a GitHub repository named after the package', () => {
    expect(org).toBeDefined();
    expect(repoName).toBe(pkg.name);
  });

  test('no placeholder domain in the package metadata or the jsii targets', () => {
    const metadata = JSON.stringify({ repository: pkg.repository, author: pkg.author, homepage: pkg.homepage, targets });
    expect(metadata).not.toMatch(/example\.(com|org|net)|com\.example|\bExample\b/);
  });

  test('Python: the npm name as distribution, its snake_case as module', () => {
    expect(targets.python).toEqual({ distName: pkg.name, module: pkg.name.replace(/-/g, '_') });
  });

  test('Java: the io.github.<organization> group of Maven Central, a package under it', () => {
    expect(targets.java.maven).toEqual({ groupId: `io.github.${org}`, artifactId: pkg.name });
    expect(targets.java.package).toBe(`io.github.${org.replace(/-/g, '')}`);
    expect(targets.java.package).toMatch(/^[a-z][a-z0-9]*(\.[a-z][a-z0-9]*)*$/);
  });

  test('Go: a -go repository of the organization', () => {
    expect(targets.go.moduleName).toBe(`github.com/${org}/${pkg.name}-go`);
  });

  test('.NET: one PascalCase name as package id and namespace', () => {
    const pascal = pkg.name.split('-').map((w: string) => w[0].toUpperCase() + w.slice(1)).join('');
    expect(targets.dotnet).toEqual({ namespace: pascal, packageId: pascal });
  });
});

describe('ports of the example app', () => {
  const dev = pkg.devDependencies;
  const goPackage = `${targets.go.moduleName}/${pkg.name.replace(/-/g, '')}`;

  test('Java: the pom depends on this package, cdk8s, cdk8s-plus-28 and constructs at package.json\'s versions', () => {
    const pom = read('example/java/pom.xml');
    const property = (name: string) => new RegExp(`<${name}>([^<]+)</${name}>`).exec(pom)?.[1];
    expect(property('cdk8s-rainbond.version')).toBe(pkg.version);
    expect(property('cdk8s.version')).toBe(dev.cdk8s);
    expect(property('cdk8s-plus-28.version')).toBe(dev['cdk8s-plus-28']);
    expect(property('constructs.version')).toBe(dev.constructs);
    expect(pom).toContain(`<groupId>${targets.java.maven.groupId}</groupId>\n      <artifactId>${targets.java.maven.artifactId}</artifactId>`);
    const main = read(`example/java/src/main/java/${targets.java.package.replace(/\./g, '/')}/example/Main.java`);
    expect(main).toContain(`import ${targets.java.package}.RainbondComponent;`);
  });

  test('Go: go.mod requires package.json\'s versions and replaces the module with the generated one', () => {
    const goMod = read('example/go/go.mod');
    const required = (mod: string) => new RegExp(`^\\s+${mod.replace(/[./]/g, '\\$&')} (v\\S+)`, 'm').exec(goMod)?.[1];
    expect(required('github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2')).toBe(`v${dev.cdk8s}`);
    expect(required('github.com/cdk8s-team/cdk8s-plus-go/cdk8splus28/v2')).toBe(`v${dev['cdk8s-plus-28']}`);
    expect(required('github.com/aws/constructs-go/constructs/v10')).toBe(`v${dev.constructs}`);
    expect(required(goPackage)).toBe(`v${pkg.version}`);
    expect(goMod).toMatch(new RegExp(`^replace ${goPackage.replace(/[./]/g, '\\$&')} => \\.\\./\\.\\./dist/go/${pkg.name.replace(/-/g, '')}$`, 'm'));
    expect(read('example/go/main.go')).toContain(`"${goPackage}"`);
  });

  test('Python: imports the configured module', () => {
    expect(read('example/python/main.py')).toMatch(new RegExp(`^from ${targets.python.module} import \\($`, 'm'));
  });

  test('every port builds the same chart: its id, namespace and components in the TypeScript order', () => {
    const ids = (text: string) => ['rainbond-example', 'shop', 'orders-db', 'config-store', 'web', 'search']
      .map(id => text.indexOf(`"${id}"`) >= 0 ? text.indexOf(`"${id}"`) : text.indexOf(`'${id}'`));
    const inOrder = (text: string) => {
      const at = ids(text);
      return at.every(i => i >= 0) && at.slice(2).every((i, n, a) => n === 0 || a[n - 1] < i);
    };
    for (const file of ['example/main.ts', 'example/python/main.py', 'example/go/main.go',
      `example/java/src/main/java/${targets.java.package.replace(/\./g, '/')}/example/Main.java`]) {
      expect([file, inOrder(read(file))]).toEqual([file, true]);
    }
  });
});
