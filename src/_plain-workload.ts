/**
 * The component's workload and Services rendered straight to their manifests, without
 * cdk8s-plus constructs: what `ClaimingStatefulSet`, `StableDeployment` and
 * `LabelSelectedService` (`_workloads.ts`) synthesize for the same input, at a fraction of
 * the cost (no Resource constructs, no lazy typed rendering, no typed converters).
 *
 * The component renders this way until a caller reads one of its cdk8s-plus members
 * (`workload`, `service`, …); it then switches to the cdk8s-plus objects. Both renderings
 * write the same manifests: every `Testing.synth` and `synthValid` of the unit tests synthesizes
 * a chart both ways and compares them (`test/util/renderings.ts`).
 * Nothing here is exported from the package index.
 */
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { withFields } from './_objects';
import { plainJson, renderContainer } from './_plain-container';
import { ClaimTemplate, renderClaimTemplate, StableIdentity, stableAffinity, stableSelector } from './_workloads';

/** A JSON value as the manifest holds it. */
type Json = any;

/** What every pod of the component runs with: the props cdk8s-plus's workload would get. */
export interface PlainPod {
  readonly labels: { [key: string]: string };
  readonly annotations: { [key: string]: string };
  /** The main containers, as cdk8s-plus models them (their env can still grow). */
  readonly containers: kplus.Container[];
  /** The init containers, in order (dependencies may append wait containers). */
  readonly initContainers: kplus.Container[];
  readonly securityContext: kplus.PodSecurityContextProps;
  readonly serviceAccount?: kplus.IServiceAccount;
  readonly automountServiceAccountToken: boolean;
  readonly dockerRegistryAuth?: kplus.ISecret;
  readonly terminationGracePeriod?: Duration;
}

/** cdk8s-plus's defaults for what the component leaves unset (`AbstractPod`, `Deployment`, `StatefulSet`). */
const POD_DEFAULTS = {
  restartPolicy: 'Always',
  dnsPolicy: 'ClusterFirst',
  hostNetwork: false,
  setHostnameAsFQDN: false,
  terminationGracePeriodSeconds: 30,
} as const;
const MIN_READY_SECONDS = 0;
const PROGRESS_DEADLINE_SECONDS = 600;

/**
 * The init container as cdk8s-plus's `addInitContainer` accepts it: probes are refused on
 * init containers that are not sidecars (same messages as cdk8s-plus-28).
 */
export function initContainerOf(props: kplus.ContainerProps): kplus.Container {
  if (props.restartPolicy !== kplus.ContainerRestartPolicy.ALWAYS) {
    if (props.readiness) throw new Error('Init containers must not have a readiness probe');
    if (props.liveness) throw new Error('Init containers must not have a liveness probe');
    if (props.startup) throw new Error('Init containers must not have a startup probe');
  }
  return new kplus.Container(props);
}

/** Only the keys of `fields` whose value is defined (one level): the rendering's own optional fields. */
function definedFields(fields: { [key: string]: Json }): Json {
  const result: Json = {};
  for (const key of Object.keys(fields)) {
    if (fields[key] !== undefined) result[key] = fields[key];
  }
  return result;
}

/** The pod volumes the containers mount, in cdk8s-plus's order (containers, then init containers). */
function podVolumes(containers: kplus.Container[], initContainers: kplus.Container[]): Json[] | undefined {
  const volumes = new Map<string, kplus.Volume>();
  for (const container of [...containers, ...initContainers]) {
    for (const mount of container.mounts) {
      const existing = volumes.get(mount.volume.name);
      if (existing && existing !== mount.volume) {
        throw new Error(`Invalid mount configuration. At least two different volumes have the same name: ${mount.volume.name}`);
      }
      volumes.set(mount.volume.name, mount.volume);
    }
  }
  return volumes.size > 0 ? [...volumes.values()].map(v => plainJson(v._toKube())) : undefined;
}

/**
 * The pod template: labels (with cdk8s-plus's address label) and spec, with the stable
 * identity's anti-affinity (what `applyStableIdentity` adds on the cdk8s-plus path).
 * The containers are written by `renderContainer`, the volumes and the security context are
 * cdk8s-plus renderings (through `plainJson`); everything else is written without undefined values.
 */
export function renderPodTemplate(pod: PlainPod, addressLabel: string, identity: StableIdentity, options: {
  readonly claimTemplates?: ClaimTemplate[];
  readonly enableServiceLinks?: boolean;
}): Json {
  for (const container of pod.containers) {
    if (container.restartPolicy) {
      throw new Error(`Invalid container spec: ${container.name} has non-empty restartPolicy field. The field can only be specified for initContainers`);
    }
  }
  const claimMounts = (options.claimTemplates ?? []).map(t => ({ name: t.name, mountPath: t.mountPath }));
  const affinity = stableAffinity(undefined, identity);
  return {
    metadata: { labels: withFields(pod.labels, { [kplus.Pod.ADDRESS_LABEL]: addressLabel }), annotations: { ...pod.annotations } },
    spec: definedFields({
      restartPolicy: POD_DEFAULTS.restartPolicy,
      dnsPolicy: POD_DEFAULTS.dnsPolicy,
      hostNetwork: POD_DEFAULTS.hostNetwork,
      setHostnameAsFQDN: POD_DEFAULTS.setHostnameAsFQDN,
      terminationGracePeriodSeconds: pod.terminationGracePeriod?.toSeconds() ?? POD_DEFAULTS.terminationGracePeriodSeconds,
      serviceAccountName: pod.serviceAccount?.name,
      containers: pod.containers.map(c => renderContainer(c, claimMounts)),
      initContainers: pod.initContainers.length > 0 ? pod.initContainers.map(c => renderContainer(c, claimMounts)) : undefined,
      securityContext: plainJson(new kplus.PodSecurityContext(pod.securityContext)._toKube()),
      volumes: podVolumes(pod.containers, pod.initContainers),
      imagePullSecrets: pod.dockerRegistryAuth ? [{ name: pod.dockerRegistryAuth.name }] : undefined,
      automountServiceAccountToken: pod.automountServiceAccountToken,
      enableServiceLinks: options.enableServiceLinks,
      affinity,
    }),
  };
}

/** What a plain StatefulSet renders from. */
export interface PlainStatefulSet {
  readonly pod: PlainPod;
  readonly identity: StableIdentity;
  readonly claimTemplates: ClaimTemplate[];
  readonly enableServiceLinks?: boolean;
  /** Undefined when an autoscaler owns the count. */
  readonly replicas?: number;
  readonly serviceName: string;
  readonly podManagementPolicy: kplus.PodManagementPolicy;
}

/** The StatefulSet spec `ClaimingStatefulSet` renders for the same input. */
export function renderStatefulSetSpec(set: PlainStatefulSet, addressLabel: string): Json {
  return definedFields({
    replicas: set.replicas,
    serviceName: set.serviceName,
    minReadySeconds: MIN_READY_SECONDS,
    template: renderPodTemplate(set.pod, addressLabel, set.identity, {
      claimTemplates: set.claimTemplates,
      enableServiceLinks: set.enableServiceLinks,
    }),
    selector: stableSelector(set.identity),
    podManagementPolicy: set.podManagementPolicy,
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    volumeClaimTemplates: set.claimTemplates.length > 0 ? set.claimTemplates.map(t => plainJson(renderClaimTemplate(t))) : undefined,
    persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
  });
}

/** What a plain Deployment renders from. */
export interface PlainDeployment {
  readonly pod: PlainPod;
  readonly identity: StableIdentity;
  /** Undefined when an autoscaler owns the count. */
  readonly replicas?: number;
  readonly recreate: boolean;
}

/** The Deployment spec `StableDeployment` renders for the same input. */
export function renderDeploymentSpec(deployment: PlainDeployment, addressLabel: string): Json {
  return definedFields({
    replicas: deployment.replicas,
    minReadySeconds: MIN_READY_SECONDS,
    progressDeadlineSeconds: PROGRESS_DEADLINE_SECONDS,
    template: renderPodTemplate(deployment.pod, addressLabel, deployment.identity, {}),
    selector: stableSelector(deployment.identity),
    strategy: deployment.recreate
      ? { type: 'Recreate' }
      : { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
  });
}

/** What a plain Service renders from. */
export interface PlainService {
  readonly type: kplus.ServiceType;
  readonly clusterIP?: string;
  readonly publishNotReadyAddresses?: boolean;
  readonly ports: kplus.ServicePort[];
  readonly selector: { [key: string]: string };
}

/** The Service spec `LabelSelectedService` renders for the same input. */
export function renderServiceSpec(service: PlainService): Json {
  return definedFields({
    clusterIP: service.clusterIP,
    externalIPs: [],
    type: service.type,
    selector: { ...service.selector },
    ports: service.ports.map(port => definedFields({
      name: port.name,
      port: port.port,
      targetPort: port.targetPort || undefined,
      nodePort: port.nodePort,
      protocol: port.protocol,
    })),
    publishNotReadyAddresses: service.publishNotReadyAddresses,
  });
}
