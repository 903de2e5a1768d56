import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { podFqdns } from '../../src/_naming';
import { RainbondComponent } from '../../src/component';
import { DeployType } from '../../src/deploy-type';
import {
  clusterTokenProblems, defaultClusterToken, etcdEnv, expandEnv, initialCluster, memberDomain, memberName, tlsProblems,
} from '../../src/presets/_etcd-config';
import { EtcdInitialClusterState, EtcdPreset, EtcdPresetOptions } from '../../src/presets/etcd';
import { workloadPolicyViolations } from '../util/policy';
import { findAll, findOne, synthValid } from '../util/synth';

describe('etcd config renderers', () => {
  test.each([
    [1, 'etcd-0=http://etcd-0.etcd.db.svc.cluster.local:2380'],
    [3, 'etcd-0=http://etcd-0.etcd.db.svc.cluster.local:2380,etcd-1=http://etcd-1.etcd.db.svc.cluster.local:2380,'
      + 'etcd-2=http://etcd-2.etcd.db.svc.cluster.local:2380'],
  ])('initialCluster of %i member(s)', (members, expected) => {
    expect(initialCluster(podFqdns('etcd', members, 'db', 'cluster.local'))).toBe(expected);
  });

  test('initialCluster of 5 members lists every member once, ordinal order', () => {
    const entries = initialCluster(podFqdns('kv', 5, 'prod', 'corp.example')).split(',');
    expect(entries).toEqual([0, 1, 2, 3, 4].map(i => `kv-${i}=http://kv-${i}.kv.prod.svc.corp.example:2380`));
  });

  test.each([
    ['etcd-2.etcd.db.svc.cluster.local', 'etcd-2', 'etcd.db.svc.cluster.local'],
    ['a-b-10.a-b.x.svc.k8s.internal', 'a-b-10', 'a-b.x.svc.k8s.internal'],
  ])('member name and domain of %s', (fqdn, name, domain) => {
    expect(memberName(fqdn)).toBe(name);
    expect(memberDomain(fqdn)).toBe(domain);
  });

  test('memberDomain rejects a bare name', () => {
    expect(() => memberDomain('etcd-0')).toThrow(/not a pod FQDN/);
  });

  test.each([
    ['', /must not be empty/],
    ['two words', /may only contain/],
    ['a,b', /may only contain/],
  ])('clusterToken %j is refused', (token, message) => {
    const problems = clusterTokenProblems(token);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
    expect(problems[0]).toMatch(/Fix: /);
  });

  test.each(['etcd-db-etcd', 'prod.orders_1'])('clusterToken %j is accepted', token => {
    expect(clusterTokenProblems(token)).toEqual([]);
  });

  test('default token names namespace and component', () => {
    expect(defaultClusterToken('orders', 'prod')).toBe('etcd-prod-orders');
  });

  test('ETCD_NAME comes first so later values can refer to it', () => {
    const env = etcdEnv({ podDnsNames: podFqdns('etcd', 3, 'db', 'cluster.local'), clusterToken: 't', initialClusterState: 'new' });
    expect(env[0]).toEqual({ name: 'ETCD_NAME', fromPodName: true });
    const names = env.map(v => v.name);
    expect(new Set(names).size).toBe(names.length);
    for (const v of env.slice(1)) expect(v.fromPodName).toBeFalsy();
  });

  // The invariants etcd checks at start, for every pod of 1, 3, 5 and 7 members.
  test.each([1, 3, 5, 7])('every pod of %i member(s) gets a consistent etcd configuration', members => {
    const fqdns = podFqdns('etcd', members, 'db', 'cluster.local');
    const env = etcdEnv({ podDnsNames: fqdns, clusterToken: 'tok', initialClusterState: 'new' });
    const seen = new Set<string>();
    fqdns.forEach((fqdn, ordinal) => {
      const e = expandEnv(env, `etcd-${ordinal}`);
      const cluster = new Map(e.ETCD_INITIAL_CLUSTER.split(',').map(entry => entry.split('=') as [string, string]));
      expect(cluster.size).toBe(members);
      expect(cluster.get(e.ETCD_NAME)).toBe(e.ETCD_INITIAL_ADVERTISE_PEER_URLS);
      expect(e.ETCD_INITIAL_ADVERTISE_PEER_URLS).toBe(`http://${fqdn}:2380`);
      expect(e.ETCD_ADVERTISE_CLIENT_URLS).toBe(`http://${fqdn}:2379`);
      expect(e.ETCD_LISTEN_PEER_URLS).toBe('http://0.0.0.0:2380');
      expect(e.ETCD_LISTEN_CLIENT_URLS).toBe('http://0.0.0.0:2379');
      expect(e.ETCD_INITIAL_CLUSTER_TOKEN).toBe('tok');
      expect(e.ETCD_INITIAL_CLUSTER_STATE).toBe('new');
      expect(e.ETCD_DATA_DIR).toBe('/var/lib/etcd/data');
      seen.add(e.ETCD_INITIAL_CLUSTER);
    });
    expect(seen.size).toBe(1); // identical on all pods
  });

  test('expandEnv leaves unknown references alone', () => {
    expect(expandEnv([{ name: 'A', value: '$(NOPE)-x' }], 'p')).toEqual({ A: '$(NOPE)-x' });
  });

  test.each([1, 3, 5])('TLS on both ports: https everywhere a URL is rendered, consistent on every pod of %i', members => {
    const fqdns = podFqdns('etcd', members, 'db', 'cluster.local');
    const env = etcdEnv({ podDnsNames: fqdns, clusterToken: 't', initialClusterState: 'new', clientTls: true, peerTls: true, clientCertAuth: true });
    fqdns.forEach((fqdn, ordinal) => {
      const e = expandEnv(env, `etcd-${ordinal}`);
      expect(e.ETCD_LISTEN_PEER_URLS).toBe('https://0.0.0.0:2380');
      expect(e.ETCD_LISTEN_CLIENT_URLS).toBe('https://0.0.0.0:2379');
      expect(e.ETCD_INITIAL_ADVERTISE_PEER_URLS).toBe(`https://${fqdn}:2380`);
      expect(e.ETCD_ADVERTISE_CLIENT_URLS).toBe(`https://${fqdn}:2379`);
      const cluster = new Map(e.ETCD_INITIAL_CLUSTER.split(',').map(entry => entry.split('=') as [string, string]));
      expect([...cluster.values()]).toEqual(fqdns.map(f => `https://${f}:2380`));
      expect(cluster.get(e.ETCD_NAME)).toBe(e.ETCD_INITIAL_ADVERTISE_PEER_URLS);
      expect(e.ETCD_LISTEN_METRICS_URLS).toBe('http://0.0.0.0:2381');
      expect(e).toMatchObject({
        ETCD_CERT_FILE: '/etc/etcd/tls/client/tls.crt',
        ETCD_KEY_FILE: '/etc/etcd/tls/client/tls.key',
        ETCD_TRUSTED_CA_FILE: '/etc/etcd/tls/client/ca.crt',
        ETCD_CLIENT_CERT_AUTH: 'true',
        ETCD_PEER_CERT_FILE: '/etc/etcd/tls/peer/tls.crt',
        ETCD_PEER_KEY_FILE: '/etc/etcd/tls/peer/tls.key',
        ETCD_PEER_TRUSTED_CA_FILE: '/etc/etcd/tls/peer/ca.crt',
        ETCD_PEER_CLIENT_CERT_AUTH: 'true',
      });
    });
  });

  test('client TLS without client-cert auth sets no trusted CA; peer settings untouched', () => {
    const e = expandEnv(etcdEnv({ podDnsNames: podFqdns('etcd', 3, 'db', 'cluster.local'), clusterToken: 't', initialClusterState: 'new', clientTls: true }), 'etcd-0');
    expect(e.ETCD_LISTEN_CLIENT_URLS).toBe('https://0.0.0.0:2379');
    expect(e.ETCD_CERT_FILE).toBe('/etc/etcd/tls/client/tls.crt');
    expect(e.ETCD_TRUSTED_CA_FILE).toBeUndefined();
    expect(e.ETCD_CLIENT_CERT_AUTH).toBeUndefined();
    expect(e.ETCD_LISTEN_PEER_URLS).toBe('http://0.0.0.0:2380');
    expect(Object.keys(e).filter(k => k.startsWith('ETCD_PEER_'))).toEqual([]);
  });

  test('peer TLS only: clients stay on plain HTTP and no metrics listener is opened', () => {
    const e = expandEnv(etcdEnv({ podDnsNames: podFqdns('etcd', 3, 'db', 'cluster.local'), clusterToken: 't', initialClusterState: 'new', peerTls: true }), 'etcd-1');
    expect(e.ETCD_INITIAL_CLUSTER).toMatch(/^etcd-0=https:\/\/etcd-0\./);
    expect(e.ETCD_ADVERTISE_CLIENT_URLS).toBe('http://etcd-1.etcd.db.svc.cluster.local:2379');
    expect(e.ETCD_LISTEN_METRICS_URLS).toBeUndefined();
    expect(e.ETCD_CERT_FILE).toBeUndefined();
    expect(e.ETCD_PEER_CLIENT_CERT_AUTH).toBe('true');
  });

  test('without TLS no TLS setting is rendered', () => {
    const names = etcdEnv({ podDnsNames: podFqdns('etcd', 3, 'db', 'cluster.local'), clusterToken: 't', initialClusterState: 'new' }).map(v => v.name);
    expect(names.filter(n => /CERT|KEY|CA_FILE|METRICS/.test(n))).toEqual([]);
  });

  test.each([
    [{ tlsGiven: true, clientTls: false, peerTls: false, clientCertAuth: false }, /names neither clientSecret nor peerSecret/],
    [{ tlsGiven: true, clientTls: false, peerTls: true, clientCertAuth: true }, /clientCertAuth needs tls.clientSecret/],
  ])('TLS problems %j', (input, message) => {
    const problems = tlsProblems(input);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
    expect(problems[0]).toMatch(/Fix: /);
  });

  test('etcdEnv refuses an empty member list', () => {
    expect(() => etcdEnv({ podDnsNames: [], clusterToken: 't', initialClusterState: 'new' })).toThrow(/at least one member/);
  });
});

function synthEtcd(replicas: number, options: EtcdPresetOptions = {}, deployType = DeployType.STATEFUL_MULTIPLE) {
  const chart = Testing.chart();
  const component = new RainbondComponent(chart, 'etcd', {
    deployType, replicas, namespace: 'db', preset: new EtcdPreset(options),
  });
  const objects = synthValid(chart);
  return { component, objects, sts: findOne(objects, 'StatefulSet', 'etcd') };
}

function envOf(container: any): Record<string, any> {
  return Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.valueFrom ?? e.value]));
}

describe('etcd preset on a RainbondComponent', () => {
  test('3 members: Parallel StatefulSet running etcd with FQDN peers', () => {
    const { sts, component } = synthEtcd(3);
    expect(sts.metadata.namespace).toBe('db');
    expect(sts.metadata.annotations['rainbond.io/cluster-preset']).toBe('etcd');
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.serviceName).toBe('etcd');
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    const containers = sts.spec.template.spec.containers;
    expect(containers).toHaveLength(1);
    const etcd = containers[0];
    expect(etcd.name).toBe('etcd');
    expect(etcd.image).toBe(EtcdPreset.DEFAULT_IMAGE);
    expect(etcd.image).toMatch(/^gcr\.io\/etcd-development\/etcd:v3\.5\.\d+$/);
    expect(etcd.command).toEqual(['etcd']);
    expect(etcd.args).toBeUndefined();
    expect(etcd.ports.map((p: any) => [p.name, p.containerPort])).toEqual([['client', 2379], ['peer', 2380]]);

    const env = envOf(etcd);
    expect(env.ETCD_NAME).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
    expect(env.ETCD_INITIAL_CLUSTER).toBe(initialCluster(component.podDnsNames));
    expect(env.ETCD_INITIAL_CLUSTER).toContain('etcd-2=http://etcd-2.etcd.db.svc.cluster.local:2380');
    expect(env.ETCD_INITIAL_ADVERTISE_PEER_URLS).toBe('http://$(ETCD_NAME).etcd.db.svc.cluster.local:2380');
    expect(env.ETCD_ADVERTISE_CLIENT_URLS).toBe('http://$(ETCD_NAME).etcd.db.svc.cluster.local:2379');
    expect(env.ETCD_LISTEN_CLIENT_URLS).toBe('http://0.0.0.0:2379');
    expect(env.ETCD_INITIAL_CLUSTER_TOKEN).toBe('etcd-db-etcd');
    expect(env.ETCD_INITIAL_CLUSTER_STATE).toBe('new');
    expect(env.ETCD_DATA_DIR).toBe('/var/lib/etcd/data');
    const names = etcd.env.map((e: any) => e.name);
    expect(names.indexOf('ETCD_NAME')).toBeLessThan(names.indexOf('ETCD_INITIAL_ADVERTISE_PEER_URLS'));
    // etcd 3.4 exits when a setting is given both as a flag and as ETCD_* env: the preset gives no flags.
    expect((etcd.command ?? []).concat(etcd.args ?? []).filter((a: string) => a.startsWith('--'))).toEqual([]);
  });

  test('probes: readiness on /health, nothing that restarts a member without quorum', () => {
    const etcd = synthEtcd(3).sts.spec.template.spec.containers[0];
    expect(etcd.readinessProbe.httpGet).toEqual({ path: '/health', port: 2379, scheme: 'HTTP' });
    expect(etcd.livenessProbe).toBeUndefined();
    expect(etcd.startupProbe).toBeUndefined();
    // probed from the start, every 2 s, so a restarted member is Ready about as soon as it is healthy;
    // unready only after several election timeouts (1 s each) without a leader
    expect(etcd.readinessProbe.initialDelaySeconds ?? 0).toBe(0);
    expect(etcd.readinessProbe.periodSeconds).toBe(2);
    expect(etcd.readinessProbe.periodSeconds * etcd.readinessProbe.failureThreshold).toBeGreaterThanOrEqual(10);
  });

  test('data volume: one claim template, mounted at the data dir parent, default 8Gi', () => {
    const { sts } = synthEtcd(3);
    expect(sts.spec.volumeClaimTemplates).toHaveLength(1);
    const claim = sts.spec.volumeClaimTemplates[0];
    expect(claim.metadata.name).toBe('data');
    expect(claim.spec.resources.requests.storage).toBe('8Gi');
    expect(claim.spec.accessModes).toEqual(['ReadWriteOnce']);
    const mount = sts.spec.template.spec.containers[0].volumeMounts.find((m: any) => m.name === 'data');
    expect(mount.mountPath).toBe('/var/lib/etcd');
    expect((sts.spec.template.spec.volumes ?? []).find((v: any) => v.name === 'data')).toBeUndefined();
  });

  test('default resources and a restricted, read-only container', () => {
    const { sts } = synthEtcd(3);
    const etcd = sts.spec.template.spec.containers[0];
    expect(etcd.resources).toEqual({ limits: { cpu: '1000m', memory: '1024Mi' }, requests: { cpu: '100m', memory: '1024Mi' } });
    expect(etcd.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(workloadPolicyViolations(sts)).toEqual([]);
  });

  test('user overrides: image, token, storage size and class, resources', () => {
    const { sts } = synthEtcd(5, {
      image: 'quay.io/coreos/etcd:v3.5.15',
      clusterToken: 'orders-prod',
      storageSize: Size.gibibytes(20),
      storageClassName: 'fast-ssd',
      resources: { memory: { request: Size.gibibytes(2), limit: Size.gibibytes(4) } },
    });
    const etcd = sts.spec.template.spec.containers[0];
    expect(etcd.image).toBe('quay.io/coreos/etcd:v3.5.15');
    expect(envOf(etcd).ETCD_INITIAL_CLUSTER_TOKEN).toBe('orders-prod');
    expect(envOf(etcd).ETCD_INITIAL_CLUSTER.split(',')).toHaveLength(5);
    expect(etcd.resources).toEqual({ limits: { cpu: '1000m', memory: '4096Mi' }, requests: { cpu: '100m', memory: '2048Mi' } });
    const claim = sts.spec.volumeClaimTemplates[0];
    expect(claim.spec.resources.requests.storage).toBe('20Gi');
    expect(claim.spec.storageClassName).toBe('fast-ssd');
  });

  test('a single member is a one-member cluster on STATEFUL_SINGLE', () => {
    const { sts } = synthEtcd(1, {}, DeployType.STATEFUL_SINGLE);
    expect(sts.spec.replicas).toBe(1);
    expect(envOf(sts.spec.template.spec.containers[0]).ETCD_INITIAL_CLUSTER)
      .toBe('etcd-0=http://etcd-0.etcd.db.svc.cluster.local:2380');
  });

  test.each([[3, 1], [5, 2]])('%i members: peers resolvable before ready, disruption budget keeps the quorum', (members, tolerance) => {
    const { objects } = synthEtcd(members);
    const headless = findOne(objects, 'Service', 'etcd');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    expect(headless.spec.ports.map((p: any) => p.port).sort()).toEqual([2379, 2380]);
    const client = findOne(objects, 'Service', 'etcd-client');
    // clients never need the peer port: only the governing headless Service publishes it
    expect(client.spec.ports).toEqual([{ name: 'client', port: 2379, targetPort: 2379 }]);
    expect(findOne(objects, 'PodDisruptionBudget', 'etcd').spec.maxUnavailable).toBe(tolerance);
  });

  test('initialClusterState EXISTING lets members added by etcdctl member add join the running cluster', () => {
    const { sts } = synthEtcd(5, { initialClusterState: EtcdInitialClusterState.EXISTING });
    const env = envOf(sts.spec.template.spec.containers[0]);
    expect(env.ETCD_INITIAL_CLUSTER_STATE).toBe('existing');
    expect(env.ETCD_INITIAL_CLUSTER.split(',')).toHaveLength(5);
  });

  test('creates no ConfigMap: everything is in the env', () => {
    expect(findAll(synthEtcd(3).objects, 'ConfigMap')).toEqual([]);
  });

  test.each([
    [9, /etcd supports at most 7 members, got 9/],
    [4, /odd member count, got 4/],
  ])('%i members are refused', (replicas, message) => {
    expect(() => synthEtcd(replicas)).toThrow(message);
  });

  test('a bad token is reported with the component and the fix', () => {
    expect(() => synthEtcd(3, { clusterToken: 'has space' })).toThrow(/etcd[\s\S]*clusterToken 'has space'[\s\S]*Fix: /);
  });

  describe('TLS from Secrets', () => {
    /** Synthesizes etcd with the TLS Secrets named (`etcd-client-tls`, `etcd-peer-tls`) and client-cert auth as given. */
    function synthTls(tls: { client?: boolean; peer?: boolean; clientCertAuth?: boolean }) {
      const chart = Testing.chart();
      const options: EtcdPresetOptions = {
        tls: {
          clientSecret: tls.client ? kplus.Secret.fromSecretName(chart, 'client-tls', 'etcd-client-tls') : undefined,
          peerSecret: tls.peer ? kplus.Secret.fromSecretName(chart, 'peer-tls', 'etcd-peer-tls') : undefined,
          clientCertAuth: tls.clientCertAuth,
        },
      };
      new RainbondComponent(chart, 'etcd', { deployType: DeployType.STATEFUL_MULTIPLE, namespace: 'db', preset: new EtcdPreset(options) });
      const objects = synthValid(chart);
      return { objects, sts: findOne(objects, 'StatefulSet', 'etcd') };
    }

    test('both Secrets mounted read-only, group-readable only; https URLs; probe on the plain metrics port', () => {
      const { sts, objects } = synthTls({ client: true, peer: true, clientCertAuth: true });
      const pod = sts.spec.template.spec;
      const etcd = pod.containers[0];
      expect(pod.volumes).toEqual(expect.arrayContaining([
        { name: 'etcd-client-tls', secret: { secretName: 'etcd-client-tls', defaultMode: 0o440 } },
        { name: 'etcd-peer-tls', secret: { secretName: 'etcd-peer-tls', defaultMode: 0o440 } },
      ]));
      expect(etcd.volumeMounts).toEqual(expect.arrayContaining([
        { name: 'etcd-client-tls', mountPath: '/etc/etcd/tls/client', readOnly: true },
        { name: 'etcd-peer-tls', mountPath: '/etc/etcd/tls/peer', readOnly: true },
      ]));
      expect(pod.securityContext.fsGroup).toBe(1000);
      const env = envOf(etcd);
      expect(env.ETCD_ADVERTISE_CLIENT_URLS).toBe('https://$(ETCD_NAME).etcd.db.svc.cluster.local:2379');
      expect(env.ETCD_INITIAL_ADVERTISE_PEER_URLS).toBe('https://$(ETCD_NAME).etcd.db.svc.cluster.local:2380');
      expect(env.ETCD_INITIAL_CLUSTER.split(',').every((m: string) => /=https:\/\//.test(m))).toBe(true);
      expect(env.ETCD_CLIENT_CERT_AUTH).toBe('true');
      expect(env.ETCD_PEER_CLIENT_CERT_AUTH).toBe('true');
      expect(env.ETCD_LISTEN_METRICS_URLS).toBe('http://0.0.0.0:2381');
      expect(etcd.readinessProbe.httpGet).toEqual({ path: '/health', port: 2381, scheme: 'HTTP' });
      expect(etcd.ports.map((p: any) => [p.name, p.containerPort])).toEqual([['client', 2379], ['peer', 2380], ['metrics', 2381]]);
      // the metrics port (no authentication) is not published to clients
      expect(findOne(objects, 'Service', 'etcd-client').spec.ports.map((p: any) => p.port)).toEqual([2379]);
      expect(findOne(objects, 'Service', 'etcd').spec.ports.map((p: any) => p.port)).toEqual([2379, 2380, 2381]);
      expect(workloadPolicyViolations(sts)).toEqual([]);
    });

    test('peer TLS only keeps the client port and its probe on plain HTTP', () => {
      const etcd = synthTls({ peer: true }).sts.spec.template.spec.containers[0];
      expect(etcd.readinessProbe.httpGet).toEqual({ path: '/health', port: 2379, scheme: 'HTTP' });
      expect(envOf(etcd).ETCD_LISTEN_CLIENT_URLS).toBe('http://0.0.0.0:2379');
      expect(envOf(etcd).ETCD_LISTEN_PEER_URLS).toBe('https://0.0.0.0:2380');
      expect(etcd.volumeMounts.map((m: any) => m.name)).toEqual(expect.arrayContaining(['etcd-peer-tls']));
      expect(etcd.volumeMounts.map((m: any) => m.name)).not.toContain('etcd-client-tls');
    });

    test.each([
      [{}, /tls names neither clientSecret nor peerSecret/],
      [{ clientCertAuth: true, peer: true }, /tls.clientCertAuth needs tls.clientSecret/],
    ])('refused: %j', (tls, message) => {
      expect(() => synthTls(tls)).toThrow(message);
    });
  });

  test('OrderedReady is refused for etcd', () => {
    const chart = Testing.chart();
    expect(() => new RainbondComponent(chart, 'etcd', {
      deployType: DeployType.STATEFUL_MULTIPLE, preset: new EtcdPreset(), podManagementPolicy: kplus.PodManagementPolicy.ORDERED_READY,
    })).toThrow(/needs Parallel/);
  });
});
