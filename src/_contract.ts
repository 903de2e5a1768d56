/**
 * The labels and annotations `RainbondComponent` writes and the change guard reads: each key
 * (and the managed-by value) is defined here once.
 * Nothing here is exported from the package index.
 */

/** Recommended label: the component's name; one of the two selector labels. */
export const LABEL_NAME = 'app.kubernetes.io/name';
/** Recommended label: the component's instance (its name); the other selector label. */
export const LABEL_INSTANCE = 'app.kubernetes.io/instance';
/** Recommended label naming the tool that manages the object. */
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
/** The value of `LABEL_MANAGED_BY` on every object of a component. */
export const MANAGED_BY_VALUE = 'cdk8s-rainbond';

/** Annotation naming the Rainbond deploy type, on every object of a component and on its pods. */
export const ANNOTATION_DEPLOY_TYPE = 'rainbond.io/deploy-type';
/** Annotation naming the component every object belongs to. */
export const ANNOTATION_COMPONENT = 'rainbond.io/component';
/** Annotation naming the cluster preset of a component (`etcd`, `zookeeper`, …). */
export const ANNOTATION_CLUSTER_PRESET = 'rainbond.io/cluster-preset';
/** Annotation on every claim and claim template naming its Rainbond volume type (`share-file`, `local`). */
export const ANNOTATION_VOLUME_TYPE = 'rainbond.io/volume-type';
/** Pod-template annotation holding the checksum of a component's rendered configuration. */
export const ANNOTATION_CONFIG_CHECKSUM = 'rainbond.io/config-checksum';

/** The labels that select a component's pods; they never change between releases. */
export function selectorLabelsOf(componentName: string): { [key: string]: string } {
  return { [LABEL_NAME]: componentName, [LABEL_INSTANCE]: componentName };
}

/**
 * The labels the component writes on every object, over the component's own `labels`: the selector labels
 * and managed-by.
 */
export function managedLabelsOf(componentName: string): { [key: string]: string } {
  return { ...selectorLabelsOf(componentName), [LABEL_MANAGED_BY]: MANAGED_BY_VALUE };
}
