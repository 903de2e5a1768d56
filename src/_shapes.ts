/**
 * The shape of the props as JavaScript sees them: a caller in plain JavaScript (or any jsii language)
 * can pass `undefined`, a string for a number or an object for an array. Each such value is a problem
 * in the list, never a TypeError from inside the library; the other rules run only on well-shaped props.
 * Nothing here is exported from the package index.
 */
import { describeValue } from './_kube-rules';
import { ProblemList } from './_validation';
import { RainbondComponentProps } from './component-props';

/** What the shape check needs to know beyond the props. */
export interface ShapeContext {
  /** Whether a value is a RainbondComponent (the class answers; this module cannot import it). */
  isComponent(value: unknown): boolean;
}

/** A plain object (not null, not an array): what an options or props object must be. */
export function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Records every prop whose JavaScript type is wrong. */
export function checkShapes(props: RainbondComponentProps, context: ShapeContext, problems: ProblemList): void {
  const list = (prop: string, value: unknown, each: (item: unknown, where: string) => void) => {
    if (value === undefined) return;
    if (!Array.isArray(value)) {
      problems.add(prop, `must be an array, got ${describeValue(value)}`, `pass ${prop}: [ ... ], or leave it out`);
      return;
    }
    value.forEach((item, i) => each(item, `${prop}[${i}]`));
  };
  const record = (prop: string, value: unknown) => {
    if (value === undefined) return;
    if (!isObject(value)) {
      problems.add(prop, `must be an object of strings, got ${describeValue(value)}`, `pass ${prop}: { key: 'value' }, or leave it out`);
      return;
    }
    for (const [key, v] of Object.entries(value)) {
      if (typeof v !== 'string') problems.add(`${prop}.${key}`, `must be a string, got ${describeValue(v)}`, `quote the value, e.g. '${String(v)}'`);
    }
  };
  const container = (item: unknown, where: string) => {
    if (!isObject(item)) {
      problems.add(where, `must be a container (an object with an image), got ${describeValue(item)}`, 'pass { image: \'registry/name:tag\', ... }');
      return;
    }
    if (typeof item.image !== 'string' || item.image.trim() === '') {
      problems.add(`${where}.image`, item.image === undefined ? 'a container needs an image' : `must name an image, got ${describeValue(item.image)}`,
        'set image to a reference such as \'registry.example.com/app:1.2.3\'');
    }
    list(`${where}.ports`, item.ports, (port, at) => {
      if (!isObject(port)) problems.add(at, `must be a port ({ number: 8080 }), got ${describeValue(port)}`, 'pass { number: 8080, name: \'http\' }');
    });
    for (const field of ['command', 'args'] as const) {
      const value = item[field];
      if (value !== undefined && (!Array.isArray(value) || value.some(v => typeof v !== 'string'))) {
        problems.add(`${where}.${field}`, `must be an array of strings, got ${Array.isArray(value) ? 'an array holding other values' : describeValue(value)}`,
          `pass one string per argument, e.g. ${field}: ['sh', '-c', 'echo hi']`);
      }
    }
    list(`${where}.envFrom`, item.envFrom, (source, at) => {
      if (!isObject(source) || typeof source._toKube !== 'function') {
        problems.add(at, `must be a kplus.EnvFrom, got ${describeValue(source)}`, 'use kplus.Env.fromConfigMap(configMap) or kplus.Env.fromSecret(secret)');
      }
    });
    if (item.envVariables !== undefined && !isObject(item.envVariables)) {
      problems.add(`${where}.envVariables`, `must be an object of EnvValue, got ${describeValue(item.envVariables)}`, 'pass envVariables: { NAME: kplus.EnvValue.fromValue(\'value\') }');
    }
    list(`${where}.volumeMounts`, item.volumeMounts, (mount, at) => {
      if (!isObject(mount) || typeof mount.path !== 'string' || !isObject(mount.volume)) {
        problems.add(at, 'must be { path, volume } with a kplus.Volume', 'pass { path: \'/tmp\', volume: kplus.Volume.fromEmptyDir(scope, id, \'tmp\') }');
      }
    });
  };
  if (!isObject(props)) return; // reported by the caller, which names the component
  if (typeof props.deployType !== 'string') {
    problems.add('deployType', `must be a DeployType, got ${describeValue(props.deployType)}`, 'pass deployType: DeployType.STATEFUL_MULTIPLE (or another DeployType)');
  }
  for (const prop of ['componentName', 'namespace', 'clusterDomain'] as const) {
    const value = props[prop];
    if (value !== undefined && typeof value !== 'string') problems.add(prop, `must be a string, got ${describeValue(value)}`, `quote the value, or leave ${prop} out`);
  }
  const flag = (prop: string, value: unknown) => {
    if (value !== undefined && typeof value !== 'boolean') {
      problems.add(prop, `must be true or false, got ${describeValue(value)}`, `pass ${prop.split('.').pop()}: ${value === 'false' ? 'false' : 'true'} (not in quotes), or leave it out`);
    }
  };
  for (const prop of ['automountServiceAccountToken', 'podDisruptionBudget', 'spreadAcrossNodes', 'waitForDependencies'] as const) flag(prop, props[prop]);
  list('containers', props.containers, container);
  list('initContainers', props.initContainers, container);
  list('volumes', props.volumes, (volume, where) => {
    if (!isObject(volume)) {
      problems.add(where, `must be a volume ({ name, mountPath }), got ${describeValue(volume)}`, 'pass { name: \'data\', mountPath: \'/data\' }');
      return;
    }
    flag(`${where}.memory`, volume.memory);
    for (const field of ['name', 'mountPath'] as const) {
      if (typeof volume[field] !== 'string') {
        problems.add(`${where}.${field}`, volume[field] === undefined ? `a volume needs a ${field}` : `must be a string, got ${describeValue(volume[field])}`,
          field === 'name' ? 'set name, e.g. \'data\'' : 'set mountPath to an absolute path, e.g. \'/data\'');
      }
    }
  });
  list('sharedVolumes', props.sharedVolumes, (shared, where) => {
    if (!isObject(shared) || !context.isComponent(shared.component) || typeof shared.volumeName !== 'string' || typeof shared.mountPath !== 'string') {
      problems.add(where, 'must be { component, volumeName, mountPath } with a RainbondComponent', 'pass { component: files, volumeName: \'data\', mountPath: \'/shared\' }');
    } else {
      flag(`${where}.readOnly`, shared.readOnly);
    }
  });
  list('portSettings', props.portSettings, (setting, where) => {
    if (!isObject(setting)) {
      problems.add(where, `must be port settings ({ port }), got ${describeValue(setting)}`, 'pass { port: 8080, alias: \'WEB\' }');
    } else if (typeof setting.port !== 'number') {
      problems.add(`${where}.port`, `must be a number, got ${describeValue(setting.port)}`, `pass the port as a number, e.g. port: ${Number(setting.port) || 8080} (not in quotes)`);
    }
  });
  list('dependencies', props.dependencies, (dependency, where) => {
    if (!context.isComponent(dependency)) {
      problems.add(where, `must be a RainbondComponent, got ${describeValue(dependency)}`, 'pass components created before this one, e.g. dependencies: [db]');
    }
  });
  if (props.preset !== undefined && !(isObject(props.preset) && typeof props.preset.bind === 'function')) {
    problems.add('preset', `must be a cluster preset, got ${describeValue(props.preset)}`, 'use ClusterPreset.etcd(), ClusterPreset.zookeeper(), ClusterPreset.redisSentinel() or ClusterPreset.mysqlReplication()');
  }
  record('labels', props.labels);
  record('podAnnotations', props.podAnnotations);
  if (props.connectionInfo !== undefined && !isObject(props.connectionInfo)) {
    problems.add('connectionInfo', `must be an object of ConnectionValue, got ${describeValue(props.connectionInfo)}`, 'pass connectionInfo: { NAME: ConnectionValue.fromValue(\'value\') }');
  }
}
