/** Pure helpers of the component model: aliases, dependency paths, variables, autoscaling targets, names. */
import { posix } from 'path';
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ConnectionValue, VolumeType } from '../src';
import { utilizationTargets } from '../src/_autoscaling';
import { defaultPortAlias, dependencyPath, dependencyVariables } from '../src/_dependencies';
import { normalizedMountPath } from '../src/_naming';
import { ingressName, outerServiceName } from '../src/_outer-access';
import { sharedVolumeName } from '../src/_shared-volumes';
import { claimAnnotations, configFileKey, isClaimVolume, storageClassOf } from '../src/_volumes';

test('defaultPortAlias: Rainbond\'s uppercase name with _ for -, then the port', () => {
  expect(defaultPortAlias('orders-db', 5432)).toBe('ORDERS_DB5432');
  expect(defaultPortAlias('web', 80)).toBe('WEB80');
});

test('dependencyPath: the path along the dependencies, or undefined', () => {
  const graph: Record<string, string[]> = { a: ['b'], b: ['c', 'd'], c: [], d: ['a'] };
  expect(dependencyPath('a', 'd', n => graph[n])).toEqual(['a', 'b', 'd']);
  expect(dependencyPath('c', 'a', n => graph[n])).toBeUndefined();
  expect(dependencyPath('a', 'a', n => graph[n])).toEqual(['a']);
});

test('dependencyVariables: per port HOST, PORT (and HOSTS when stateful), then connection info', () => {
  const vars = dependencyVariables({
    componentName: 'db',
    isStateful: true,
    serviceHost: 'db-client.ns.svc.cluster.local',
    servicePorts: [5432, 9187],
    aliases: new Map([[5432, 'DB'], [9187, 'DB_METRICS']]),
    podDnsNames: ['db-0.db.ns.svc.cluster.local', 'db-1.db.ns.svc.cluster.local'],
    connectionInfo: { DB_USER: ConnectionValue.fromValue('app') },
  });
  expect(vars.map(v => v.name)).toEqual(['DB_HOST', 'DB_PORT', 'DB_HOSTS', 'DB_METRICS_HOST', 'DB_METRICS_PORT', 'DB_METRICS_HOSTS', 'DB_USER']);
  expect(vars[2].value.value).toBe('db-0.db.ns.svc.cluster.local,db-1.db.ns.svc.cluster.local');
  expect(vars[1].value.value).toBe('5432');
});

test('utilizationTargets: CPU 80 by default, none when only memory is given', () => {
  expect(utilizationTargets({ maxReplicas: 3 })).toEqual({ cpu: 80, memory: undefined });
  expect(utilizationTargets({ maxReplicas: 3, memoryUtilization: 60 })).toEqual({ cpu: undefined, memory: 60 });
  expect(utilizationTargets({ maxReplicas: 3, cpuUtilization: 50, memoryUtilization: 60 })).toEqual({ cpu: 50, memory: 60 });
});

test('volume helpers', () => {
  expect(configFileKey({ name: 'c', mountPath: '/etc/app/app.conf' })).toBe('app.conf');
  expect(isClaimVolume({ name: 'd', mountPath: '/d' })).toBe(true);
  expect(isClaimVolume({ name: 'd', mountPath: '/d', type: VolumeType.LOCAL })).toBe(true);
  expect(isClaimVolume({ name: 'd', mountPath: '/d', type: VolumeType.MEMORYFS })).toBe(false);
  expect(isClaimVolume({ name: 'd', mountPath: '/d', type: VolumeType.CONFIG_FILE })).toBe(false);
  expect(storageClassOf({ name: 'd', mountPath: '/d', type: VolumeType.LOCAL })).toBe('local-path');
  expect(storageClassOf({ name: 'd', mountPath: '/d' })).toBeUndefined();
  expect(claimAnnotations({ name: 'd', mountPath: '/d', type: VolumeType.LOCAL })).toEqual({ 'rainbond.io/volume-type': 'local' });
});

test('names', () => {
  expect(outerServiceName('web', 9000)).toBe('web-outer-9000');
  expect(ingressName('web', 8080)).toBe('web-8080');
  expect(sharedVolumeName('media', 'files')).toBe('media-files');
});

test('ConnectionValue: a plain value keeps it, a Secret reference does not', () => {
  const secret = kplus.Secret.fromSecretName(Testing.chart(), 's', 's');
  expect(ConnectionValue.fromValue('x').plainValue).toBe('x');
  expect(ConnectionValue.fromSecretKey(secret, 'k').plainValue).toBeUndefined();
});

describe('normalizedMountPath', () => {
  test.each([
    ['/data', '/data'],
    ['/var/lib/postgresql/data', '/var/lib/postgresql/data'],
    ['/data/', '/data'],
    ['/data//', '/data'],
    ['//data', '/data'],
    ['/./data', '/data'],
    ['/data/.', '/data'],
    ['/a/../data', '/data'],
    ['/data/..', '/'],
    ['/', '/'],
    ['/.hidden', '/.hidden'],
    ['/..x/y', '/..x/y'],
    ['/a/.../b', '/a/.../b'],
    ['./data', 'data'],
    ['data/', 'data'],
  ])('%s is %s, as posix.normalize without the trailing slash', (path, expected) => {
    expect(normalizedMountPath(path)).toBe(expected);
    const viaNormalize = posix.normalize(path);
    expect(normalizedMountPath(path)).toBe(viaNormalize.length > 1 ? viaNormalize.replace(/\/+$/, '') : viaNormalize);
  });
});
