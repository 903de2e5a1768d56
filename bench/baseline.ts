/**
 * The baseline: the same Kubernetes objects a user would write by hand
 * without RainbondComponent, with cdk8s-plus-28 where it can express them
 * (Deployment, Service, PersistentVolumeClaim, ConfigMap) and its typed `k8s`
 * classes where it cannot (StatefulSet with volumeClaimTemplates,
 * PodDisruptionBudget).
 *
 * Preset configuration text (etcd environment, zoo.cfg, scripts) comes from
 * the same pure renderers the presets use: a user would paste equivalent
 * strings, and the benchmark measures construct and synthesis cost, not
 * string building.
 */
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ComponentSpec, MixPort } from './workload-mix';
import { contentChecksum } from '../src/_checksum';
import { ANNOTATION_CONFIG_CHECKSUM } from '../src/_contract';
import { podFqdns } from '../src/_naming';
import { faultTolerance } from '../src/_quorum';
import { DeployType } from '../src/deploy-type';
import { ETCD_CLIENT_PORT, ETCD_HEALTH_PATH, ETCD_PEER_PORT, ETCD_VOLUME_MOUNT_PATH, defaultClusterToken, etcdEnv } from '../src/presets/_etcd-config';
import { etcdQuotaMebibytes } from '../src/presets/_memory';
import {
  PROBE_SCRIPT_KEY, START_SCRIPT_KEY, ZK_CLIENT_PORT, ZK_CONFIG_DIR, ZK_DATA_DIR, ZK_ELECTION_PORT, ZK_LOG_DIR, ZK_QUORUM_PORT,
  ZOO_CFG_KEY, defaultHeapMebibytes, livenessCommand, readinessCommand, renderProbeScript, renderStartScript, renderZooCfg,
  serverJvmFlags,
} from '../src/presets/_zookeeper-config';
import { EtcdInitialClusterState, EtcdPreset } from '../src/presets/etcd';
import { ZookeeperPreset } from '../src/presets/zookeeper';

const k8s = kplus.k8s;
type Labels = { [key: string]: string };

/** Identity shared by every object of one hand-written component. */
interface Identity {
  readonly name: string;
  readonly namespace: string;
  readonly deployType: DeployType;
  readonly replicas: number;
  readonly selector: Labels;
  readonly labels: Labels;
  readonly annotations: Labels;
}

function identityOf(spec: ComponentSpec, namespace: string): Identity {
  const selector = { 'app.kubernetes.io/name': spec.name, 'app.kubernetes.io/instance': spec.name };
  const annotations: Labels = { 'rainbond.io/deploy-type': spec.deployType, 'rainbond.io/component': spec.name };
  if (spec.preset) annotations['rainbond.io/cluster-preset'] = spec.preset;
  return {
    name: spec.name,
    namespace,
    deployType: spec.deployType,
    replicas: spec.replicas,
    selector,
    labels: { ...selector, 'app.kubernetes.io/managed-by': 'cdk8s-rainbond' },
    annotations,
  };
}

function metadata(id: Identity, name: string): kplus.k8s.ObjectMeta {
  return { name, namespace: id.namespace, labels: { ...id.labels }, annotations: { ...id.annotations } };
}

const quantity = (value: string) => k8s.Quantity.fromString(value);

const RESTRICTED: kplus.k8s.SecurityContext = {
  runAsNonRoot: true,
  privileged: false,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

function resources(cpu: [string, string], memory: [string, string]): kplus.k8s.ResourceRequirements {
  return {
    requests: { cpu: quantity(cpu[0]), memory: quantity(memory[0]) },
    limits: { cpu: quantity(cpu[1]), memory: quantity(memory[1]) },
  };
}

function discoveryEnv(id: Identity): kplus.k8s.EnvVar[] {
  return [
    { name: '_SERVICE_NAME', value: id.name },
    { name: '_NAMESPACE', value: id.namespace },
    { name: '_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: '_POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    { name: '_SERVICE_POD_NUM', value: String(id.replicas) },
  ];
}

function preferredSpread(id: Identity): kplus.k8s.Affinity {
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [{
        weight: 100,
        podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { ...id.selector } } },
      }],
    },
  };
}

function addServices(scope: Construct, id: Identity, ports: MixPort[], stateful: boolean, clientPorts?: number[]): void {
  const servicePorts = ports.map(p => ({ name: p.name, port: p.number, targetPort: p.number }));
  const clientServicePorts = clientPorts ? servicePorts.filter(p => clientPorts.includes(p.port)) : servicePorts;
  const services: kplus.Service[] = [];
  if (stateful) {
    services.push(new kplus.Service(scope, `${id.name}-headless`, {
      metadata: metadata(id, id.name), clusterIP: 'None', publishNotReadyAddresses: true, ports: servicePorts,
    }));
  }
  services.push(new kplus.Service(scope, `${id.name}-service`, {
    metadata: metadata(id, `${id.name}-client`), type: kplus.ServiceType.CLUSTER_IP, ports: clientServicePorts,
  }));
  for (const service of services) {
    for (const [key, value] of Object.entries(id.selector)) service.selectLabel(key, value);
  }
}

function addDisruptionBudget(scope: Construct, id: Identity, maxUnavailable: number): void {
  new k8s.KubePodDisruptionBudget(scope, `${id.name}-pdb`, {
    metadata: metadata(id, id.name),
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(maxUnavailable), selector: { matchLabels: { ...id.selector } } },
  });
}

/** What differs between the stateful components of the mix. */
interface StatefulParts {
  readonly container: kplus.k8s.Container;
  readonly ports: MixPort[];
  /** Ports of the client Service (a preset's client ports); the headless Service has them all. Default: every port. */
  readonly clientPorts?: number[];
  readonly claims: { name: string; storage: string }[];
  readonly podVolumes?: kplus.k8s.Volume[];
  readonly podManagementPolicy: string;
  readonly maxUnavailable: number;
  /** Presets: pod annotations (config checksum) and no service links. */
  readonly preset?: { readonly podAnnotations?: Labels };
}

/** StatefulSet (typed, with volumeClaimTemplates), headless and client Services, PodDisruptionBudget. */
function addStateful(scope: Construct, id: Identity, parts: StatefulParts): void {
  addServices(scope, id, parts.ports, true, parts.clientPorts);
  new k8s.KubeStatefulSet(scope, `${id.name}-statefulset`, {
    metadata: metadata(id, id.name),
    spec: {
      serviceName: id.name,
      replicas: id.replicas,
      podManagementPolicy: parts.podManagementPolicy,
      minReadySeconds: 0,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      selector: { matchLabels: { ...id.selector } },
      template: {
        metadata: { labels: { ...id.labels }, annotations: { ...parts.preset?.podAnnotations, 'rainbond.io/deploy-type': id.deployType } },
        spec: {
          affinity: preferredSpread(id),
          automountServiceAccountToken: false,
          enableServiceLinks: parts.preset ? false : undefined,
          containers: [parts.container],
          dnsPolicy: 'ClusterFirst',
          hostNetwork: false,
          restartPolicy: 'Always',
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch' },
          setHostnameAsFqdn: false,
          terminationGracePeriodSeconds: 30,
          volumes: parts.podVolumes,
        },
      },
      volumeClaimTemplates: parts.claims.map(c => ({
        metadata: { name: c.name, labels: { ...id.selector }, annotations: { 'rainbond.io/volume-type': 'share-file' } },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: quantity(c.storage) } } },
      })),
    },
  });
  if (id.deployType === DeployType.STATEFUL_MULTIPLE && parts.maxUnavailable > 0) addDisruptionBudget(scope, id, parts.maxUnavailable);
}

function containerPorts(ports: MixPort[]): kplus.k8s.ContainerPort[] {
  return ports.map(p => ({ name: p.name, containerPort: p.number }));
}

function addPlainStateful(scope: Construct, spec: ComponentSpec, id: Identity): void {
  addStateful(scope, id, {
    container: {
      name: id.name,
      image: spec.image!,
      imagePullPolicy: 'IfNotPresent',
      env: discoveryEnv(id),
      ports: containerPorts(spec.ports),
      resources: resources(['100m', '1000m'], ['128Mi', '512Mi']),
      securityContext: RESTRICTED,
      volumeMounts: spec.volumes.map(v => ({ name: v.name, mountPath: v.mountPath })),
    },
    ports: spec.ports,
    claims: spec.volumes.map(v => ({ name: v.name, storage: `${v.sizeGi}Gi` })),
    podManagementPolicy: 'OrderedReady',
    maxUnavailable: 1,
  });
}

function addEtcd(scope: Construct, id: Identity): void {
  const members = podFqdns(id.name, id.replicas, id.namespace, 'cluster.local');
  const env: kplus.k8s.EnvVar[] = etcdEnv({
    podDnsNames: members,
    clusterToken: defaultClusterToken(id.name, id.namespace),
    initialClusterState: EtcdInitialClusterState.NEW,
  })
    .map(v => v.fromPodName ? { name: v.name, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } } : { name: v.name, value: v.value });
  env.push({ name: 'ETCD_QUOTA_BACKEND_BYTES', value: String(etcdQuotaMebibytes(8192, 1024) * 1024 * 1024) });
  const ports = [{ name: 'client', number: ETCD_CLIENT_PORT }, { name: 'peer', number: ETCD_PEER_PORT }];
  addStateful(scope, id, {
    container: {
      name: 'etcd',
      image: EtcdPreset.DEFAULT_IMAGE,
      imagePullPolicy: 'IfNotPresent',
      command: ['etcd'],
      env: [...discoveryEnv(id), ...env],
      ports: containerPorts(ports),
      readinessProbe: {
        httpGet: { path: ETCD_HEALTH_PATH, port: k8s.IntOrString.fromNumber(ETCD_CLIENT_PORT), scheme: 'HTTP' },
        initialDelaySeconds: 5,
        periodSeconds: 10,
        timeoutSeconds: 5,
        failureThreshold: 3,
      },
      resources: resources(['100m', '1000m'], ['1024Mi', '1024Mi']),
      securityContext: RESTRICTED,
      volumeMounts: [{ name: 'data', mountPath: ETCD_VOLUME_MOUNT_PATH }],
    },
    ports,
    clientPorts: [ETCD_CLIENT_PORT],
    claims: [{ name: 'data', storage: '8Gi' }],
    podManagementPolicy: 'Parallel',
    maxUnavailable: faultTolerance(id.replicas),
    preset: {},
  });
}

function addZookeeper(scope: Construct, id: Identity): void {
  const members = podFqdns(id.name, id.replicas, id.namespace, 'cluster.local');
  const data = {
    [ZOO_CFG_KEY]: renderZooCfg({ podDnsNames: members }),
    [START_SCRIPT_KEY]: renderStartScript({ dataDir: ZK_DATA_DIR, configFile: `${ZK_CONFIG_DIR}/${ZOO_CFG_KEY}`, podDnsNames: members }),
    [PROBE_SCRIPT_KEY]: renderProbeScript(ZK_CLIENT_PORT),
  };
  const configMap = new kplus.ConfigMap(scope, `${id.name}-config`, { metadata: metadata(id, `${id.name}-config`), data });
  const heap = defaultHeapMebibytes(Size.gibibytes(1), Size.gibibytes(1));
  const ports = [
    { name: 'client', number: ZK_CLIENT_PORT }, { name: 'quorum', number: ZK_QUORUM_PORT }, { name: 'election', number: ZK_ELECTION_PORT },
  ];
  const probe = (command: string[], timing: Omit<kplus.k8s.Probe, 'exec'>): kplus.k8s.Probe => ({ exec: { command }, ...timing });
  addStateful(scope, id, {
    container: {
      name: 'zookeeper',
      image: ZookeeperPreset.DEFAULT_IMAGE,
      imagePullPolicy: 'IfNotPresent',
      command: ['bash', `${ZK_CONFIG_DIR}/${START_SCRIPT_KEY}`],
      env: [
        ...discoveryEnv(id),
        { name: 'ZOO_LOG_DIR', value: ZK_LOG_DIR },
        { name: 'ZK_SERVER_HEAP', value: String(heap) },
        { name: 'SERVER_JVMFLAGS', value: serverJvmFlags(heap) },
      ],
      ports: containerPorts(ports),
      startupProbe: probe(livenessCommand(), { periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 60 }),
      livenessProbe: probe(livenessCommand(), { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 }),
      readinessProbe: probe(readinessCommand(), { initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 }),
      resources: resources(['250m', '1000m'], ['1024Mi', '1024Mi']),
      securityContext: RESTRICTED,
      volumeMounts: [
        { name: 'zookeeper-config', mountPath: ZK_CONFIG_DIR, readOnly: true },
        { name: 'tmp', mountPath: '/tmp' },
        { name: 'logs', mountPath: ZK_LOG_DIR },
        { name: 'data', mountPath: ZK_DATA_DIR },
      ],
    },
    ports,
    clientPorts: [ZK_CLIENT_PORT],
    claims: [{ name: 'data', storage: '8Gi' }],
    podVolumes: [
      { name: 'zookeeper-config', configMap: { name: configMap.name } },
      { name: 'tmp', emptyDir: {} },
      { name: 'logs', emptyDir: {} },
    ],
    podManagementPolicy: 'Parallel',
    maxUnavailable: faultTolerance(id.replicas),
    preset: { podAnnotations: { [ANNOTATION_CONFIG_CHECKSUM]: contentChecksum(data) } },
  });
}

/** Deployment, Service, shared claims and (multiple) PodDisruptionBudget, all with cdk8s-plus except the budget. */
function addStateless(scope: Construct, spec: ComponentSpec, id: Identity): void {
  const shared = spec.deployType === DeployType.STATELESS_MULTIPLE;
  const accessMode = shared ? kplus.PersistentVolumeAccessMode.READ_WRITE_MANY : kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE;
  const volumeMounts: kplus.VolumeMount[] = spec.volumes.map(v => {
    const claim = new kplus.PersistentVolumeClaim(scope, `${id.name}-claim-${v.name}`, {
      metadata: { ...metadata(id, `${id.name}-${v.name}`), annotations: { ...id.annotations, 'rainbond.io/volume-type': 'share-file' } },
      storage: Size.gibibytes(v.sizeGi),
      accessModes: [accessMode],
    });
    return { path: v.mountPath, volume: kplus.Volume.fromPersistentVolumeClaim(scope, `${id.name}-volume-${v.name}`, claim, { name: v.name }) };
  });
  const envVariables: { [name: string]: kplus.EnvValue } = {
    _SERVICE_NAME: kplus.EnvValue.fromValue(id.name),
    _NAMESPACE: kplus.EnvValue.fromValue(id.namespace),
    _POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
    _POD_IP: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_IP),
    _SERVICE_POD_NUM: kplus.EnvValue.fromValue(String(id.replicas)),
  };
  const deployment = new kplus.Deployment(scope, `${id.name}-deployment`, {
    metadata: metadata(id, id.name),
    replicas: id.replicas,
    select: false,
    podMetadata: { labels: { ...id.labels }, annotations: { 'rainbond.io/deploy-type': id.deployType } },
    strategy: accessMode === kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE && spec.volumes.length > 0
      ? kplus.DeploymentStrategy.recreate() : kplus.DeploymentStrategy.rollingUpdate(),
    securityContext: {
      ensureNonRoot: true,
      user: 1000,
      group: 1000,
      fsGroup: spec.volumes.length > 0 ? 1000 : undefined,
      fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
    },
    automountServiceAccountToken: false,
    containers: [{
      name: id.name,
      image: spec.image!,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      ports: spec.ports.map(p => ({ name: p.name, number: p.number })),
      envVariables,
      securityContext: {
        ensureNonRoot: true,
        privileged: false,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
      resources: {
        cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(1000) },
        memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
      },
      volumeMounts,
    }],
  });
  deployment.select(kplus.LabelSelector.of({ labels: id.selector }));
  deployment.scheduling.separate(kplus.Pods.select(scope, `${id.name}-peers`, { labels: id.selector }), { weight: 100 });
  addServices(scope, id, spec.ports, false);
  if (shared) addDisruptionBudget(scope, id, 1);
}

/** Adds the hand-written objects of one component of the mix to `scope`. */
export function addHandWrittenComponent(scope: Construct, spec: ComponentSpec, namespace: string): void {
  const id = identityOf(spec, namespace);
  switch (spec.preset) {
    case 'etcd': return addEtcd(scope, id);
    case 'zookeeper': return addZookeeper(scope, id);
    case undefined:
      return spec.deployType === DeployType.STATEFUL_SINGLE || spec.deployType === DeployType.STATEFUL_MULTIPLE
        ? addPlainStateful(scope, spec, id)
        : addStateless(scope, spec, id);
  }
}
