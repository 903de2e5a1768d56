/**
 * The one ConfigMap a preset renders its files into, and the pod-template
 * annotation that rolls the members when those files change.
 * Nothing here is exported from the package index.
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { contentChecksum } from '../_checksum';
import { addConfigMap } from '../_config-maps';
import { ANNOTATION_CONFIG_CHECKSUM } from '../_contract';
import { PresetContext } from './preset-config';

/** A preset's rendered ConfigMap and the pod annotations derived from its content. */
export interface PresetFiles {
  /** The ConfigMap, for `Volume.fromConfigMap`. */
  readonly configMap: kplus.IConfigMap;
  /** `rainbond.io/config-checksum`: SHA-256 of every key and value of the ConfigMap. */
  readonly podAnnotations: { [key: string]: string };
}

/** Name of a preset's ConfigMap: `<component>-config`, deterministic, no hash suffix. */
export function presetConfigMapName(componentName: string): string {
  return `${componentName}-config`;
}

/**
 * Renders `data` into the ConfigMap `<component>-config` and returns the checksum
 * annotation of exactly that data, so a changed file changes the pod template
 * (a rolling update) and equal files leave it unchanged.
 */
export function presetFiles(scope: Construct, id: string, context: PresetContext, data: { [key: string]: string }): PresetFiles {
  const configMap = addConfigMap(scope, id, { name: presetConfigMapName(context.componentName), namespace: context.namespace }, data);
  return { configMap, podAnnotations: { [ANNOTATION_CONFIG_CHECKSUM]: contentChecksum(data) } };
}
