import { Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ClusterPreset, DeployType, RainbondComponent, RainbondComponentProps } from '../src';
import { workloadPolicyViolations } from './util/policy';
import { findAll, findOne, synthValid } from './util/synth';

const APP = { image: 'registry.example.com/app:1.2.3', ports: [{ number: 8080, name: 'http' }] };

function component(props: Partial<RainbondComponentProps> & Pick<RainbondComponentProps, 'deployType'>, chart: Chart = Testing.chart(), id = 'app') {
  const c = new RainbondComponent(chart, id, { containers: [APP], ...props });
  return { chart, component: c, objects: synthValid(chart) };
}

function kinds(objects: any[]): string[] {
  return objects.map(o => `${o.kind}/${o.metadata.name}`).sort();
}

describe('STATEFUL_SINGLE', () => {
  const { component: c, objects } = component({
    deployType: DeployType.STATEFUL_SINGLE,
    volumes: [{ name: 'data', mountPath: '/var/lib/app' }],
  });
  const sts = findOne(objects, 'StatefulSet', 'app');

  test('synthesizes a StatefulSet, its governing headless Service and a client Service, no budget', () => {
    expect(kinds(objects)).toEqual(['Service/app', 'Service/app-client', 'StatefulSet/app']);
  });

  test('runs exactly one instance, replaced by a full stop then start', () => {
    expect(sts.spec.replicas).toBe(1);
    expect(c.replicas).toBe(1);
    expect(sts.spec.updateStrategy.type).toBe('RollingUpdate');
    expect(sts.spec.podManagementPolicy).toBe('OrderedReady');
  });

  test('is governed by a headless Service of the same name that publishes not-ready instances', () => {
    expect(sts.spec.serviceName).toBe('app');
    const headless = findOne(objects, 'Service', 'app');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    expect(headless.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080 }]);
    expect(headless.spec.selector).toEqual(sts.spec.selector.matchLabels);
  });

  test('the client Service routes to ready instances only through a cluster IP', () => {
    const client = findOne(objects, 'Service', 'app-client');
    expect(client.spec.type).toBe('ClusterIP');
    expect(client.spec.clusterIP).toBeUndefined();
    expect(client.spec.publishNotReadyAddresses).toBeUndefined();
    expect(client.spec.selector).toEqual(sts.spec.selector.matchLabels);
    expect(c.service?.name).toBe('app-client');
  });

  test('gives every instance its own claim from a template, retained on scale-down and delete', () => {
    expect(sts.spec.volumeClaimTemplates).toEqual([{
      metadata: {
        name: 'data',
        labels: { 'app.kubernetes.io/name': 'app', 'app.kubernetes.io/instance': 'app' },
        annotations: { 'rainbond.io/volume-type': 'share-file' },
      },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
    }]);
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    const main = sts.spec.template.spec.containers[0];
    expect(main.volumeMounts).toEqual([{ name: 'data', mountPath: '/var/lib/app' }]);
    expect(sts.spec.template.spec.volumes).toBeUndefined();
    expect(findAll(objects, 'PersistentVolumeClaim')).toEqual([]);
  });

  test('has a stable DNS name', () => {
    expect(c.podDnsName(0)).toBe('app-0.app.default.svc.cluster.local');
    expect(c.podDnsNames).toEqual(['app-0.app.default.svc.cluster.local']);
    expect(() => c.podDnsName(1)).toThrow(/ordinal 1 is out of range/);
  });

  test('matches the snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('STATEFUL_MULTIPLE', () => {
  const chart = new Chart(Testing.app(), 'chart', { namespace: 'shop' });
  const { component: c, objects } = component({
    deployType: DeployType.STATEFUL_MULTIPLE,
    replicas: 3,
    volumes: [
      { name: 'data', mountPath: '/data', size: Size.gibibytes(50), storageClassName: 'fast' },
      { name: 'logs', mountPath: '/logs', size: Size.mebibytes(512) },
    ],
  }, chart, 'OrderDb');
  const sts = findOne(objects, 'StatefulSet', 'order-db');

  test('scales with ordered instances and one claim per instance per volume', () => {
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.podManagementPolicy).toBe('OrderedReady');
    expect(sts.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    expect(sts.spec.volumeClaimTemplates.map((t: any) => [t.metadata.name, t.spec.resources.requests.storage, t.spec.storageClassName]))
      .toEqual([['data', '50Gi', 'fast'], ['logs', '512Mi', undefined]]);
  });

  test('names every instance in the chart namespace', () => {
    expect(c.namespace).toBe('shop');
    expect(c.podDnsNames).toEqual([0, 1, 2].map(i => `order-db-${i}.order-db.shop.svc.cluster.local`));
    for (const o of objects) expect(o.metadata.namespace).toBe('shop');
  });

  test('allows one voluntary disruption at a time', () => {
    const pdb = findOne(objects, 'PodDisruptionBudget', 'order-db');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: sts.spec.selector.matchLabels } });
  });

  test('prefers, but does not require, one instance per node', () => {
    const affinity = sts.spec.template.spec.affinity.podAntiAffinity;
    expect(affinity.requiredDuringSchedulingIgnoredDuringExecution).toBeUndefined();
    expect(affinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([{
      weight: 100,
      podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: sts.spec.selector.matchLabels } },
    }]);
  });

  test('injects Rainbond discovery variables', () => {
    const env = sts.spec.template.spec.containers[0].env;
    expect(env).toEqual(expect.arrayContaining([
      { name: '_SERVICE_NAME', value: 'order-db' },
      { name: '_NAMESPACE', value: 'shop' },
      { name: '_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: '_POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: '_SERVICE_POD_NUM', value: '3' },
    ]));
  });

  test('matches the snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('STATELESS_SINGLE', () => {
  const { component: c, objects } = component({
    deployType: DeployType.STATELESS_SINGLE,
    volumes: [{ name: 'uploads', mountPath: '/uploads' }],
  });
  const deployment = findOne(objects, 'Deployment', 'app');

  test('synthesizes a Deployment, a Service and one claim, no headless Service and no budget', () => {
    expect(kinds(objects)).toEqual(['Deployment/app', 'PersistentVolumeClaim/app-uploads', 'Service/app-client']);
    expect(c.headlessService).toBeUndefined();
    expect(c.isStateful).toBe(false);
  });

  test('runs one replica and recreates it so a ReadWriteOnce volume never needs two attachments', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    const claim = findOne(objects, 'PersistentVolumeClaim', 'app-uploads');
    expect(claim.spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(claim.spec.resources.requests.storage).toBe('10Gi');
    expect(deployment.spec.template.spec.volumes).toEqual([{ name: 'uploads', persistentVolumeClaim: { claimName: 'app-uploads', readOnly: false } }]);
    expect(deployment.spec.template.spec.containers[0].volumeMounts).toEqual([{ name: 'uploads', mountPath: '/uploads' }]);
  });

  test('serves through a ClusterIP client Service named like a stateful one: <name>-client', () => {
    const service = findOne(objects, 'Service', 'app-client');
    expect(c.service?.name).toBe('app-client');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.clusterIP).toBeUndefined();
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
  });

  test('has no per-instance DNS names', () => {
    expect(c.podDnsNames).toEqual([]);
    expect(() => c.podDnsName(0)).toThrow(/only stateful deploy types have per-instance DNS names/);
  });

  test('rolls updates when it has no ReadWriteOnce volume', () => {
    const { objects: plain } = component({ deployType: DeployType.STATELESS_SINGLE });
    expect(findOne(plain, 'Deployment').spec.strategy.type).toBe('RollingUpdate');
  });

  test('matches the snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('STATELESS_MULTIPLE', () => {
  const { objects } = component({
    deployType: DeployType.STATELESS_MULTIPLE,
    replicas: 4,
    volumes: [{ name: 'shared', mountPath: '/shared', storageClassName: 'nfs' }],
  });
  const deployment = findOne(objects, 'Deployment', 'app');

  test('scales, rolls updates and shares one ReadWriteMany claim', () => {
    expect(kinds(objects)).toEqual(['Deployment/app', 'PersistentVolumeClaim/app-shared', 'PodDisruptionBudget/app', 'Service/app-client']);
    expect(deployment.spec.replicas).toBe(4);
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    const claim = findOne(objects, 'PersistentVolumeClaim', 'app-shared');
    expect(claim.spec.accessModes).toEqual(['ReadWriteMany']);
    expect(claim.spec.storageClassName).toBe('nfs');
  });

  test('matches the snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('every object', () => {
  test.each(Object.values(DeployType))('%s carries the recommended labels and the deploy-type annotation; selectors never use a hash', (deployType) => {
    const { objects } = component({ deployType, volumes: [{ name: 'data', mountPath: '/data' }] });
    for (const o of objects) {
      expect(o.metadata.labels).toMatchObject({
        'app.kubernetes.io/name': 'app',
        'app.kubernetes.io/instance': 'app',
        'app.kubernetes.io/managed-by': 'cdk8s-rainbond',
      });
      expect(o.metadata.annotations).toMatchObject({ 'rainbond.io/deploy-type': deployType, 'rainbond.io/component': 'app' });
    }
    const selectors = objects.flatMap(o => [o.spec?.selector?.matchLabels ?? o.spec?.selector].filter(Boolean));
    expect(selectors.length).toBeGreaterThan(0);
    for (const selector of selectors) {
      expect(selector).toEqual({ 'app.kubernetes.io/name': 'app', 'app.kubernetes.io/instance': 'app' });
    }
  });

  test('names are deterministic: the same props give the same manifests', () => {
    const first = component({ deployType: DeployType.STATEFUL_MULTIPLE, replicas: 2 }).objects;
    const second = component({ deployType: DeployType.STATEFUL_MULTIPLE, replicas: 2 }).objects;
    expect(second).toEqual(first);
  });
});

describe('policy: secure, reliable defaults', () => {
  test.each(Object.values(DeployType))('%s satisfies the restricted profile and the library defaults', (deployType) => {
    const multiple = deployType === DeployType.STATEFUL_MULTIPLE || deployType === DeployType.STATELESS_MULTIPLE;
    const { objects } = component({
      deployType,
      replicas: multiple ? 2 : 1,
      volumes: [{ name: 'data', mountPath: '/data', accessMode: multiple && deployType === DeployType.STATELESS_MULTIPLE ? kplus.PersistentVolumeAccessMode.READ_WRITE_MANY : undefined }],
      initContainers: [{ image: 'busybox:1.36', command: ['true'] }],
    });
    const workload = objects.find(o => o.kind === 'StatefulSet' || o.kind === 'Deployment');
    expect(workloadPolicyViolations(workload)).toEqual([]);
    expect(findAll(objects, 'PodDisruptionBudget')).toHaveLength(multiple ? 1 : 0);
  });

  test('the policy check itself catches a privileged, root, unbounded container', () => {
    const { objects } = component({
      deployType: DeployType.STATELESS_SINGLE,
      containers: [{
        image: 'bad', securityContext: { ensureNonRoot: false, privileged: true, allowPrivilegeEscalation: true, readOnlyRootFilesystem: false },
      }],
      securityContext: { user: 0, ensureNonRoot: false },
      automountServiceAccountToken: true,
      spreadAcrossNodes: false,
    });
    const violations = workloadPolicyViolations(findOne(objects, 'Deployment'));
    expect(violations).toEqual(expect.arrayContaining([
      expect.stringMatching(/runAsNonRoot is not true/),
      expect.stringMatching(/no numeric non-root runAsUser/),
      expect.stringMatching(/privileged/),
      expect.stringMatching(/allowPrivilegeEscalation is not false/),
      expect.stringMatching(/root filesystem is writable/),
      expect.stringMatching(/service account token is mounted/),
      expect.stringMatching(/not spread across nodes/),
    ]));
  });

  test('defaults: user 1000, fsGroup with volumes, no token, resources, restricted container context', () => {
    const { objects } = component({ deployType: DeployType.STATEFUL_SINGLE, volumes: [{ name: 'data', mountPath: '/data' }] });
    const pod = findOne(objects, 'StatefulSet').spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch' });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.containers[0].securityContext).toEqual({
      runAsNonRoot: true,
      privileged: false,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1000m', memory: '512Mi' } });
  });

  test('every default is overridable', () => {
    const account = kplus.ServiceAccount.fromServiceAccountName(Testing.chart(), 'sa', 'runner');
    const { objects } = component({
      deployType: DeployType.STATEFUL_MULTIPLE,
      replicas: 3,
      containers: [{
        ...APP,
        securityContext: { readOnlyRootFilesystem: false, user: 2000 },
        resources: {
          cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.units(2) },
          memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) },
        },
      }],
      securityContext: { user: 3000, group: 3000, fsGroup: 3000 },
      serviceAccount: account,
      automountServiceAccountToken: true,
      podManagementPolicy: kplus.PodManagementPolicy.PARALLEL,
      terminationGracePeriod: Duration.seconds(90),
      podDisruptionBudget: false,
      spreadAcrossNodes: false,
      labels: { team: 'checkout' },
      podAnnotations: { 'prometheus.io/scrape': 'true' },
    });
    const sts = findOne(objects, 'StatefulSet');
    const pod = sts.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsUser: 3000, runAsGroup: 3000, fsGroup: 3000 });
    expect(pod.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: false, runAsUser: 2000, allowPrivilegeEscalation: false });
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: '500m', memory: '1024Mi' }, limits: { cpu: '2', memory: '2048Mi' } });
    expect(pod.serviceAccountName).toBe('runner');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.terminationGracePeriodSeconds).toBe(90);
    expect(pod.affinity).toBeUndefined();
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(findAll(objects, 'PodDisruptionBudget')).toEqual([]);
    expect(sts.metadata.labels.team).toBe('checkout');
    expect(sts.spec.template.metadata.labels.team).toBe('checkout');
    expect(sts.spec.selector.matchLabels.team).toBeUndefined();
    expect(sts.spec.template.metadata.annotations['prometheus.io/scrape']).toBe('true');
  });
});

describe('service account token: the ServiceAccount is followed, never silently overridden', () => {
  const pod = (props: Partial<RainbondComponentProps>, chart = Testing.chart()) => findOne(
    component({ deployType: DeployType.STATELESS_SINGLE, ...props }, chart).objects, 'Deployment').spec.template.spec;

  test.each([true, false])('a kplus.ServiceAccount with automountToken: %p gives the pods the same setting', (automountToken) => {
    const chart = Testing.chart();
    const account = new kplus.ServiceAccount(chart, 'runner', { automountToken });
    const spec = pod({ serviceAccount: account }, chart);
    expect(spec.serviceAccountName).toBe(account.name);
    expect(spec.automountServiceAccountToken).toBe(automountToken);
  });

  test('the component prop wins over the account', () => {
    const chart = Testing.chart();
    const account = new kplus.ServiceAccount(chart, 'runner', { automountToken: true });
    expect(pod({ serviceAccount: account, automountServiceAccountToken: false }, chart).automountServiceAccountToken).toBe(false);
  });

  test('without a service account no token is mounted', () => {
    expect(pod({}).automountServiceAccountToken).toBe(false);
  });

  test('an account imported by name needs the prop, because its setting is unknown', () => {
    const chart = Testing.chart();
    const imported = kplus.ServiceAccount.fromServiceAccountName(chart, 'ci', 'ci-runner');
    expect(() => new RainbondComponent(chart, 'app', { deployType: DeployType.STATELESS_SINGLE, containers: [APP], serviceAccount: imported }))
      .toThrow(/\[automountServiceAccountToken\] serviceAccount 'ci-runner' is imported by name, so its automountServiceAccountToken setting is unknown here.*Fix: set automountServiceAccountToken: true to mount its token, or false/s);
    expect(pod({ serviceAccount: kplus.ServiceAccount.fromServiceAccountName(Testing.chart(), 'ci', 'ci-runner'), automountServiceAccountToken: true }).automountServiceAccountToken).toBe(true);
  });
});

describe('image pull policy: what Kubernetes defaults to for the image, not cdk8s-plus\'s Always', () => {
  test.each([
    ['registry.example.com/app:1.2.3', 'IfNotPresent'],
    ['postgres:16.4', 'IfNotPresent'],
    ['registry.local:5000/team/app:2', 'IfNotPresent'],
    ['app@sha256:' + 'a'.repeat(64), 'IfNotPresent'],
    ['app:latest', 'Always'],
    ['app:latest@sha256:' + 'a'.repeat(64), 'Always'],
    ['app', 'Always'],
    ['registry.local:5000/team/app', 'Always'],
  ])('%s -> %s, in containers and init containers', (image, policy) => {
    const { objects } = component({ deployType: DeployType.STATELESS_SINGLE, containers: [{ ...APP, image }], initContainers: [{ image, command: ['true'] }] });
    const pod = findOne(objects, 'Deployment').spec.template.spec;
    expect(pod.containers[0].imagePullPolicy).toBe(policy);
    expect(pod.initContainers[0].imagePullPolicy).toBe(policy);
  });

  test('an explicit imagePullPolicy is kept', () => {
    const { objects } = component({
      deployType: DeployType.STATELESS_SINGLE,
      containers: [{ ...APP, imagePullPolicy: kplus.ImagePullPolicy.ALWAYS }],
    });
    expect(findOne(objects, 'Deployment').spec.template.spec.containers[0].imagePullPolicy).toBe('Always');
  });

  test('preset containers follow the same rule for their pinned images', () => {
    const chart = Testing.chart();
    new RainbondComponent(chart, 'kv', { deployType: DeployType.STATEFUL_MULTIPLE, preset: ClusterPreset.etcd() });
    const [server] = findOne(synthValid(chart), 'StatefulSet').spec.template.spec.containers;
    expect(server.imagePullPolicy).toBe('IfNotPresent');
  });
});

describe('init containers get their own, smaller default resources', () => {
  test('requests 50m / 64Mi, limits 500m / 256Mi; the main container keeps its default; given resources are kept', () => {
    const { objects } = component({
      deployType: DeployType.STATEFUL_SINGLE,
      initContainers: [
        { image: 'busybox:1.36', command: ['true'] },
        { image: 'migrate:1', command: ['migrate'], resources: { memory: { request: Size.mebibytes(256), limit: Size.gibibytes(1) } } },
      ],
    });
    const pod = findOne(objects, 'StatefulSet').spec.template.spec;
    expect(pod.initContainers[0].resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    // given memory is kept; CPU keeps the init containers' default
    expect(pod.initContainers[1].resources).toEqual({ requests: { cpu: '50m', memory: '256Mi' }, limits: { cpu: '500m', memory: '1024Mi' } });
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1000m', memory: '512Mi' } });
  });
});

describe('typed accessors', () => {
  test.each(Object.values(DeployType))('%s: statefulSet or deployment is the workload, typed; clientService is the client Service', (deployType) => {
    const { component: c, objects } = component({ deployType });
    if (c.isStateful) {
      expect(c.statefulSet).toBeInstanceOf(kplus.StatefulSet);
      expect(c.statefulSet).toBe(c.workload);
      expect(c.deployment).toBeUndefined();
      // typed: StatefulSet-only members compile without a cast
      expect(c.statefulSet?.podManagementPolicy).toBe(kplus.PodManagementPolicy.ORDERED_READY);
    } else {
      expect(c.deployment).toBeInstanceOf(kplus.Deployment);
      expect(c.deployment).toBe(c.workload);
      expect(c.statefulSet).toBeUndefined();
      expect(c.deployment?.strategy).toBeDefined();
    }
    expect(c.clientService).toBe(c.service);
    expect(c.clientService.name).toBe(findOne(objects, 'Service', 'app-client').metadata.name);
  });

  test('clientService of a stateless component without ports throws with the fix', () => {
    const { component: c } = component({ deployType: DeployType.STATELESS_SINGLE, containers: [{ image: 'worker:1' }] });
    expect(c.service).toBeUndefined();
    expect(() => c.clientService).toThrow(/RainbondComponent 'app' \(test\/app, deploy type stateless_singleton\) has no client Service: no container declares a port\. Fix: declare the port/);
  });
});

describe('naming', () => {
  test('the component name is derived from the construct id without a hash', () => {
    const { component: c } = component({ deployType: DeployType.STATELESS_SINGLE }, Testing.chart(), 'Checkout API_v2');
    expect(c.componentName).toBe('checkout-api-v2');
  });

  test('componentName, namespace and clusterDomain set every DNS name', () => {
    const { component: c, objects } = component({
      deployType: DeployType.STATEFUL_MULTIPLE, replicas: 2, componentName: 'kv', namespace: 'infra', clusterDomain: 'corp.internal',
    });
    expect(c.podDnsName(1)).toBe('kv-1.kv.infra.svc.corp.internal');
    expect(kinds(objects)).toEqual(['PodDisruptionBudget/kv', 'Service/kv', 'Service/kv-client', 'StatefulSet/kv']);
  });

  test.each(Object.values(DeployType))('%s: the client Service is <name>-client, whatever the deploy type', (deployType) => {
    const { component: c, objects } = component({ deployType });
    const client = findOne(objects, 'Service', 'app-client');
    expect(client.spec.type).toBe('ClusterIP');
    expect(client.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080 }]);
    expect(c.service?.name).toBe('app-client');
    // only a stateful component has the governing headless Service <name>
    expect(findAll(objects, 'Service').map(s => s.metadata.name).sort())
      .toEqual(c.isStateful ? ['app', 'app-client'] : ['app-client']);
  });

  test('a stateless name must leave room for the -client suffix of its Service', () => {
    expect(() => component({ deployType: DeployType.STATELESS_SINGLE, componentName: 'a'.repeat(56) })).not.toThrow();
    expect(() => component({ deployType: DeployType.STATELESS_SINGLE, componentName: 'a'.repeat(57) }))
      .toThrow(/\[componentName\] '(a){57}' has 57 characters; its client Service 'a{57}-client' would exceed 63/);
    // without a port there is no client Service, so the full 63 characters remain usable
    expect(() => component({ deployType: DeployType.STATELESS_SINGLE, componentName: 'a'.repeat(63), containers: [{ image: 'worker:1' }] })).not.toThrow();
  });

  test('without a chart namespace every object is placed in "default" explicitly', () => {
    const { objects } = component({ deployType: DeployType.STATELESS_SINGLE });
    for (const o of objects) expect(o.metadata.namespace).toBe('default');
  });
});

describe('bad input fails with a clear error naming the component, the rule and the fix', () => {
  const fails = (props: Partial<RainbondComponentProps> & Pick<RainbondComponentProps, 'deployType'>, ...patterns: RegExp[]) => {
    let message = '';
    try {
      new RainbondComponent(Testing.chart(), 'svc', { containers: [APP], ...props });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^RainbondComponent '[^']+' \(test\/svc, deploy type [a-z_]+\) has \d+ problems?:/);
    for (const pattern of patterns) expect(message).toMatch(pattern);
    expect(message).toMatch(/Fix: /);
    return message;
  };

  test('replicas other than 1 for a single type', () => {
    fails({ deployType: DeployType.STATEFUL_SINGLE, replicas: 2 }, /\[replicas\] state_singleton always runs exactly 1 instance, got 2/, /DeployType\.STATEFUL_MULTIPLE/);
    fails({ deployType: DeployType.STATELESS_SINGLE, replicas: 3 }, /stateless_singleton always runs exactly 1 instance, got 3/, /DeployType\.STATELESS_MULTIPLE/);
  });

  test.each([0, -1, 101, 2.5, NaN])('replicas %p out of range or not whole', (replicas) => {
    fails({ deployType: DeployType.STATELESS_MULTIPLE, replicas }, /\[replicas\] must be a whole number from 1 to 100/);
  });

  test.each([
    ['3', /\[replicas\] must be a number, got the string '3'\. Fix: pass a number, e.g\. replicas: 3 \(not in quotes\)/],
    ['three', /\[replicas\] must be a number, got the string 'three'/],
    [true, /\[replicas\] must be a number, got a value of type boolean/],
  ])('replicas %p from JavaScript (not a number) says what it got', (replicas, pattern) => {
    const message = fails({ deployType: DeployType.STATELESS_MULTIPLE, replicas: replicas as unknown as number }, pattern);
    expect(message).toMatch(/has 1 problem:/);
    expect(message).not.toMatch(/got 3\b/);
  });

  test('a preset on a stateless type reports only the preset problem, not a missing container', () => {
    const message = fails({ deployType: DeployType.STATELESS_MULTIPLE, replicas: 3, containers: undefined, preset: ClusterPreset.etcd() },
      /\[preset\] a cluster preset keeps its own state/);
    expect(message).toMatch(/has 1 problem:/);
    expect(message).not.toMatch(/at least one container/);
  });

  test('a ReadWriteOnce volume shared by several stateless replicas', () => {
    fails({
      deployType: DeployType.STATELESS_MULTIPLE,
      replicas: 2,
      volumes: [{ name: 'data', mountPath: '/data', accessMode: kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE }],
    }, /\[volumes\[0\]\.accessMode\] ReadWriteOnce volume 'data' would be shared by 2 replicas/, /READ_WRITE_MANY/);
  });

  test('names that are not DNS labels', () => {
    fails({ deployType: DeployType.STATELESS_SINGLE, componentName: 'My_App' }, /\[componentName\] 'My_App' is not a valid Service name/);
    fails({ deployType: DeployType.STATELESS_SINGLE, namespace: 'Prod' }, /\[namespace\] 'Prod' is not a valid namespace/);
    fails({ deployType: DeployType.STATELESS_SINGLE, volumes: [{ name: 'Data', mountPath: '/d' }] }, /\[volumes\[0\]\.name\] 'Data' is not a DNS-1123 label/);
    fails({ deployType: DeployType.STATELESS_SINGLE, containers: [{ ...APP, name: 'Main' }] }, /\[containers\[0\]\.name\] 'Main' is not a DNS-1123 label/);
  });

  test('a StatefulSet name longer than 52 characters', () => {
    const name = 'a'.repeat(53);
    fails({ deployType: DeployType.STATEFUL_MULTIPLE, componentName: name }, /has 53 characters; a StatefulSet name longer than 52/, /controller-revision-hash/);
    expect(() => component({ deployType: DeployType.STATEFUL_MULTIPLE, componentName: 'a'.repeat(52) })).not.toThrow();
    expect(() => component({ deployType: DeployType.STATELESS_MULTIPLE, componentName: name })).not.toThrow();
  });

  test('duplicate volume names or mount paths', () => {
    fails({
      deployType: DeployType.STATEFUL_SINGLE,
      volumes: [{ name: 'data', mountPath: '/data' }, { name: 'data', mountPath: '/data/' }],
    }, /volume name 'data' is used twice/, /mount path '\/data\/' is used twice/);
  });

  describe('two mounts at one path in a container, whatever their source, are refused (the API server says "must be unique")', () => {
    const tmp = (id: string) => kplus.Volume.fromEmptyDir(Testing.chart(), id, id);

    test('a component volume and the container\'s own volumeMounts', () => {
      fails({
        deployType: DeployType.STATELESS_SINGLE,
        volumes: [{ name: 'data', mountPath: '/data' }],
        containers: [{ ...APP, volumeMounts: [{ path: '/data/', volume: tmp('scratch') }] }],
      }, /\[containers\[0\] 'svc'\.volumeMounts\] mount path '\/data\/' is used twice in container 'svc', by component volume 'data' and by volumeMounts\[0\] \(volume 'scratch'\)/, /must be unique/);
    });

    test('two of the container\'s own mounts, in a stateful component', () => {
      fails({
        deployType: DeployType.STATEFUL_SINGLE,
        containers: [{ ...APP, name: 'main', volumeMounts: [{ path: '/tmp', volume: tmp('a') }, { path: '/tmp', volume: tmp('b') }] }],
      }, /\[containers\[0\] 'main'\.volumeMounts\] mount path '\/tmp' is used twice in container 'main', by volumeMounts\[0\] \(volume 'a'\) and by volumeMounts\[1\] \(volume 'b'\)/);
    });

    test('an init container gets the component volumes too', () => {
      fails({
        deployType: DeployType.STATEFUL_SINGLE,
        volumes: [{ name: 'data', mountPath: '/var/lib/app' }],
        initContainers: [{ image: 'busybox:1.36', command: ['true'], volumeMounts: [{ path: '/var/lib/app', volume: tmp('seed') }] }],
      }, /\[initContainers\[0\] 'svc-init-0'\.volumeMounts\] mount path '\/var\/lib\/app' is used twice in container 'svc-init-0', by component volume 'data'/);
    });

    test('a preset\'s own mounts against a component volume', () => {
      fails({
        deployType: DeployType.STATEFUL_MULTIPLE,
        replicas: 3,
        containers: undefined,
        preset: ClusterPreset.zookeeper(),
        volumes: [{ name: 'scratch', mountPath: '/tmp' }],
      }, /mount path '\/tmp' is used twice in container 'zookeeper', by component volume 'scratch' and by volumeMounts\[\d\] \(volume '[a-z-]+'\)/);
    });

    test.each([DeployType.STATEFUL_SINGLE, DeployType.STATELESS_SINGLE])('%s: a pod volume named like a component volume', (deployType) => {
      fails({
        deployType,
        volumes: [{ name: 'data', mountPath: '/data' }],
        containers: [{ ...APP, volumeMounts: [{ path: '/scratch', volume: tmp('data') }] }],
      }, /\[containers\[0\] 'svc'\.volumeMounts\] volumeMounts\[0\] mounts a pod volume named 'data', the name of a component volume; /,
      deployType === DeployType.STATEFUL_SINGLE ? /the StatefulSet controller would silently replace it by the claim/ : /a pod cannot have two volumes of one name/);
    });

    test('distinct paths are accepted', () => {
      expect(() => component({
        deployType: DeployType.STATEFUL_SINGLE,
        volumes: [{ name: 'data', mountPath: '/data' }],
        containers: [{ ...APP, volumeMounts: [{ path: '/tmp', volume: tmp('t') }, { path: '/data-cache', volume: tmp('c') }] }],
      })).not.toThrow();
    });
  });

  test('no container', () => {
    fails({ deployType: DeployType.STATELESS_SINGLE, containers: [] }, /\[containers\] a component needs at least one container/);
  });

  test('an invalid size', () => {
    fails({ deployType: DeployType.STATEFUL_SINGLE, volumes: [{ name: 'data', mountPath: '/data', size: Size.gibibytes(0) }] }, /\[volumes\[0\]\.size\] '0Gi' is not a valid capacity/);
  });

  test('a stateless volume that is not a whole number of GiB (cdk8s-plus writes shared claims in GiB); stateful templates keep it', () => {
    fails({ deployType: DeployType.STATELESS_SINGLE, volumes: [{ name: 'cache', mountPath: '/cache', size: Size.mebibytes(512) }] },
      /\[volumes\[0\]\.size\] '512Mi' is not a whole number of GiB.*Fix: use a whole number of GiB such as Size\.gibibytes\(1\), or a stateful deploy type/);
    const chart = Testing.chart();
    new RainbondComponent(chart, 'db', { deployType: DeployType.STATEFUL_SINGLE, containers: [{ ...APP }], volumes: [{ name: 'data', mountPath: '/data', size: Size.mebibytes(512) }] });
    new RainbondComponent(chart, 'web', { deployType: DeployType.STATELESS_SINGLE, containers: [{ ...APP }], volumes: [{ name: 'files', mountPath: '/files', size: Size.tebibytes(1) }] });
    const objects = synthValid(chart);
    expect(findOne(objects, 'StatefulSet', 'db').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('512Mi');
    expect(findOne(objects, 'PersistentVolumeClaim', 'web-files').spec.resources.requests.storage).toBe('1024Gi');
  });

  test('a relative mount path and a stateful component without ports', () => {
    fails({
      deployType: DeployType.STATEFUL_SINGLE,
      containers: [{ image: 'worker' }],
      volumes: [{ name: 'data', mountPath: 'data' }],
    }, /'data' is not an absolute path/, /needs at least one container port/);
  });

  test('an unknown deploy type', () => {
    fails({ deployType: 'state' as DeployType }, /'state' is not a Rainbond deploy type/);
  });

  test('all problems of a component are reported together', () => {
    const message = fails({
      deployType: DeployType.STATELESS_SINGLE,
      replicas: 2,
      namespace: 'Bad NS',
      volumes: [{ name: 'x', mountPath: '/x' }, { name: 'x', mountPath: '/y' }],
    }, /has 3 problems/);
    expect(message.split('\n')).toHaveLength(4);
  });
});
