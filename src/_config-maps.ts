/**
 * The ConfigMaps a component renders (preset files, `config-file` volumes): plain manifests with
 * a cdk8s-plus ConfigMap as their typed twin (`_typed-twins.ts`), and the reference pod volumes
 * mount them by.
 * Nothing here is exported from the package index.
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { addPlainObject } from './_typed-twins';

/**
 * Adds the ConfigMap `id` under `scope`, rendered as cdk8s-plus-28's `ConfigMap` renders it
 * (`immutable: false`, no empty `data`), and returns a reference for `Volume.fromConfigMap`
 * (construct id `<id>Reference`).
 */
export function addConfigMap(scope: Construct, id: string, metadata: { readonly name: string; readonly namespace: string },
  data: { [key: string]: string }): kplus.IConfigMap {
  addPlainObject(scope, id, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { ...metadata },
    data: Object.keys(data).length > 0 ? { ...data } : undefined,
    immutable: false,
  }, (twinScope, twinId) => new kplus.ConfigMap(twinScope, twinId, { metadata: { ...metadata }, data }));
  return kplus.ConfigMap.fromConfigMapName(scope, `${id}Reference`, metadata.name);
}
