/**
 * The ConfigMaps a component renders (preset files, `config-file` volumes), and the reference pod
 * volumes mount them by.
 * Nothing here is exported from the package index.
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/**
 * Adds the ConfigMap `id` under `scope` and returns a reference for `Volume.fromConfigMap`
 * (construct id `<id>Reference`).
 */
export function addConfigMap(scope: Construct, id: string, metadata: { readonly name: string; readonly namespace: string },
  data: { [key: string]: string }): kplus.IConfigMap {
  new kplus.ConfigMap(scope, id, { metadata: { ...metadata }, data });
  return kplus.ConfigMap.fromConfigMapName(scope, `${id}Reference`, metadata.name);
}
