/**
 * The baseline: the same Kubernetes objects a user would write by hand
 * without RainbondComponent, with cdk8s-plus-28 (StatefulSet, Deployment,
 * Service, PersistentVolumeClaim, ConfigMap, Volume), JSON patches for the
 * StatefulSet fields it cannot write (claim templates, claim retention,
 * service links), and its typed `k8s` class for the PodDisruptionBudget,
 * which it has no construct for.
 *
 * Preset configuration text (etcd environment, zoo.cfg, scripts) comes from
 * the same pure renderers the presets use: a user would paste equivalent
 * strings, and the benchmark measures construct and synthesis cost, not
 * string building.
 */
import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
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
  ZOO_CFG_KEY, defaultHeapMebibytes, livenessCommand, readinessCommand, renderProbeScript, renderStartScript, renderZooCfg, startupCommand,
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

const RESTRICTED: kplus.ContainerSecurityContextProps = {
  ensureNonRoot: true,
  privileged: false,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: [kplus.Capability.ALL] },
  seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
};

/** CPU in millicores and memory in MiB, each as [request, limit]. */
function resources(cpu: [number, number], memory: [number, number]): kplus.ContainerResources {
  return {
    cpu: { request: kplus.Cpu.millis(cpu[0]), limit: kplus.Cpu.millis(cpu[1]) },
    memory: { request: Size.mebibytes(memory[0]), limit: Size.mebibytes(memory[1]) },
  };
}

function discoveryEnv(id: Identity): { [name: string]: kplus.EnvValue } {
  return {
    _SERVICE_NAME: kplus.EnvValue.fromValue(id.name),
    _NAMESPACE: kplus.EnvValue.fromValue(id.namespace),
    _POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
    _POD_IP: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_IP),
    _SERVICE_POD_NUM: kplus.EnvValue.fromValue(String(id.replicas)),
  };
}

/** The client Service, and for a stateful component first its headless governing Service, which is returned. */
function addServices(scope: Construct, id: Identity, ports: MixPort[], stateful: boolean, clientPorts?: number[]): kplus.Service | undefined {
  const servicePorts = ports.map(p => ({ name: p.name, port: p.number, targetPort: p.number }));
  const clientServicePorts = clientPorts ? servicePorts.filter(p => clientPorts.includes(p.port)) : servicePorts;
  const headless = stateful ? new kplus.Service(scope, `${id.name}-headless`, {
    metadata: metadata(id, id.name), clusterIP: 'None', publishNotReadyAddresses: true, ports: servicePorts,
  }) : undefined;
  const client = new kplus.Service(scope, `${id.name}-service`, {
    metadata: metadata(id, `${id.name}-client`), type: kplus.ServiceType.CLUSTER_IP, ports: clientServicePorts,
  });
  for (const service of headless ? [headless, client] : [client]) {
    for (const [key, value] of Object.entries(id.selector)) service.selectLabel(key, value);
  }
  return headless;
}

function addDisruptionBudget(scope: Construct, id: Identity, maxUnavailable: number): void {
  new k8s.KubePodDisruptionBudget(scope, `${id.name}-pdb`, {
    metadata: metadata(id, id.name),
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(maxUnavailable), selector: { matchLabels: { ...id.selector } } },
  });
}

/** What differs between the stateful components of the mix. */
interface StatefulParts {
  /** The one container, without the claim mounts (cdk8s-plus cannot mount a claim template). */
  readonly container: kplus.ContainerProps;
  readonly ports: MixPort[];
  /** Ports of the client Service (a preset's client ports); the headless Service has them all. Default: every port. */
  readonly clientPorts?: number[];
  readonly claims: { name: string; storage: string; mountPath: string }[];
  readonly podManagementPolicy: kplus.PodManagementPolicy;
  readonly maxUnavailable: number;
  /** Presets: pod annotations (config checksum) and no service links. */
  readonly preset?: { readonly podAnnotations?: Labels };
}

/**
 * cdk8s-plus StatefulSet, headless and client Services, PodDisruptionBudget. What cdk8s-plus-28
 * cannot write is added by JSON patches, as its users do: the claim templates and their mounts,
 * the claim retention policy, `enableServiceLinks`, and the removal of the construct-path label
 * that the StatefulSet adds to its governing Service's selector. Patched values go through the
 * typed serializer, so quantities are `k8s.Quantity` objects.
 */
function addStateful(scope: Construct, id: Identity, parts: StatefulParts): void {
  const headless = addServices(scope, id, parts.ports, true, parts.clientPorts)!;
  const statefulSet = new kplus.StatefulSet(scope, `${id.name}-statefulset`, {
    metadata: metadata(id, id.name),
    service: headless,
    replicas: id.replicas,
    podManagementPolicy: parts.podManagementPolicy,
    select: false,
    podMetadata: { labels: { ...id.labels }, annotations: { ...parts.preset?.podAnnotations, 'rainbond.io/deploy-type': id.deployType } },
    strategy: kplus.StatefulSetUpdateStrategy.rollingUpdate(),
    securityContext: {
      ensureNonRoot: true, user: 1000, group: 1000, fsGroup: 1000, fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
    },
    automountServiceAccountToken: false,
    containers: [parts.container],
  });
  statefulSet.select(kplus.LabelSelector.of({ labels: id.selector }));
  statefulSet.scheduling.separate(kplus.Pods.select(scope, `${id.name}-peers`, { labels: id.selector }), { weight: 100 });
  ApiObject.of(headless).addJsonPatch(JsonPatch.remove('/spec/selector/cdk8s.io~1metadata.addr'));

  const mounts = parts.claims.map(c => ({ name: c.name, mountPath: c.mountPath }));
  const mountsPath = '/spec/template/spec/containers/0/volumeMounts';
  const patches = [
    JsonPatch.add('/spec/persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Retain', whenScaled: 'Retain' }),
    JsonPatch.add('/spec/volumeClaimTemplates', parts.claims.map(c => ({
      metadata: { name: c.name, labels: { ...id.selector }, annotations: { 'rainbond.io/volume-type': 'share-file' } },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: quantity(c.storage) } } },
    }))),
    ...parts.container.volumeMounts?.length ? mounts.map(m => JsonPatch.add(`${mountsPath}/-`, m)) : [JsonPatch.add(mountsPath, mounts)],
  ];
  if (parts.preset) patches.push(JsonPatch.add('/spec/template/spec/enableServiceLinks', false));
  ApiObject.of(statefulSet).addJsonPatch(...patches);
  if (id.deployType === DeployType.STATEFUL_MULTIPLE && parts.maxUnavailable > 0) addDisruptionBudget(scope, id, parts.maxUnavailable);
}

function addPlainStateful(scope: Construct, spec: ComponentSpec, id: Identity): void {
  addStateful(scope, id, {
    container: {
      name: id.name,
      image: spec.image!,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      envVariables: discoveryEnv(id),
      ports: spec.ports.map(p => ({ name: p.name, number: p.number })),
      resources: resources([100, 1000], [128, 512]),
      securityContext: RESTRICTED,
    },
    ports: spec.ports,
    claims: spec.volumes.map(v => ({ name: v.name, storage: `${v.sizeGi}Gi`, mountPath: v.mountPath })),
    podManagementPolicy: kplus.PodManagementPolicy.ORDERED_READY,
    maxUnavailable: 1,
  });
}

function addEtcd(scope: Construct, id: Identity): void {
  const members = podFqdns(id.name, id.replicas, id.namespace, 'cluster.local');
  const env = discoveryEnv(id);
  const clusterToken = defaultClusterToken(id.name, id.namespace);
  for (const v of etcdEnv({ podDnsNames: members, clusterToken, initialClusterState: EtcdInitialClusterState.NEW })) {
    env[v.name] = v.fromPodName ? kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME) : kplus.EnvValue.fromValue(v.value!);
  }
  env.ETCD_QUOTA_BACKEND_BYTES = kplus.EnvValue.fromValue(String(etcdQuotaMebibytes(8192, 1024) * 1024 * 1024));
  const ports = [{ name: 'client', number: ETCD_CLIENT_PORT }, { name: 'peer', number: ETCD_PEER_PORT }];
  addStateful(scope, id, {
    container: {
      name: 'etcd',
      image: EtcdPreset.DEFAULT_IMAGE,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: ['etcd'],
      envVariables: env,
      ports: ports.map(p => ({ name: p.name, number: p.number })),
      readiness: kplus.Probe.fromHttpGet(ETCD_HEALTH_PATH, {
        port: ETCD_CLIENT_PORT,
        periodSeconds: Duration.seconds(2),
        timeoutSeconds: Duration.seconds(2),
        failureThreshold: 5,
      }),
      resources: resources([100, 1000], [1024, 1024]),
      securityContext: RESTRICTED,
    },
    ports,
    clientPorts: [ETCD_CLIENT_PORT],
    claims: [{ name: 'data', storage: '8Gi', mountPath: ETCD_VOLUME_MOUNT_PATH }],
    podManagementPolicy: kplus.PodManagementPolicy.PARALLEL,
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
  const timing = (period: number, failureThreshold: number): kplus.ProbeOptions => ({
    periodSeconds: Duration.seconds(period),
    timeoutSeconds: Duration.seconds(5),
    failureThreshold,
  });
  addStateful(scope, id, {
    container: {
      name: 'zookeeper',
      image: ZookeeperPreset.DEFAULT_IMAGE,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: ['bash', `${ZK_CONFIG_DIR}/${START_SCRIPT_KEY}`],
      envVariables: {
        ...discoveryEnv(id),
        ZOO_LOG_DIR: kplus.EnvValue.fromValue(ZK_LOG_DIR),
        ZK_SERVER_HEAP: kplus.EnvValue.fromValue(String(heap)),
        SERVER_JVMFLAGS: kplus.EnvValue.fromValue(serverJvmFlags(heap)),
      },
      ports: ports.map(p => ({ name: p.name, number: p.number })),
      startup: kplus.Probe.fromCommand(startupCommand(), timing(1, 300)),
      liveness: kplus.Probe.fromCommand(livenessCommand(), timing(10, 6)),
      readiness: kplus.Probe.fromCommand(readinessCommand(), timing(10, 3)),
      resources: resources([250, 1000], [1024, 1024]),
      securityContext: RESTRICTED,
      volumeMounts: [
        {
          path: ZK_CONFIG_DIR,
          readOnly: true,
          volume: kplus.Volume.fromConfigMap(scope, `${id.name}-config-volume`, configMap, { name: 'zookeeper-config' }),
        },
        { path: '/tmp', volume: kplus.Volume.fromEmptyDir(scope, `${id.name}-tmp`, 'tmp') },
        { path: ZK_LOG_DIR, volume: kplus.Volume.fromEmptyDir(scope, `${id.name}-logs`, 'logs') },
      ],
    },
    ports,
    clientPorts: [ZK_CLIENT_PORT],
    claims: [{ name: 'data', storage: '8Gi', mountPath: ZK_DATA_DIR }],
    podManagementPolicy: kplus.PodManagementPolicy.PARALLEL,
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
      envVariables: discoveryEnv(id),
      securityContext: RESTRICTED,
      resources: resources([100, 1000], [128, 512]),
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
