import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ClusterPreset, DeployType, PresetNetworkPolicy, RainbondComponent } from '../../src';
import { networkPolicyProblems } from '../../src/presets/_network-policy';
import { admits } from '../util/network-policy';
import { findAll, findOne, synthValid } from '../util/synth';

const WEB = { podLabels: { 'app.kubernetes.io/name': 'web' } };

const PROXY = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'cluster-primary', 'app.kubernetes.io/instance': 'cluster-primary', 'app.kubernetes.io/component': 'redis-primary-proxy' } } };

const cases = [
  { preset: 'etcd', factory: ClusterPreset.etcd, clientPorts: [2379], peerPorts: [2380], builtInClients: [] },
  { preset: 'zookeeper', factory: ClusterPreset.zookeeper, clientPorts: [2181], peerPorts: [2888, 3888], builtInClients: [] },
  // the default MYSQL communication stack: members talk over 3306, so there is no members-only port
  { preset: 'mysqlReplication', factory: ClusterPreset.mysqlReplication, clientPorts: [3306, 33060], peerPorts: [], builtInClients: [] },
  // Redis replicates and Sentinels gossip on the client ports: there is no members-only port.
  // Its primary proxy (the <name>-primary Service) is a client of the members.
  { preset: 'redisSentinel', factory: ClusterPreset.redisSentinel, clientPorts: [6379, 26379], peerPorts: [], builtInClients: [PROXY] },
];

function synth(factory: (o: any) => any, networkPolicy?: PresetNetworkPolicy) {
  const chart = Testing.chart();
  const component = new RainbondComponent(chart, 'cluster', {
    deployType: DeployType.STATEFUL_MULTIPLE, namespace: 'data', preset: factory({ networkPolicy }),
  });
  const objects = synthValid(chart); // strict networking.k8s.io/v1 validation included
  return { component, objects };
}

describe.each(cases)('NetworkPolicy of preset $preset', ({ factory, clientPorts, peerPorts, builtInClients }) => {
  test('none unless asked for', () => {
    const { objects, component } = synth(factory);
    expect(findAll(objects, 'NetworkPolicy')).toEqual([]);
    expect(component.networkPolicy).toBeUndefined();
  });

  test('rendered: selects exactly the members, Ingress only, members on every port, clients on the client ports', () => {
    const { objects, component } = synth(factory, { clients: [WEB] });
    const policy = findOne(objects, 'NetworkPolicy', 'cluster');
    expect(component.networkPolicy).toBeDefined();
    expect(policy.apiVersion).toBe('networking.k8s.io/v1');
    expect(policy.metadata.namespace).toBe('data');
    const sts = findOne(objects, 'StatefulSet', 'cluster');
    expect(policy.spec.podSelector).toEqual(sts.spec.selector);
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    const ports = (rule: any) => rule.ports.map((p: any) => p.port).sort((a: number, b: number) => a - b);
    expect(policy.spec.ingress).toHaveLength(2);
    const [members, clients] = policy.spec.ingress;
    expect(members.from).toEqual([{ podSelector: sts.spec.selector }]);
    expect(ports(members)).toEqual([...clientPorts, ...peerPorts].sort((a, b) => a - b));
    expect(clients.from).toEqual([{ podSelector: { matchLabels: WEB.podLabels } }, ...builtInClients]);
    expect(ports(clients)).toEqual(clientPorts);
    expect(ports(clients)).toEqual(findOne(objects, 'Service', 'cluster-client').spec.ports.map((p: any) => p.port).sort((a: number, b: number) => a - b));
  });

  test('admits what it should and nothing else', () => {
    const { objects } = synth(factory, { clients: [WEB, { namespaceLabels: { team: 'ops' }, podLabels: { role: 'backup' } }] });
    const policy = findOne(objects, 'NetworkPolicy', 'cluster');
    const memberLabels = findOne(objects, 'StatefulSet', 'cluster').spec.template.metadata.labels;
    const member = { namespace: 'data', podLabels: memberLabels };
    const web = { namespace: 'data', podLabels: { 'app.kubernetes.io/name': 'web', 'other': 'x' } };
    const webElsewhere = { namespace: 'shop', podLabels: { 'app.kubernetes.io/name': 'web' } };
    const backup = { namespace: 'tools', namespaceLabels: { team: 'ops' }, podLabels: { role: 'backup' } };
    const stranger = { namespace: 'data', podLabels: { 'app.kubernetes.io/name': 'intruder' } };
    for (const port of clientPorts) {
      expect(admits(policy, memberLabels, member, port)).toBe(true);
      expect(admits(policy, memberLabels, web, port)).toBe(true);
      expect(admits(policy, memberLabels, backup, port)).toBe(true);
      expect(admits(policy, memberLabels, webElsewhere, port)).toBe(false);
      expect(admits(policy, memberLabels, stranger, port)).toBe(false);
    }
    for (const port of peerPorts) {
      expect(admits(policy, memberLabels, member, port)).toBe(true);
      expect(admits(policy, memberLabels, web, port)).toBe(false);
      expect(admits(policy, memberLabels, backup, port)).toBe(false);
    }
    expect(admits(policy, memberLabels, member, 12345)).toBe(false);
  });

  test('without clients only members (and the preset\'s own proxy) connect', () => {
    const { objects } = synth(factory, {});
    const policy = findOne(objects, 'NetworkPolicy', 'cluster');
    expect(policy.spec.ingress).toHaveLength(builtInClients.length > 0 ? 2 : 1);
    if (builtInClients.length > 0) expect(policy.spec.ingress[1].from).toEqual(builtInClients);
    const memberLabels = findOne(objects, 'StatefulSet', 'cluster').spec.template.metadata.labels;
    expect(admits(policy, memberLabels, { namespace: 'data', podLabels: WEB.podLabels }, clientPorts[0])).toBe(false);
    expect(admits(policy, memberLabels, { namespace: 'data', podLabels: memberLabels }, clientPorts[0])).toBe(true);
  });
});

test('etcd with client TLS: the plain-HTTP metrics port is for members (and the kubelet) only', () => {
  const chart = Testing.chart();
  const secret = kplus.Secret.fromSecretName(chart, 'tls', 'etcd-tls');
  new RainbondComponent(chart, 'etcd', {
    deployType: DeployType.STATEFUL_MULTIPLE,
    preset: ClusterPreset.etcd({ tls: { clientSecret: secret }, networkPolicy: { clients: [WEB] } }),
  });
  const policy = findOne(synthValid(chart), 'NetworkPolicy', 'etcd');
  expect(policy.spec.ingress[0].ports.map((p: any) => p.port)).toEqual([2379, 2380, 2381]);
  expect(policy.spec.ingress[1].ports.map((p: any) => p.port)).toEqual([2379]);
});

test('namespaceLabels {} admits the selected pods of every namespace', () => {
  const { objects } = synth(ClusterPreset.etcd, { clients: [{ podLabels: { app: 'api' }, namespaceLabels: {} }] });
  const policy = findOne(objects, 'NetworkPolicy', 'cluster');
  expect(policy.spec.ingress[1].from).toEqual([{ podSelector: { matchLabels: { app: 'api' } }, namespaceSelector: { matchLabels: {} } }]);
  const target = findOne(objects, 'StatefulSet', 'cluster').spec.template.metadata.labels;
  expect(admits(policy, target, { namespace: 'anywhere', podLabels: { app: 'api' } }, 2379)).toBe(true);
  expect(admits(policy, target, { namespace: 'anywhere', podLabels: { app: 'other' } }, 2379)).toBe(false);
});

describe('bad NetworkPolicy options are refused with the fix', () => {
  test.each([
    [{ clients: [{}] }, /networkPolicy\.clients\[0\] selects nothing: give podLabels, namespaceLabels or both\. Fix: /],
    [{ clients: [WEB, { podLabels: { 'bad key!': 'x' } }] }, /networkPolicy\.clients\[1\]\.podLabels 'bad key!=x' is not a valid label selector: a label key/],
    [{ clients: [{ namespaceLabels: { team: '-ops' } }] }, /networkPolicy\.clients\[0\]\.namespaceLabels 'team=-ops' is not a valid label selector: a label value/],
  ])('%j', (policy, message) => {
    expect(networkPolicyProblems(policy)).toEqual([expect.stringMatching(message)]);
    expect(() => synth(ClusterPreset.zookeeper, policy)).toThrow(/RainbondComponent 'cluster'[\s\S]*\[preset zookeeper\] networkPolicy/);
  });

  // a jsii caller (or plain JavaScript) passes any value: each is a problem, never a TypeError
  test.each([
    ['a string for clients', { clients: 'web' }, "networkPolicy.clients must be an array, got the string 'web'. Fix: pass e.g. clients: [{ podLabels: "],
    ['a null client', { clients: [null] }, 'networkPolicy.clients[0] must be an object with podLabels, namespaceLabels or both, got null. Fix: '],
    ['a string for podLabels', { clients: [{ podLabels: 'web' }] }, "networkPolicy.clients[0].podLabels must be an object of labels, got the string 'web'. Fix: "],
    ['a string for the policy', 'web', "networkPolicy must be an object, got the string 'web'. Fix: "],
    // null is an omitted selector: it never admits every pod as podLabels: {} does
    ['null podLabels alone', { clients: [{ podLabels: null }] }, 'networkPolicy.clients[0] selects nothing: give podLabels, namespaceLabels or both. Fix: '],
  ])('%s', (_, policy, message) => {
    expect(networkPolicyProblems(policy as any)).toEqual([expect.stringContaining(message)]);
  });

  test.each([
    ['etcd', ClusterPreset.etcd], ['zookeeper', ClusterPreset.zookeeper],
    ['mysql-replication', ClusterPreset.mysqlReplication], ['redis-sentinel', ClusterPreset.redisSentinel],
  ])('%s reports a wrong-typed clients list as its problem', (system, factory) => {
    for (const [policy, message] of [
      [{ clients: 'web' }, "networkPolicy.clients must be an array, got the string 'web'."],
      [{ clients: [null] }, 'networkPolicy.clients[0] must be an object with podLabels, namespaceLabels or both, got null.'],
    ] as const) {
      expect(() => synth(factory, policy as any)).toThrow(`[preset ${system}] ${message}`);
    }
  });

  test('null podLabels beside namespaceLabels selects by namespace only', () => {
    const { objects } = synth(ClusterPreset.etcd, { clients: [{ podLabels: null as any, namespaceLabels: { team: 'ops' } }] });
    expect(findOne(objects, 'NetworkPolicy', 'cluster').spec.ingress[1].from).toEqual([{ namespaceSelector: { matchLabels: { team: 'ops' } } }]);
  });

  test.each(['app.kubernetes.io/name', 'example.com/tier', 'tier'])('label key %s is accepted', key => {
    expect(networkPolicyProblems({ clients: [{ podLabels: { [key]: 'v1.2_x' } }] })).toEqual([]);
  });
});

describe('declared dependants reach the client ports (issue 27)', () => {
  const web = (chart: any, namespace: string, dependencies: RainbondComponent[] = []) => new RainbondComponent(chart, 'web', {
    deployType: DeployType.STATELESS_MULTIPLE, namespace, containers: [{ image: 'nginx:1.27', ports: [{ number: 8080 }] }], dependencies,
  });

  test.each(cases)('$preset: dependsOn after the policy exists admits the dependant, on the client ports only', ({ factory, clientPorts, peerPorts }) => {
    const chart = Testing.chart();
    const cluster = new RainbondComponent(chart, 'cluster', { deployType: DeployType.STATEFUL_MULTIPLE, namespace: 'data', preset: factory({ networkPolicy: {} }) });
    expect(cluster.networkPolicy).toBeDefined(); // the object exists before the dependency is declared
    const dependant = web(chart, 'data');
    dependant.dependsOn(cluster);
    const objects = synthValid(chart);
    const policy = findOne(objects, 'NetworkPolicy', 'cluster');
    const memberLabels = findOne(objects, 'StatefulSet', 'cluster').spec.template.metadata.labels;
    const webPods = { namespace: 'data', podLabels: findOne(objects, 'Deployment', 'web').spec.template.metadata.labels };
    expect(policy.spec.ingress[1].from).toContainEqual({ podSelector: { matchLabels: dependant.selectorLabels } });
    for (const port of clientPorts) expect(admits(policy, memberLabels, webPods, port)).toBe(true);
    for (const port of peerPorts) expect(admits(policy, memberLabels, webPods, port)).toBe(false);
    expect(admits(policy, memberLabels, { namespace: 'data', podLabels: { 'app.kubernetes.io/name': 'intruder' } }, clientPorts[0])).toBe(false);
  });

  test('a dependant in another namespace is admitted by its namespace name, and only there', () => {
    const chart = Testing.chart();
    const cluster = new RainbondComponent(chart, 'cluster', { deployType: DeployType.STATEFUL_MULTIPLE, namespace: 'data', preset: ClusterPreset.etcd({ networkPolicy: {} }) });
    const dependant = web(chart, 'shop', [cluster]); // props.dependencies
    const objects = synthValid(chart);
    const policy = findOne(objects, 'NetworkPolicy', 'cluster');
    expect(policy.spec.ingress[1].from).toEqual([{
      podSelector: { matchLabels: dependant.selectorLabels },
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
    }]);
    const memberLabels = findOne(objects, 'StatefulSet', 'cluster').spec.template.metadata.labels;
    const podLabels = findOne(objects, 'Deployment', 'web').spec.template.metadata.labels;
    expect(admits(policy, memberLabels, { namespace: 'shop', podLabels }, 2379)).toBe(true);
    expect(admits(policy, memberLabels, { namespace: 'data', podLabels }, 2379)).toBe(false);
    expect(admits(policy, memberLabels, { namespace: 'other', podLabels }, 2379)).toBe(false);
  });

  test('Redis: the dependant also reaches the primary proxy (<name>-primary), declared after the proxy policy exists', () => {
    const chart = Testing.chart();
    const cluster = new RainbondComponent(chart, 'cluster', {
      deployType: DeployType.STATEFUL_MULTIPLE, namespace: 'data', preset: ClusterPreset.redisSentinel({ networkPolicy: { clients: [WEB] } }),
    });
    web(chart, 'data').dependsOn(cluster);
    const objects = synthValid(chart);
    const proxyPolicy = findOne(objects, 'NetworkPolicy', 'cluster-primary');
    const proxyLabels = findOne(objects, 'Deployment', 'cluster-primary').spec.template.metadata.labels;
    const podLabels = findOne(objects, 'Deployment', 'web').spec.template.metadata.labels;
    expect(proxyPolicy.spec.ingress).toHaveLength(1);
    expect(proxyPolicy.spec.ingress[0].from).toHaveLength(2); // the listed client and the dependant
    expect(admits(proxyPolicy, proxyLabels, { namespace: 'data', podLabels }, 6379)).toBe(true);
    expect(admits(proxyPolicy, proxyLabels, { namespace: 'data', podLabels }, 8404)).toBe(false);
    expect(admits(proxyPolicy, proxyLabels, { namespace: 'data', podLabels: WEB.podLabels }, 6379)).toBe(true);
    expect(admits(proxyPolicy, proxyLabels, { namespace: 'data', podLabels: { app: 'x' } }, 6379)).toBe(false);
  });

  test('Redis without listed clients: the proxy admits nobody until a dependant is declared', () => {
    const chart = Testing.chart();
    const cluster = new RainbondComponent(chart, 'cluster', {
      deployType: DeployType.STATEFUL_MULTIPLE, namespace: 'data', preset: ClusterPreset.redisSentinel({ networkPolicy: {} }),
    });
    expect(findOne(Testing.synth(chart), 'NetworkPolicy', 'cluster-primary').spec.ingress).toEqual([]);
    web(chart, 'data').dependsOn(cluster);
    const from = findOne(synthValid(chart), 'NetworkPolicy', 'cluster-primary').spec.ingress[0].from;
    expect(from).toEqual([{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } } }]);
  });

  test('the policy object the component exposes renders the dependants too', () => {
    const chart = Testing.chart();
    const cluster = new RainbondComponent(chart, 'cluster', { deployType: DeployType.STATEFUL_MULTIPLE, namespace: 'data', preset: ClusterPreset.zookeeper({ networkPolicy: {} }) });
    web(chart, 'data').dependsOn(cluster);
    expect(cluster.networkPolicy!.toJson().spec.ingress).toHaveLength(2);
  });

  test('a dependant without a namespace cannot be admitted by one: refused with the fix', () => {
    const chart = Testing.chart(); // sets no namespace
    const cluster = new RainbondComponent(chart, 'cluster', { deployType: DeployType.STATEFUL_MULTIPLE, namespace: 'data', preset: ClusterPreset.etcd({ networkPolicy: {} }) });
    const dependant = new RainbondComponent(chart, 'web', { deployType: DeployType.STATELESS_MULTIPLE, containers: [{ image: 'nginx:1.27', ports: [{ number: 8080 }] }] });
    expect(() => dependant.dependsOn(cluster)).toThrow(/RainbondComponent 'web'[\s\S]*\[dependencies 'cluster'\] the NetworkPolicy of 'cluster' admits its dependants by namespace, and this component sets none[\s\S]*Fix: set namespace on this component or its chart \(e\.g\. 'data'\)/);
    // neither sets a namespace: one namespace, admitted by labels alone
    const plain = new RainbondComponent(chart, 'plain', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.etcd({ networkPolicy: {} }) });
    dependant.dependsOn(plain);
    expect(findOne(synthValid(chart), 'NetworkPolicy', 'plain').spec.ingress[1].from).toEqual([{ podSelector: { matchLabels: dependant.selectorLabels } }]);
  });

  test('a dependency on a component without a NetworkPolicy renders none', () => {
    const chart = Testing.chart();
    const cluster = new RainbondComponent(chart, 'cluster', { deployType: DeployType.STATEFUL_MULTIPLE, namespace: 'data', preset: ClusterPreset.etcd() });
    web(chart, 'data', [cluster]);
    expect(findAll(synthValid(chart), 'NetworkPolicy')).toEqual([]);
  });
});
