import { ApiObject, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  collectContainerPorts, DEFAULT_USER_ID, servicePortName, withContainerDefaults,
} from './_container-defaults';
import { isSingleDeployType, isStatefulDeployType } from './_deploy-type-traits';
import {
  isDns1035Label, isDns1123Label, MAX_DNS_LABEL_LENGTH, MAX_STATEFULSET_NAME_LENGTH, nameFromConstructId, podFqdn,
} from './_naming';
import { evenMemberCountProblem, faultTolerance, quorumSize } from './_quorum';
import { ProblemList } from './_validation';
import { ClaimingStatefulSet, ClaimTemplate, LabelSelectedService, StableDeployment, StableIdentity } from './_workloads';
import { DeployType } from './deploy-type';
import { IClusterPreset, PresetConfig } from './presets/preset-config';
import { ComponentVolume } from './volume';

/** Largest replica count Rainbond accepts for a component. */
const MAX_REPLICAS = 100;
/** Default capacity of a component volume (Rainbond's default since 2023). */
const DEFAULT_VOLUME_SIZE = Size.gibibytes(10);
/** Members of a preset cluster on STATEFUL_MULTIPLE when `replicas` is not given. */
const DEFAULT_PRESET_MEMBERS = 3;

/** Annotation naming the Rainbond deploy type of every object of a component. */
const DEPLOY_TYPE_ANNOTATION = 'rainbond.io/deploy-type';
/** Annotation naming the component every object belongs to. */
const COMPONENT_ANNOTATION = 'rainbond.io/component';
/** Annotation naming the cluster preset of a component. */
const PRESET_ANNOTATION = 'rainbond.io/cluster-preset';
/** Value of `app.kubernetes.io/managed-by`. */
const MANAGED_BY = 'cdk8s-rainbond';

/**
 * Properties of a `RainbondComponent`.
 */
export interface RainbondComponentProps {
  /** How the component is deployed: StatefulSet or Deployment, one or many instances. */
  readonly deployType: DeployType;

  /**
   * Number of instances. Single deploy types accept only 1; multiple types 1 to 100.
   * With a preset this is the member count and must be odd.
   * @default - 3 for a preset on STATEFUL_MULTIPLE, otherwise 1
   */
  readonly replicas?: number;

  /**
   * Containers of every instance. The first one is the main container; its name defaults
   * to the component name. Required unless a preset supplies the server container
   * (then these run beside it).
   * @default - none
   */
  readonly containers?: kplus.ContainerProps[];

  /**
   * Containers that run to completion before the main containers start.
   * @default - none
   */
  readonly initContainers?: kplus.ContainerProps[];

  /**
   * Persistent storage, mounted into every container and init container.
   * Stateful types get one claim per instance; stateless types one claim shared by all pods.
   * @default - no persistent storage
   */
  readonly volumes?: ComponentVolume[];

  /**
   * A clustered system (etcd, MySQL, ZooKeeper, Redis Sentinel) the component runs as a
   * real quorum cluster. Requires a stateful deploy type.
   * @default - no preset
   */
  readonly preset?: IClusterPreset;

  /**
   * Base Kubernetes name of every object (StatefulSet, governing Service, Deployment, claims).
   * Must be a DNS-1035 label; 52 characters at most for stateful types.
   * @default - derived from the construct id (lowercase, other characters replaced by '-')
   */
  readonly componentName?: string;

  /**
   * Namespace of every object; part of every instance's DNS name.
   * @default - the chart's namespace, else 'default'
   */
  readonly namespace?: string;

  /**
   * DNS domain of the cluster, used in instance FQDNs.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;

  /**
   * Extra labels on every object and pod (never part of a selector).
   * @default - only the recommended labels
   */
  readonly labels?: { [key: string]: string };

  /**
   * Extra annotations on every pod.
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };

  /**
   * Pod security context; each field given here wins over the default.
   * @default - runAsNonRoot with user and group 1000 (the preset's user with a preset), fsGroup when volumes are mounted
   */
  readonly securityContext?: kplus.PodSecurityContextProps;

  /**
   * Service account of the pods.
   * @default - the namespace's default service account
   */
  readonly serviceAccount?: kplus.IServiceAccount;

  /**
   * Mount the service account token into the pods.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;

  /**
   * Secret used to pull images.
   * @default - none
   */
  readonly dockerRegistryAuth?: kplus.ISecret;

  /**
   * Pod management policy of a stateful component. A preset requires its own policy.
   * @default - the preset's policy, else OrderedReady (instances start and stop in order)
   */
  readonly podManagementPolicy?: kplus.PodManagementPolicy;

  /**
   * Time an instance gets to stop after SIGTERM.
   * @default - the preset's period, else 30 seconds
   */
  readonly terminationGracePeriod?: Duration;

  /**
   * Create a PodDisruptionBudget. Multiple types allow one voluntary disruption at a time;
   * a preset allows as many as keep the quorum (its fault tolerance).
   * @default - true for multiple types, false for single types
   */
  readonly podDisruptionBudget?: boolean;

  /**
   * Prefer to place instances on different nodes (preferred, never required, anti-affinity).
   * @default true
   */
  readonly spreadAcrossNodes?: boolean;
}

/**
 * A Rainbond component: one of Rainbond's four deploy types rendered as correct
 * Kubernetes objects.
 *
 * Stateful types synthesize a StatefulSet, its governing headless Service (same name,
 * `publishNotReadyAddresses`), a client Service and one PersistentVolumeClaim per instance
 * from `volumeClaimTemplates` (retained on scale-down and delete). Stateless types synthesize
 * a Deployment, a Service and shared PersistentVolumeClaims.
 */
export class RainbondComponent extends Construct {
  /** The deploy type. */
  public readonly deployType: DeployType;
  /** Number of instances. */
  public readonly replicas: number;
  /** True for STATEFUL_SINGLE and STATEFUL_MULTIPLE. */
  public readonly isStateful: boolean;
  /** Base Kubernetes name of the component's objects. */
  public readonly componentName: string;
  /** Namespace of every object. */
  public readonly namespace: string;
  /** Cluster DNS domain used in instance FQDNs. */
  public readonly clusterDomain: string;
  /** Members that must agree for a quorum: floor(replicas/2)+1. */
  public readonly quorum: number;
  /** Members that may fail while a quorum remains: floor((replicas-1)/2). */
  public readonly faultTolerance: number;
  /** The StatefulSet (stateful types) or Deployment (stateless types). */
  public readonly workload: kplus.Workload;
  /**
   * The client Service (ClusterIP, ready instances only); named `<name>-client` for
   * stateful types and `<name>` for stateless types.
   * Undefined when no container declares a port.
   */
  public readonly service?: kplus.Service;
  /** The governing headless Service of a stateful component (same name as the StatefulSet). */
  public readonly headlessService?: kplus.Service;
  /** The PodDisruptionBudget, when one is created. */
  public readonly podDisruptionBudget?: kplus.k8s.KubePodDisruptionBudget;
  /** The system of the preset, e.g. 'etcd'. */
  public readonly presetSystem?: string;

  constructor(scope: Construct, id: string, props: RainbondComponentProps) {
    super(scope, id);
    this.deployType = props.deployType;
    this.isStateful = isStatefulDeployType(props.deployType);
    this.componentName = props.componentName ?? nameFromConstructId(id);
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.clusterDomain = props.clusterDomain ?? 'cluster.local';
    const defaultReplicas = props.preset && props.deployType === DeployType.STATEFUL_MULTIPLE ? DEFAULT_PRESET_MEMBERS : 1;
    this.replicas = props.replicas ?? defaultReplicas;
    this.quorum = quorumSize(this.replicas);
    this.faultTolerance = faultTolerance(this.replicas);

    const problems = new ProblemList();
    this.checkIdentity(props, problems);
    const preset = this.bindPreset(props, problems);
    this.presetSystem = preset?.system;
    const volumes = [...preset ? [preset.dataVolume] : [], ...props.volumes ?? []];
    const containers = [...preset ? [preset.container] : [], ...props.containers ?? []];
    const initContainers = [...preset?.initContainers ?? [], ...props.initContainers ?? []];
    this.checkContainers(containers, initContainers, problems);
    this.checkVolumes(volumes, problems);
    problems.throwIfAny(this.description);

    const identity: StableIdentity = {
      selectorLabels: {
        'app.kubernetes.io/name': this.componentName,
        'app.kubernetes.io/instance': this.componentName,
      },
      spreadAcrossNodes: props.spreadAcrossNodes ?? true,
    };
    const objectLabels = { ...props.labels, ...identity.selectorLabels, 'app.kubernetes.io/managed-by': MANAGED_BY };
    const servicePorts: kplus.ServicePort[] = collectContainerPorts(containers)
      .map(p => ({ name: servicePortName(p), port: p.number, targetPort: p.number, protocol: p.protocol }));
    // Stateful volumes are claim templates that ClaimingStatefulSet mounts by name; stateless ones are shared claims.
    const mounts: kplus.VolumeMount[] = this.isStateful ? [] : volumes.map(volume => ({
      path: volume.mountPath,
      volume: this.sharedClaimVolume(volume, objectLabels),
    }));
    const env = this.discoveryEnvironment();
    const withDefaults = (container: kplus.ContainerProps, index: number, prefix: string) => withContainerDefaults(container, {
      defaultName: index === 0 && prefix === '' ? this.componentName : `${this.componentName}-${prefix}${index}`,
      env,
      volumeMounts: mounts,
    });

    const podProps: kplus.WorkloadProps = {
      metadata: { name: this.componentName, namespace: this.namespace },
      podMetadata: {
        labels: { ...objectLabels },
        annotations: { ...props.podAnnotations, ...preset?.podAnnotations, [DEPLOY_TYPE_ANNOTATION]: this.deployType },
      },
      containers: containers.map((c, i) => withDefaults(c, i, '')),
      initContainers: initContainers.map((c, i) => withDefaults(c, i, 'init-')),
      securityContext: {
        ensureNonRoot: true,
        user: DEFAULT_USER_ID,
        group: DEFAULT_USER_ID,
        fsGroup: volumes.length > 0 ? DEFAULT_USER_ID : undefined,
        fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
        ...preset?.podSecurityContext,
        ...props.securityContext,
      },
      serviceAccount: props.serviceAccount,
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
      dockerRegistryAuth: props.dockerRegistryAuth,
      terminationGracePeriod: props.terminationGracePeriod ?? preset?.terminationGracePeriod,
    };

    if (this.isStateful) {
      this.headlessService = new LabelSelectedService(this, 'HeadlessService', {
        metadata: {
          name: this.componentName,
          namespace: this.namespace,
        },
        clusterIP: 'None',
        publishNotReadyAddresses: true,
        ports: servicePorts,
      });
      const claimTemplates: ClaimTemplate[] = volumes.map(volume => ({
        name: volume.name,
        storage: (volume.size ?? DEFAULT_VOLUME_SIZE).asString(),
        accessMode: volume.accessMode ?? kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE,
        storageClassName: volume.storageClassName,
        labels: { ...identity.selectorLabels },
        mountPath: volume.mountPath,
      }));
      this.workload = new ClaimingStatefulSet(this, 'Workload', {
        ...podProps,
        identity,
        claimTemplates,
        // the kubelet's service-link variables (e.g. ETCD_*) would reach the server as its own settings
        enableServiceLinks: preset ? false : undefined,
        replicas: this.replicas,
        service: this.headlessService,
        podManagementPolicy: props.podManagementPolicy ?? preset?.podManagementPolicy ?? kplus.PodManagementPolicy.ORDERED_READY,
        strategy: kplus.StatefulSetUpdateStrategy.rollingUpdate(),
      });
    } else {
      this.workload = new StableDeployment(this, 'Workload', {
        ...podProps,
        identity,
        replicas: this.replicas,
        strategy: this.needsRecreate(volumes)
          ? kplus.DeploymentStrategy.recreate()
          : kplus.DeploymentStrategy.rollingUpdate(),
      });
    }

    if (servicePorts.length > 0) {
      this.service = new LabelSelectedService(this, 'Service', {
        metadata: {
          name: this.isStateful ? `${this.componentName}-client` : this.componentName,
          namespace: this.namespace,
        },
        type: kplus.ServiceType.CLUSTER_IP,
        ports: servicePorts,
      });
    }
    for (const service of [this.service, this.headlessService]) {
      for (const [key, value] of Object.entries(identity.selectorLabels)) service?.selectLabel(key, value);
    }

    const maxUnavailable = preset ? this.faultTolerance : 1;
    if ((props.podDisruptionBudget ?? !isSingleDeployType(this.deployType)) && maxUnavailable > 0) {
      this.podDisruptionBudget = new kplus.k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
        metadata: { name: this.componentName, namespace: this.namespace },
        spec: {
          maxUnavailable: kplus.k8s.IntOrString.fromNumber(maxUnavailable),
          selector: { matchLabels: { ...identity.selectorLabels } },
        },
      });
    }

    this.labelEveryObject(objectLabels);
  }

  /**
   * FQDN of instance `ordinal`: `<name>-<ordinal>.<name>.<namespace>.svc.<clusterDomain>`.
   * Only stateful components have per-instance DNS names.
   */
  public podDnsName(ordinal: number): string {
    if (!this.isStateful) {
      throw new Error(`${this.description}: only stateful deploy types have per-instance DNS names. Fix: use DeployType.STATEFUL_SINGLE or STATEFUL_MULTIPLE, or address the component through its Service.`);
    }
    if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal >= this.replicas) {
      throw new Error(`${this.description}: ordinal ${ordinal} is out of range. Fix: use 0 to ${this.replicas - 1}.`);
    }
    return podFqdn(this.componentName, ordinal, this.namespace, this.clusterDomain);
  }

  /** FQDNs of all instances, ordinal 0 first; empty for stateless components. */
  public get podDnsNames(): string[] {
    return this.isStateful ? Array.from({ length: this.replicas }, (_, i) => this.podDnsName(i)) : [];
  }

  private get description(): string {
    return `RainbondComponent '${this.componentName}' (${this.node.path}, deploy type ${this.deployType})`;
  }

  private checkIdentity(props: RainbondComponentProps, problems: ProblemList): void {
    if (!Object.values(DeployType).includes(props.deployType)) {
      problems.add('deployType', `'${props.deployType}' is not a Rainbond deploy type`,
        `use one of ${Object.values(DeployType).join(', ')} (DeployType enum)`);
    }
    if (!isDns1035Label(this.componentName)) {
      problems.add('componentName', `'${this.componentName}' is not a valid Service name (DNS-1035 label: lowercase letters, digits and '-', starting with a letter, ending alphanumeric, at most ${MAX_DNS_LABEL_LENGTH} characters)`,
        'set componentName to such a name, e.g. \'my-db\'');
    } else if (this.isStateful && this.componentName.length > MAX_STATEFULSET_NAME_LENGTH) {
      problems.add('componentName', `'${this.componentName}' has ${this.componentName.length} characters; a StatefulSet name longer than ${MAX_STATEFULSET_NAME_LENGTH} makes the pods' controller-revision-hash label exceed 63 characters, so no pod is ever created`,
        `shorten componentName to ${MAX_STATEFULSET_NAME_LENGTH} characters or fewer`);
    }
    if (!isDns1123Label(this.namespace)) {
      problems.add('namespace', `'${this.namespace}' is not a valid namespace (DNS-1123 label)`, 'use lowercase letters, digits and \'-\', at most 63 characters');
    }
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(this.clusterDomain)) {
      problems.add('clusterDomain', `'${this.clusterDomain}' is not a DNS domain`, 'use the kubelet\'s --cluster-domain, e.g. \'cluster.local\'');
    }
    const replicas = this.replicas;
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS) {
      problems.add('replicas', `must be a whole number from 1 to ${MAX_REPLICAS}, got ${replicas}`, `set replicas between 1 and ${MAX_REPLICAS}`);
    } else if (isSingleDeployType(props.deployType) && replicas !== 1) {
      const multiple = props.deployType === DeployType.STATEFUL_SINGLE ? 'STATEFUL_MULTIPLE' : 'STATELESS_MULTIPLE';
      problems.add('replicas', `${props.deployType} always runs exactly 1 instance, got ${replicas}`, `remove replicas, or use DeployType.${multiple} to scale`);
    }
  }

  private bindPreset(props: RainbondComponentProps, problems: ProblemList): PresetConfig | undefined {
    if (!props.preset) return undefined;
    if (!this.isStateful) {
      problems.add('preset', `a cluster preset keeps its own state and needs per-instance storage and stable DNS names, which ${props.deployType} does not give`,
        'use DeployType.STATEFUL_MULTIPLE (or STATEFUL_SINGLE for a one-member cluster)');
      return undefined;
    }
    if (problems.size > 0) return undefined; // a preset renders from a valid identity only
    const config = props.preset.bind(this, {
      componentName: this.componentName,
      namespace: this.namespace,
      clusterDomain: this.clusterDomain,
      replicas: this.replicas,
      podDnsNames: this.podDnsNames,
    });
    const even = evenMemberCountProblem(this.replicas);
    if (even) problems.add('replicas', `${config.system}: ${even}`, `set replicas to an odd number up to ${config.maxMembers}`);
    if (this.replicas > config.maxMembers) {
      problems.add('replicas', `${config.system} supports at most ${config.maxMembers} members, got ${this.replicas}`, `set replicas to at most ${config.maxMembers}`);
    }
    if (props.podManagementPolicy && props.podManagementPolicy !== config.podManagementPolicy) {
      problems.add('podManagementPolicy', `${config.system} needs ${config.podManagementPolicy} to form its cluster, got ${props.podManagementPolicy}`,
        'remove podManagementPolicy; the preset sets it');
    }
    for (const problem of config.problems ?? []) problems.addRaw(`preset ${config.system}`, problem);
    return config;
  }

  private checkContainers(containers: kplus.ContainerProps[], initContainers: kplus.ContainerProps[], problems: ProblemList): void {
    if (containers.length === 0) {
      problems.add('containers', 'a component needs at least one container', 'pass containers: [{ image: \'...\' }] or a preset');
    }
    const names = new Set<string>();
    [...containers, ...initContainers].forEach((container, index) => {
      const name = container.name;
      if (name === undefined) return;
      if (!isDns1123Label(name)) {
        problems.add(`containers[${index}].name`, `'${name}' is not a DNS-1123 label`, 'use lowercase letters, digits and \'-\'');
      } else if (names.has(name)) {
        problems.add(`containers[${index}].name`, `'${name}' is used by two containers`, 'give every container and init container its own name');
      }
      names.add(name);
    });
    const ports = collectContainerPorts(containers);
    if (this.isStateful && containers.length > 0 && ports.length === 0) {
      problems.add('containers', 'a stateful component needs at least one container port: its governing headless Service publishes the per-instance DNS names',
        'declare the ports the instances listen on, e.g. ports: [{ number: 5432 }]');
    }
    const portNames = new Set<string>();
    for (const port of ports) {
      const name = servicePortName(port);
      if (portNames.has(name)) {
        problems.add('containers.ports', `port name '${name}' is used twice`, 'give every container port its own name');
      }
      portNames.add(name);
    }
  }

  private checkVolumes(volumes: ComponentVolume[], problems: ProblemList): void {
    const names = new Set<string>();
    const paths = new Set<string>();
    volumes.forEach((volume, index) => {
      const where = `volumes[${index}]`;
      if (!isDns1123Label(volume.name)) {
        problems.add(`${where}.name`, `'${volume.name}' is not a DNS-1123 label`, 'use lowercase letters, digits and \'-\', at most 63 characters');
      } else if (names.has(volume.name)) {
        problems.add(`${where}.name`, `volume name '${volume.name}' is used twice`, 'give every volume its own name');
      }
      names.add(volume.name);
      if (!volume.mountPath.startsWith('/')) {
        problems.add(`${where}.mountPath`, `'${volume.mountPath}' is not an absolute path`, 'use a path starting with \'/\'');
      } else if (paths.has(volume.mountPath.replace(/\/+$/, ''))) {
        problems.add(`${where}.mountPath`, `mount path '${volume.mountPath}' is used twice`, 'mount every volume at its own path');
      }
      paths.add(volume.mountPath.replace(/\/+$/, ''));
      if (volume.size !== undefined && !isPositiveWholeByteSize(volume.size)) {
        problems.add(`${where}.size`, `'${describeSize(volume.size)}' is not a valid capacity`, 'use a positive whole size such as Size.gibibytes(10)');
      }
      const mode = this.accessModeOf(volume);
      const sharedBySeveral = this.deployType === DeployType.STATELESS_MULTIPLE && this.replicas > 1;
      if (sharedBySeveral && isSingleNodeAccessMode(mode)) {
        problems.add(`${where}.accessMode`, `${mode} volume '${volume.name}' would be shared by ${this.replicas} replicas of a stateless multiple component; pods on other nodes could not attach it`,
          'use PersistentVolumeAccessMode.READ_WRITE_MANY with an RWX-capable storage class, or DeployType.STATEFUL_MULTIPLE for a volume per instance');
      }
    });
  }

  private accessModeOf(volume: ComponentVolume): kplus.PersistentVolumeAccessMode {
    return volume.accessMode ?? (this.deployType === DeployType.STATELESS_MULTIPLE
      ? kplus.PersistentVolumeAccessMode.READ_WRITE_MANY
      : kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE);
  }

  /** A ReadWriteOnce claim cannot be attached by a surge pod on another node: stop the old pod first. */
  private needsRecreate(volumes: ComponentVolume[]): boolean {
    return volumes.some(v => isSingleNodeAccessMode(this.accessModeOf(v)));
  }

  /** A claim of a stateless component, shared by every pod, and the pod volume that mounts it. */
  private sharedClaimVolume(volume: ComponentVolume, labels: { [key: string]: string }): kplus.Volume {
    const claim = new kplus.PersistentVolumeClaim(this, `Claim-${volume.name}`, {
      metadata: { name: `${this.componentName}-${volume.name}`, namespace: this.namespace, labels },
      storage: volume.size ?? DEFAULT_VOLUME_SIZE,
      accessModes: [this.accessModeOf(volume)],
      storageClassName: volume.storageClassName,
    });
    return kplus.Volume.fromPersistentVolumeClaim(this, `ClaimVolume-${volume.name}`, claim, { name: volume.name });
  }

  /** Rainbond's discovery variables, so cluster scripts written for Rainbond run unchanged. */
  private discoveryEnvironment(): { [name: string]: kplus.EnvValue } {
    return {
      _SERVICE_NAME: kplus.EnvValue.fromValue(this.componentName),
      _NAMESPACE: kplus.EnvValue.fromValue(this.namespace),
      _POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
      _POD_IP: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_IP),
      _SERVICE_POD_NUM: kplus.EnvValue.fromValue(String(this.replicas)),
    };
  }

  /** Recommended labels and Rainbond annotations on every object under this component. */
  private labelEveryObject(labels: { [key: string]: string }): void {
    for (const child of this.node.findAll()) {
      if (!(child instanceof ApiObject)) continue;
      for (const [key, value] of Object.entries(labels)) child.metadata.addLabel(key, value);
      child.metadata.addAnnotation(DEPLOY_TYPE_ANNOTATION, this.deployType);
      child.metadata.addAnnotation(COMPONENT_ANNOTATION, this.componentName);
      if (this.presetSystem) child.metadata.addAnnotation(PRESET_ANNOTATION, this.presetSystem);
    }
  }
}

/** ReadWriteOnce and ReadWriteOncePod claims attach to one node (one pod) at a time. */
function isSingleNodeAccessMode(mode: kplus.PersistentVolumeAccessMode): boolean {
  return mode === kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE || mode === kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE_POD;
}

function isPositiveWholeByteSize(size: Size): boolean {
  try {
    const bytes = size.toKibibytes() * 1024;
    return Number.isFinite(bytes) && bytes > 0;
  } catch {
    return false;
  }
}

function describeSize(size: Size): string {
  try {
    return size.asString();
  } catch {
    return String(size);
  }
}
