/**
 * The last step of rendering: the component's labels and the Rainbond annotations on every object
 * under it (the guard reads them); and the rule that the component's own labels and pod annotations
 * leave those keys to it.
 * Nothing here is exported from the package index.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ANNOTATION_CLUSTER_PRESET, ANNOTATION_COMPONENT, ANNOTATION_CONFIG_CHECKSUM, ANNOTATION_DEPLOY_TYPE, managedLabelsOf } from './_contract';
import type { ComponentModel } from './_model';
import { ProblemList } from './_validation';

/** Labels and annotates every ApiObject under `scope`, the objects of cdk8s-plus resources included. */
export function labelComponentObjects(scope: IConstruct, model: ComponentModel): void {
  const entries = Object.entries(model.objectLabels);
  for (const child of scope.node.findAll()) {
    if (!(child instanceof ApiObject)) continue;
    for (const [key, value] of entries) child.metadata.addLabel(key, value);
    child.metadata.addAnnotation(ANNOTATION_DEPLOY_TYPE, model.deployType);
    child.metadata.addAnnotation(ANNOTATION_COMPONENT, model.componentName);
    if (model.preset) child.metadata.addAnnotation(ANNOTATION_CLUSTER_PRESET, model.preset.system);
  }
}

/**
 * Records every label the component writes over with another value (the selector labels, managed-by) and
 * every pod annotation it writes itself (the deploy type, the config checksum): a given value would be lost.
 */
export function checkManagedKeys(componentName: string, labels: { [key: string]: string }, podAnnotations: { [key: string]: string },
  problems: ProblemList): void {
  for (const [key, value] of Object.entries(managedLabelsOf(componentName))) {
    const given = labels[key];
    if (given !== undefined && given !== value) {
      problems.add(`labels.${key}`, `the component writes ${key}: ${value} on every object, over '${given}'`, `remove ${key} from labels (a label of another key carries your value)`);
    }
  }
  for (const key of [ANNOTATION_DEPLOY_TYPE, ANNOTATION_CONFIG_CHECKSUM]) {
    if (podAnnotations[key] !== undefined) {
      problems.add(`podAnnotations.${key}`, `the component writes ${key} on its pods itself`, `remove ${key} from podAnnotations`);
    }
  }
}
