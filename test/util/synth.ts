/** Test helpers: synthesize a chart, validate every object, look objects up by kind and name. */
import { Chart, Testing } from 'cdk8s';
import { K8sSchema } from './k8s-schema';

let schema: K8sSchema | undefined;

/** The shared strict Kubernetes 1.28 validator. */
export function k8sSchema(): K8sSchema {
  schema ??= new K8sSchema();
  return schema;
}

/** Synthesizes a chart and fails unless every object is valid Kubernetes 1.28. */
export function synthValid(chart: Chart): any[] {
  const objects = Testing.synth(chart);
  const errors = objects.flatMap(o => k8sSchema().errors(o));
  if (errors.length > 0) throw new Error(`invalid Kubernetes objects:\n${errors.join('\n')}`);
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
