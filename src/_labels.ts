/**
 * The last step of rendering: the component's labels and the Rainbond annotations on every object
 * under it (the guard reads them).
 * Nothing here is exported from the package index.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ANNOTATION_CLUSTER_PRESET, ANNOTATION_COMPONENT, ANNOTATION_DEPLOY_TYPE } from './_contract';
import { ComponentModel } from './_model';

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
