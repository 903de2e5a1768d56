/** Test helpers: synthesize a chart, validate every object, look objects up by kind and name. */
import { Chart } from 'cdk8s';
import { recordGolden } from './golden';
import { K8sSchemaSet, KUBERNETES_MINORS } from './k8s-schema';

let schema: K8sSchemaSet | undefined;

/** The shared strict validator of every supported Kubernetes minor (1.28 to 1.37). */
export function k8sSchema(): K8sSchemaSet {
  schema ??= new K8sSchemaSet(KUBERNETES_MINORS);
  return schema;
}

/** Errors of objects on any supported minor (empty when every object is valid on every minor). */
export function k8sErrors(objects: any[]): string[] {
  return objects.flatMap(o => k8sSchema().errors(o));
}

/**
 * Synthesizes a chart and fails unless every object is valid on every supported Kubernetes minor
 * (recorded by `golden.ts` when RAINBOND_GOLDEN_DIR is set).
 */
export function synthValid(chart: Chart): any[] {
  const objects = chart.toJson(); // what Testing.synth returns, validated once here
  const errors = k8sErrors(objects);
  if (errors.length > 0) throw new Error(`invalid Kubernetes objects:\n${errors.join('\n')}`);
  recordGolden(objects);
  return objects;
}

/** The one object of a kind (and name); throws when there is not exactly one. */
export function findOne(objects: any[], kind: string, name?: string): any {
  const found = objects.filter(o => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` named ${name}` : ''}, found ${found.length}: ${objects.map(o => `${o.kind}/${o.metadata?.name}`).join(', ')}`);
  }
  return found[0];
}

/** All objects of a kind. */
export function findAll(objects: any[], kind: string): any[] {
  return objects.filter(o => o.kind === kind);
}

/** The message of the error `fn` throws; fails the test when it throws none. */
export function errorMessageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, none was thrown');
}
