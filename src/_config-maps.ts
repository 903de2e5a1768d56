/**
 * The ConfigMaps a component renders (preset files, `config-file` volumes).
 * Nothing here is exported from the package index.
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/** Adds the ConfigMap `id` under `scope`; pod volumes mount it through `Volume.fromConfigMap`. */
export function addConfigMap(scope: Construct, id: string, metadata: { readonly name: string; readonly namespace: string },
  data: { [key: string]: string }): kplus.IConfigMap {
  return new kplus.ConfigMap(scope, id, { metadata: { ...metadata }, data });
}
