import { Testing, Yaml } from 'cdk8s';
import { RainbondComponent } from '../../src/component';
import { RainbondComponentProps } from '../../src/component-props';
import { DeployType } from '../../src/deploy-type';
import { GuardFinding, GuardReport, GuardRule } from '../../src/guard';
import { GuardInputError } from '../../src/guard/load';
import { EtcdPreset } from '../../src/presets/etcd';

/** A component to synthesize: construct id and props. */
export type ComponentSpec = [string, RainbondComponentProps];

/** Synthesizes the components into one chart and returns its objects (plain JSON). */
export function synthObjects(...components: ComponentSpec[]): any[] {
  const chart = Testing.chart();
  for (const [id, props] of components) new RainbondComponent(chart, id, props);
  return Testing.synth(chart);
}

/** Multi-document YAML as cdk8s writes it. */
export function toYaml(objects: any[]): string {
  return Yaml.stringify(...objects);
}

/** Synthesizes the components and returns the YAML cdk8s would write. */
export function synthYaml(...components: ComponentSpec[]): string {
  return toYaml(synthObjects(...components));
}

/** The object of a kind and name (never by position). */
export function findObject(objects: any[], kind: string, name: string): any {
  const found = objects.find(o => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${objects.map(o => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

/** Stateful multiple component `db` in namespace `apps` with a `data` volume. */
export function db(overrides: Partial<RainbondComponentProps> = {}): ComponentSpec {
  return ['db', {
    deployType: DeployType.STATEFUL_MULTIPLE,
    replicas: 3,
    namespace: 'apps',
    containers: [{ image: 'postgres:16', portNumber: 5432 }],
    volumes: [{ name: 'data', mountPath: '/var/lib/data' }],
    ...overrides,
  }];
}

/** Stateless component `web` in namespace `apps` with a `files` volume. */
export function web(overrides: Partial<RainbondComponentProps> = {}): ComponentSpec {
  return ['web', {
    deployType: DeployType.STATELESS_SINGLE,
    namespace: 'apps',
    containers: [{ image: 'nginx:1.27', portNumber: 8080 }],
    volumes: [{ name: 'files', mountPath: '/files' }],
    ...overrides,
  }];
}

/** etcd cluster `etcd` in namespace `db` with the given member count. */
export function etcd(replicas: number): ComponentSpec {
  return ['etcd', { deployType: DeployType.STATEFUL_MULTIPLE, replicas, namespace: 'db', preset: new EtcdPreset({}) }];
}

/** Every finding of a report, flattened. */
export function allFindings(report: GuardReport): GuardFinding[] {
  return report.components.flatMap(c => c.findings);
}

/** The findings of one rule. */
export function findingsOf(report: GuardReport, rule: GuardRule): GuardFinding[] {
  return allFindings(report).filter(f => f.rule === rule);
}

/** The error `fn` throws, which must be the guard's own GuardInputError, never a TypeError from inside. */
export function inputError(fn: () => unknown): GuardInputError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeDefined();
  expect(thrown).not.toBeInstanceOf(TypeError);
  expect(thrown).toBeInstanceOf(GuardInputError);
  return thrown as GuardInputError;
}
