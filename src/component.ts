import { ApiObject, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkAutoscaling, renderAutoscaler } from './_autoscaling';
import { CONFIG_CHECKSUM_ANNOTATION, contentChecksum } from './_checksum';
import {
  collectContainerPorts, DEFAULT_INIT_RESOURCES, DEFAULT_RESOURCES, DEFAULT_USER_ID, servicePortName, withContainerDefaults,
} from './_container-defaults';
import {
  checkConnectionInfo, checkDependency, dependencyPath, portAliases, waitForPortContainer,
} from './_dependencies';
import { isSingleDeployType, isStatefulDeployType } from './_deploy-type-traits';
import {
  clientServiceFqdn, clientServiceName, isDns1035Label, isDns1123Label, MAX_DNS_LABEL_LENGTH, MAX_STATEFULSET_NAME_LENGTH, nameFromConstructId,
  normalizedMountPath, podFqdn,
} from './_naming';
import { checkOuterAccess, renderOuterAccess } from './_outer-access';
import { evenMemberCountProblem, faultTolerance, quorumSize } from './_quorum';
import { rootUserProblems } from './_root-user';
import { checkSharedVolumes, sharedVolumeName, SharingOwner } from './_shared-volumes';
import { registerObjectOwner } from './_unique-names';
import { ProblemList } from './_validation';
import {
  checkVolumeTypes, claimAnnotations, isClaimVolume, isWholeGibibytes, renderPodVolumes, storageClassOf,
} from './_volumes';
import { ClaimingStatefulSet, ClaimTemplate, LabelSelectedService, StableDeployment, StableIdentity } from './_workloads';
import { AutoscalingOptions } from './autoscaling';
import { ConnectionValue, DependencyOptions } from './connection';
import { DeployType } from './deploy-type';
import { ComponentPortSettings } from './port';
import { networkPolicyProblems, networkPolicySpec } from './presets/_network-policy';
import { IClusterPreset, PresetConfig } from './presets/preset-config';
import { SharedVolumeMount } from './shared-volume';
import { ComponentVolume } from './volume';

/** Largest replica count Rainbond accepts for a component. */
const MAX_REPLICAS = 100;
/** Default capacity of a component volume (Rainbond's default since 2023). */
const DEFAULT_VOLUME_SIZE = Size.gibibytes(10);
/** Members of a preset cluster on STATEFUL_MULTIPLE when `replicas` is not given. */
const DEFAULT_PRESET_MEMBERS = 3;

/** Every Rainbond deploy type. */
const DEPLOY_TYPES: readonly DeployType[] = Object.values(DeployType);

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
   * (then these run beside it). A container (or init container) without an `imagePullPolicy`
   * gets the one Kubernetes defaults to for its image: `IfNotPresent` for a pinned tag or a
   * digest, `Always` for `latest` or no tag (cdk8s-plus alone would render `Always` everywhere).
   * @default - none
   */
  readonly containers?: kplus.ContainerProps[];

  /**
   * Containers that run to completion before the main containers start. One that sets no
   * `resources` gets requests of 50m CPU / 64Mi memory and limits of 500m / 256Mi: smaller than a
   * main container's default, since the scheduler reserves the larger of the biggest init request
   * and the sum of the main requests; set `resources` for heavier work (migrations, restores).
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
   * Required with a `serviceAccount` imported by name (`ServiceAccount.fromServiceAccountName`):
   * its own setting is not visible to the app, and the pod's field would override it either way.
   * @default - the `automountToken` of `serviceAccount` when it is a `kplus.ServiceAccount` defined in
   * the app (an account made with `automountToken: true` gets its token); false without a `serviceAccount`
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

  /**
   * Rainbond settings of ports the containers declare: port alias, outer access.
   * @default - every port with its default alias (`<NAME>` + port number)
   */
  readonly portSettings?: ComponentPortSettings[];

  /**
   * Connection information (Rainbond's 连接信息) injected into the containers of every component
   * that depends on this one, besides `<ALIAS>_HOST`/`<ALIAS>_PORT`. Secrets only as
   * `ConnectionValue.fromSecretKey`: a plain value for a name such as `*_PASSWORD` is refused.
   * @default - the preset's connection information, if any (entries given here win)
   */
  readonly connectionInfo?: { [name: string]: ConnectionValue };

  /**
   * Components this one depends on, as if `dependsOn` were called for each.
   * @default - none
   */
  readonly dependencies?: RainbondComponent[];

  /**
   * Give the pods an init container per dependency that waits until the dependency's first TCP
   * port accepts connections (image `busybox:1.36.1`). Off by default: a client that retries
   * needs none, and a pod that waits cannot start while its dependency is down.
   * @default false
   */
  readonly waitForDependencies?: boolean;

  /**
   * Scale STATELESS_MULTIPLE or STATEFUL_MULTIPLE (without a preset) with a HorizontalPodAutoscaler;
   * the workload then omits `replicas`. Refused on single types and on presets.
   * @default - a fixed number of instances (`replicas`)
   */
  readonly autoscaling?: AutoscalingOptions;

  /**
   * Volumes of other components mounted into every container: a `share-file` volume of a
   * stateless component in the same namespace, ReadWriteMany (ReadOnlyMany when mounted read-only).
   * @default - none
   */
  readonly sharedVolumes?: SharedVolumeMount[];
}

/**
 * A Rainbond component: one of Rainbond's four deploy types rendered as correct
 * Kubernetes objects.
 *
 * Stateful types synthesize a StatefulSet, its governing headless Service (same name,
 * `publishNotReadyAddresses`), a client Service and one PersistentVolumeClaim per instance
 * from `volumeClaimTemplates` (retained on scale-down and delete). Stateless types synthesize
 * a Deployment, a client Service and shared PersistentVolumeClaims.
 *
 * The client Service is `<name>-client` for every deploy type, so the address clients use
 * survives a switch between stateful and stateless; `<name>` is reserved for the governing
 * headless Service, because a StatefulSet's pods are named `<name>-N.<name>.<namespace>.svc`
 * after it (Rainbond, too, names a StatefulSet's serviceName after the workload).
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
  /** The system of the preset, e.g. 'etcd'. */
  public readonly presetSystem?: string;
  /**
   * The labels that select this component's pods (`app.kubernetes.io/name` and `app.kubernetes.io/instance`);
   * they never change between releases. Plain strings, so any cdk8s-plus version can select the pods with them,
   * e.g. `kplus33.Pods.select(scope, 'web-pods', { labels: component.selectorLabels })`.
   */
  public readonly selectorLabels: { [key: string]: string };
  /** The NetworkPolicy of a preset cluster, when its `networkPolicy` option is given. */
  public readonly networkPolicy?: kplus.k8s.KubeNetworkPolicy;
  /** The HorizontalPodAutoscaler (autoscaling/v2) when `autoscaling` is given. */
  public readonly autoscaler?: kplus.k8s.KubeHorizontalPodAutoscalerV2;
  /** Connection information injected into every dependant (the preset's, then `connectionInfo`). */
  public readonly connectionInfo: { [name: string]: ConnectionValue };

  private readonly namespaceExplicit: boolean;
  private readonly aliases: Map<number, string>;
  private readonly waitForDependencies: boolean;
  private readonly dependencyList: RainbondComponent[] = [];
  /** Variable name -> the dependency that injected it. */
  private readonly injectedBy = new Map<string, string>();
  /** Volumes of the component, and the shared claims of a stateless one, for other components to mount. */
  private readonly volumeList: ComponentVolume[];
  private readonly sharedClaims = new Map<string, kplus.IPersistentVolumeClaim>();
  /** What the workload and Services render from. */
  private readonly model: WorkloadModel;
  /** The workload and Services, created once in the constructor. */
  private readonly objects: Cdk8sPlusObjects;
  /** The PodDisruptionBudget, when the component has one. */
  private readonly disruptionBudget?: kplus.k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: RainbondComponentProps) {
    super(scope, id);
    this.deployType = props.deployType;
    this.isStateful = isStatefulDeployType(props.deployType);
    this.componentName = props.componentName ?? nameFromConstructId(id);
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.namespaceExplicit = (props.namespace ?? Chart.of(this).namespace) !== undefined;
    this.waitForDependencies = props.waitForDependencies ?? false;
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
    this.checkContainers(containers, initContainers, props.preset !== undefined, problems);
    this.checkMountPaths(containers, initContainers, volumes, props.sharedVolumes ?? [], problems);
    checkServiceAccount(props.serviceAccount, props.automountServiceAccountToken, problems);
    this.checkVolumes(volumes, problems);
    checkVolumeTypes(volumes, this.deployType, problems);
    const containerPorts = collectContainerPorts(containers);
    this.aliases = portAliases(props.portSettings ?? [], [...new Set(containerPorts.map(p => p.number))], this.componentName, problems);
    checkOuterAccess(props.portSettings ?? [], containerPorts, this.componentName, problems);
    this.volumeList = volumes;
    const sharedVolumes = props.sharedVolumes ?? [];
    checkSharedVolumes(sharedVolumes, this.namespace, volumes,
      owner => owner instanceof RainbondComponent ? owner.sharingView(this) : undefined, problems);
    rootUserProblems({ ...preset?.podSecurityContext, ...props.securityContext }, [...containers, ...initContainers], problems);
    this.connectionInfo = { ...preset?.connectionInfo, ...props.connectionInfo };
    checkConnectionInfo(this.connectionInfo, problems);
    if (props.autoscaling) {
      checkAutoscaling(props.autoscaling, {
        deployType: this.deployType, presetSystem: preset?.system, hasPreset: props.preset !== undefined, replicas: this.replicas, containers,
      }, problems);
    }
    const dependencies = props.dependencies ?? [];
    const waits = this.waitForDependencies ? dependencies.map(d => this.waitContainerFor(d)).filter(isDefined) : [];
    problems.throwIfAny(() => this.description);

    const identity: StableIdentity = {
      selectorLabels: {
        'app.kubernetes.io/name': this.componentName,
        'app.kubernetes.io/instance': this.componentName,
      },
      spreadAcrossNodes: props.spreadAcrossNodes ?? true,
    };
    this.selectorLabels = { ...identity.selectorLabels };
    const objectLabels = Object.assign({}, props.labels, identity.selectorLabels, { 'app.kubernetes.io/managed-by': MANAGED_BY });
    const servicePorts: kplus.ServicePort[] = containerPorts
      .map(p => ({ name: servicePortName(p), port: p.number, targetPort: p.number, protocol: p.protocol }));
    // Stateful claim volumes are claim templates that ClaimingStatefulSet mounts by name; stateless ones are shared claims.
    const claimVolumes = volumes.filter(isClaimVolume);
    const podVolumes = renderPodVolumes(this, this.componentName, this.namespace, volumes);
    const mounts: kplus.VolumeMount[] = [...this.isStateful ? [] : claimVolumes.map(volume => ({
      path: volume.mountPath,
      volume: this.sharedClaimVolume(volume, objectLabels),
    })), ...podVolumes.mounts, ...sharedVolumes.map(shared => this.sharedVolumeMount(shared))];
    const podAnnotations: { [key: string]: string } = Object.assign({}, props.podAnnotations, preset?.podAnnotations, {
      [DEPLOY_TYPE_ANNOTATION]: this.deployType,
    });
    if (podVolumes.configChecksum) {
      // one checksum over the preset's rendered files and the component's config files
      const presetChecksum = preset?.podAnnotations?.[CONFIG_CHECKSUM_ANNOTATION];
      podAnnotations[CONFIG_CHECKSUM_ANNOTATION] = presetChecksum === undefined ? podVolumes.configChecksum
        : contentChecksum({ 'preset': presetChecksum, 'config-files': podVolumes.configChecksum });
    }
    const env = this.discoveryEnvironment();
    const withDefaults = (container: kplus.ContainerProps, index: number, prefix: '' | 'init-') => withContainerDefaults(container, {
      defaultName: this.defaultContainerName(index, prefix),
      defaultResources: prefix === '' ? DEFAULT_RESOURCES : DEFAULT_INIT_RESOURCES,
      env,
      volumeMounts: mounts,
    });

    const podProps: kplus.WorkloadProps = {
      metadata: { name: this.componentName, namespace: this.namespace },
      podMetadata: { labels: { ...objectLabels }, annotations: podAnnotations },
      containers: containers.map((c, i) => withDefaults(c, i, '')),
      initContainers: [...waits, ...initContainers].map((c, i) => withDefaults(c, i, 'init-')),
      securityContext: {
        ensureNonRoot: true,
        user: DEFAULT_USER_ID,
        group: DEFAULT_USER_ID,
        fsGroup: volumes.length + sharedVolumes.length > 0 ? DEFAULT_USER_ID : undefined,
        fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
        ...preset?.podSecurityContext,
        ...props.securityContext,
      },
      serviceAccount: props.serviceAccount,
      automountServiceAccountToken: automountToken(props.serviceAccount, props.automountServiceAccountToken),
      dockerRegistryAuth: props.dockerRegistryAuth,
      terminationGracePeriod: props.terminationGracePeriod ?? preset?.terminationGracePeriod,
    };

    const claimTemplates: ClaimTemplate[] = this.isStateful ? claimVolumes.map(volume => ({
      name: volume.name,
      storage: (volume.size ?? DEFAULT_VOLUME_SIZE).asString(),
      accessMode: volume.accessMode ?? kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE,
      storageClassName: storageClassOf(volume),
      labels: { ...identity.selectorLabels },
      annotations: claimAnnotations(volume),
      mountPath: volume.mountPath,
    })) : [];
    const clientPorts = preset?.clientPorts ? servicePorts.filter(p => preset.clientPorts!.includes(p.port)) : servicePorts;
    this.model = {
      podProps,
      identity,
      claimTemplates,
      // the kubelet's service-link variables (e.g. ETCD_*) would reach the server as its own settings
      enableServiceLinks: preset ? false : undefined,
      podManagementPolicy: props.podManagementPolicy ?? preset?.podManagementPolicy ?? kplus.PodManagementPolicy.ORDERED_READY,
      recreate: !this.isStateful && this.needsRecreate(claimVolumes),
      servicePorts,
      clientPorts,
      hasAutoscaler: props.autoscaling !== undefined,
    };
    this.objects = this.createCdk8sPlusObjects();

    if (preset?.networkPolicy) {
      const toPolicyPort = (p: kplus.ServicePort) => ({ port: p.port, protocol: p.protocol ?? kplus.Protocol.TCP });
      this.networkPolicy = new kplus.k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
        metadata: { name: this.componentName, namespace: this.namespace },
        spec: networkPolicySpec({
          memberLabels: identity.selectorLabels,
          memberPorts: servicePorts.map(toPolicyPort),
          clientPorts: clientPorts.map(toPolicyPort),
          policy: preset.networkPolicy,
        }),
      });
    }

    if (clientPorts.length > 0) {
      renderOuterAccess(this, {
        componentName: this.componentName,
        namespace: this.namespace,
        clientServiceName: clientServiceName(this.componentName),
        selectorLabels: identity.selectorLabels,
        ports: containerPorts,
      }, props.portSettings ?? []);
    }

    if (props.autoscaling) {
      this.autoscaler = renderAutoscaler(this, this.componentName, this.namespace, this.workloadReference, props.autoscaling,
        props.autoscaling.minReplicas ?? this.replicas);
    }

    const maxUnavailable = preset ? this.faultTolerance : 1;
    if ((props.podDisruptionBudget ?? !isSingleDeployType(this.deployType)) && maxUnavailable > 0) {
      this.disruptionBudget = new kplus.k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
        metadata: { name: this.componentName, namespace: this.namespace },
        spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(maxUnavailable), selector: { matchLabels: { ...this.selectorLabels } } },
      });
    }

    this.labelEveryObject(objectLabels);
    this.registerAsOwner();
    for (const dependency of dependencies) this.addDependency(dependency, false);
  }

  /** The StatefulSet (stateful types) or Deployment (stateless types); `statefulSet` / `deployment` are typed. */
  public get workload(): kplus.Workload {
    return this.objects.workload;
  }

  /** The StatefulSet of a stateful component; undefined for stateless types. */
  public get statefulSet(): kplus.StatefulSet | undefined {
    return this.isStateful ? this.objects.workload as kplus.StatefulSet : undefined;
  }

  /** The Deployment of a stateless component; undefined for stateful types. */
  public get deployment(): kplus.Deployment | undefined {
    return this.isStateful ? undefined : this.objects.workload as kplus.Deployment;
  }

  /**
   * The client Service (ClusterIP, ready instances only), named `<name>-client` for every
   * deploy type, so a dependant's address never depends on the deploy type: switching a
   * component between stateful and stateless keeps this Service (and the clients that use it)
   * unchanged. A stateful component additionally has its governing headless Service `<name>`
   * (see `headlessService`), which gives every instance its DNS name.
   * Undefined when no container declares a port (only possible for stateless types);
   * `clientService` returns it or throws.
   */
  public get service(): kplus.Service | undefined {
    return this.objects.service;
  }

  /** The governing headless Service of a stateful component (same name as the StatefulSet). */
  public get headlessService(): kplus.Service | undefined {
    return this.objects.headlessService;
  }

  /**
   * The client Service `<name>-client`. It exists whenever a container declares a port, which
   * every stateful component must; throws, naming the fix, for a stateless component without ports.
   */
  public get clientService(): kplus.Service {
    if (!this.objects.service) {
      throw new Error(`${this.description} has no client Service: no container declares a port. Fix: declare the port clients use, e.g. ports: [{ number: 8080 }], or check component.service for undefined.`);
    }
    return this.objects.service;
  }

  /** The PodDisruptionBudget, when one is created. */
  public get podDisruptionBudget(): kplus.k8s.KubePodDisruptionBudget | undefined {
    return this.disruptionBudget;
  }

  /**
   * Always false: the component renders its objects once, through cdk8s-plus and `k8s.Kube*` objects.
   * @deprecated the plain rendering of earlier releases is gone; nothing needs to check for it.
   */
  public get rendersPlainly(): boolean {
    return false;
  }

  /** Components this one depends on, in the order they were added. */
  public get dependencies(): RainbondComponent[] {
    return [...this.dependencyList];
  }

  /** Alias of a port the containers declare (the prefix of the variables dependants get). */
  public portAlias(port: number): string {
    const alias = this.aliases.get(port);
    if (alias === undefined) {
      throw new Error(`${this.description}: port ${port} is not declared by any container. Fix: use one of ${[...this.aliases.keys()].join(', ') || '(no ports)'}.`);
    }
    return alias;
  }

  /**
   * Depends on another component (Rainbond's 依赖): every container and init container of this
   * component gets, for each port of the other's client Service, `<ALIAS>_HOST` (the Service's DNS
   * name `<service>.<namespace>.svc.<clusterDomain>`) and `<ALIAS>_PORT`, for a stateful component
   * also `<ALIAS>_HOSTS` (the instance FQDNs, comma-separated), and the other's `connectionInfo`.
   * Refused for a cycle, a component of another chart without a namespace, and a variable that
   * another dependency or a container already defines.
   */
  public dependsOn(other: RainbondComponent, options: DependencyOptions = {}): void {
    this.addDependency(other, options.waitForPort ?? this.waitForDependencies);
  }

  private addDependency(other: RainbondComponent, wait: boolean): void {
    const problems = new ProblemList();
    const workload = this.objects.workload;
    const containers = [...workload.containers, ...workload.initContainers];
    const variables = checkDependency({
      namespace: this.namespace,
      dependencyNames: this.dependencyList.map(d => d.componentName),
      cyclePath: dependencyPath(other, this as RainbondComponent, c => c.dependencyList)?.map(c => c.componentName),
      injectedBy: this.injectedBy,
      containers: containers.map(c => ({ name: c.name, variables: Object.keys(c.env.variables) })),
    }, {
      componentName: other.componentName,
      isStateful: other.isStateful,
      namespace: other.namespace,
      foreignChartWithoutNamespace: Chart.of(other) !== Chart.of(this) && !other.namespaceExplicit ? Chart.of(other).node.path : undefined,
      serviceHost: other.clientServiceHost,
      servicePorts: other.model.clientPorts.map(p => p.port),
      aliases: other.aliases,
      podDnsNames: other.podDnsNames,
      connectionInfo: other.connectionInfo,
    }, problems);
    problems.throwIfAny(() => this.description);
    for (const variable of variables) this.injectedBy.set(variable.name, other.componentName);
    this.dependencyList.push(other);
    for (const container of containers) {
      for (const variable of variables) container.env.addVariable(variable.name, variable.value);
    }
    const waitContainer = wait ? this.waitContainerFor(other) : undefined;
    if (waitContainer) {
      workload.addInitContainer(withContainerDefaults(waitContainer, {
        defaultName: waitContainer.name!, env: this.discoveryEnvironment(), volumeMounts: [], defaultResources: DEFAULT_INIT_RESOURCES,
      }));
    }
  }

  /** `<service>.<namespace>.svc.<clusterDomain>` of the client Service; undefined without one. */
  private get clientServiceHost(): string | undefined {
    return this.model.clientPorts.length > 0
      ? clientServiceFqdn(this.componentName, this.namespace, this.clusterDomain) : undefined;
  }

  /** apiVersion, kind and name of the workload (for the autoscaler's target). */
  private get workloadReference(): kplus.k8s.CrossVersionObjectReferenceV2 {
    return { apiVersion: 'apps/v1', kind: this.isStateful ? 'StatefulSet' : 'Deployment', name: this.componentName };
  }

  /** The workload and Services as cdk8s-plus objects. */
  private createCdk8sPlusObjects(): Cdk8sPlusObjects {
    const model = this.model;
    const { podProps, identity } = model;
    let headlessService: kplus.Service | undefined;
    let workload: kplus.Deployment | kplus.StatefulSet;
    if (this.isStateful) {
      headlessService = new LabelSelectedService(this, 'HeadlessService', {
        metadata: { name: this.componentName, namespace: this.namespace },
        clusterIP: 'None',
        publishNotReadyAddresses: true,
        ports: model.servicePorts,
      });
      workload = new ClaimingStatefulSet(this, 'Workload', {
        ...podProps,
        identity,
        claimTemplates: model.claimTemplates,
        enableServiceLinks: model.enableServiceLinks,
        replicas: this.replicas,
        service: headlessService,
        podManagementPolicy: model.podManagementPolicy,
        strategy: kplus.StatefulSetUpdateStrategy.rollingUpdate(),
      });
    } else {
      workload = new StableDeployment(this, 'Workload', {
        ...podProps,
        identity,
        replicas: this.replicas,
        strategy: model.recreate ? kplus.DeploymentStrategy.recreate() : kplus.DeploymentStrategy.rollingUpdate(),
      });
    }
    const service = model.clientPorts.length > 0 ? new LabelSelectedService(this, 'Service', {
      metadata: { name: clientServiceName(this.componentName), namespace: this.namespace },
      type: kplus.ServiceType.CLUSTER_IP,
      ports: model.clientPorts,
    }) : undefined;
    for (const s of [service, headlessService]) {
      for (const [key, value] of Object.entries(identity.selectorLabels)) s?.selectLabel(key, value);
    }
    if (model.hasAutoscaler) workload.markHasAutoscaler();
    return { workload, service, headlessService };
  }

  /** The wait-for-port init container for a dependency: its first TCP client Service port. */
  private waitContainerFor(other: RainbondComponent): kplus.ContainerProps | undefined {
    const port = other.model.clientPorts.find(p => (p.protocol ?? kplus.Protocol.TCP) === kplus.Protocol.TCP);
    if (!port) return undefined;
    const name = `wait-for-${other.componentName}`.slice(0, MAX_DNS_LABEL_LENGTH).replace(/-+$/, '');
    return waitForPortContainer(name, other.clientServiceHost!, port.port);
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
    if (!DEPLOY_TYPES.includes(props.deployType)) {
      problems.add('deployType', `'${props.deployType}' is not a Rainbond deploy type`,
        `use one of ${DEPLOY_TYPES.join(', ')} (DeployType enum)`);
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
    if (typeof replicas !== 'number') {
      const got = typeof replicas === 'string' ? `the string '${replicas}'` : `a value of type ${replicas === null ? 'null' : typeof replicas}`;
      problems.add('replicas', `must be a number, got ${got}`, `pass a number, e.g. replicas: ${typeof replicas === 'string' && /^\d+$/.test(replicas) ? replicas : 3} (not in quotes)`);
    } else if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS) {
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
      clientServiceDnsName: clientServiceFqdn(this.componentName, this.namespace, this.clusterDomain),
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
    const declared = collectContainerPorts([config.container]).map(p => p.number);
    for (const port of config.clientPorts ?? []) {
      if (!declared.includes(port)) {
        problems.add('preset', `${config.system}: client port ${port} is not a port of the server container (${declared.join(', ')})`,
          'list only ports the preset\'s server container declares in clientPorts');
      }
    }
    for (const problem of config.networkPolicy ? networkPolicyProblems(config.networkPolicy) : []) problems.addRaw(`preset ${config.system}`, problem);
    for (const problem of config.problems ?? []) problems.addRaw(`preset ${config.system}`, problem);
    return config;
  }

  private checkContainers(
    containers: kplus.ContainerProps[], initContainers: kplus.ContainerProps[], presetGiven: boolean, problems: ProblemList): void {
    // A preset supplies the server container; when it cannot bind (its own problem is reported), say nothing more.
    if (containers.length === 0 && !presetGiven) {
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
    const client = clientServiceName(this.componentName);
    if (ports.length > 0 && isDns1035Label(this.componentName) && client.length > MAX_DNS_LABEL_LENGTH) {
      problems.add('componentName', `'${this.componentName}' has ${this.componentName.length} characters; its client Service '${client}' would exceed ${MAX_DNS_LABEL_LENGTH}`,
        `shorten componentName to ${MAX_DNS_LABEL_LENGTH - (client.length - this.componentName.length)} characters or fewer`);
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

  /** Name a container gets when it sets none: the component name for the main container. */
  private defaultContainerName(index: number, prefix: '' | 'init-'): string {
    return index === 0 && prefix === '' ? this.componentName : `${this.componentName}-${prefix}${index}`;
  }

  /**
   * Every container and init container mounts the component volumes and the shared volumes
   * besides its own `volumeMounts` (a preset's included); the API server refuses two mounts at one path
   * in a container ("must be unique"), whatever their source.
   */
  private checkMountPaths(containers: kplus.ContainerProps[], initContainers: kplus.ContainerProps[],
    volumes: ComponentVolume[], sharedVolumes: SharedVolumeMount[], problems: ProblemList): void {
    // duplicates among the component volumes and shared volumes themselves are reported once by checkVolumes and checkSharedVolumes
    const componentPaths = new Map<string, string>();
    const addComponentPath = (path: string, source: string) => {
      const key = normalizedMountPath(path);
      if (!componentPaths.has(key)) componentPaths.set(key, source);
    };
    for (const volume of volumes) addComponentPath(volume.mountPath, `component volume '${volume.name}'`);
    for (const shared of sharedVolumes) addComponentPath(shared.mountPath, `shared volume '${shared.volumeName}'`);
    const componentVolumeNames = new Set(volumes.map(v => v.name));
    const check = (container: kplus.ContainerProps, index: number, prefix: '' | 'init-') => {
      const mounts = container.volumeMounts ?? [];
      if (mounts.length === 0) return; // only a container's own mounts can clash
      const name = container.name ?? this.defaultContainerName(index, prefix);
      const where = `${prefix === '' ? 'containers' : 'initContainers'}[${index}] '${name}'`;
      const seen = new Map(componentPaths);
      mounts.forEach((mount, i) => {
        const source = `volumeMounts[${i}] (volume '${mount.volume.name}')`;
        const key = normalizedMountPath(mount.path);
        const first = seen.get(key);
        if (first === undefined) {
          seen.set(key, source);
        } else {
          problems.add(`${where}.volumeMounts`, `mount path '${mount.path}' is used twice in container '${name}', by ${first} and by ${source}; the API server refuses the pod ("must be unique")`,
            'mount every volume at its own path, or remove one of the two mounts');
        }
        if (componentVolumeNames.has(mount.volume.name)) {
          problems.add(`${where}.volumeMounts`, `volumeMounts[${i}] mounts a pod volume named '${mount.volume.name}', the name of a component volume; `
            + (this.isStateful ? 'the StatefulSet controller would silently replace it by the claim of that name' : 'a pod cannot have two volumes of one name'),
          'give the pod volume another name, e.g. kplus.Volume.fromEmptyDir(scope, id, \'scratch\')');
        }
      });
    };
    containers.forEach((c, i) => check(c, i, ''));
    initContainers.forEach((c, i) => check(c, i, 'init-'));
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
      } else if (paths.has(normalizedMountPath(volume.mountPath))) {
        problems.add(`${where}.mountPath`, `mount path '${volume.mountPath}' is used twice`, 'mount every volume at its own path');
      }
      paths.add(normalizedMountPath(volume.mountPath));
      if (volume.size !== undefined && !isPositiveWholeByteSize(volume.size)) {
        problems.add(`${where}.size`, `'${describeSize(volume.size)}' is not a valid capacity`, 'use a positive whole size such as Size.gibibytes(10)');
      } else if (volume.size !== undefined && !this.isStateful && isClaimVolume(volume) && !isWholeGibibytes(volume.size)) {
        problems.add(`${where}.size`, `'${describeSize(volume.size)}' is not a whole number of GiB; the volume of a stateless component is a claim shared by its pods, which cdk8s-plus-28 writes in whole GiB`,
          'use a whole number of GiB such as Size.gibibytes(1), or a stateful deploy type (its claim templates keep the size as given)');
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

  /** What another component needs to know to mount one of this component's volumes. */
  private sharingView(consumer: RainbondComponent): SharingOwner {
    return {
      componentName: this.componentName,
      isStateful: this.isStateful,
      namespace: this.namespace,
      namespaceKnown: this.namespaceExplicit || Chart.of(this) === Chart.of(consumer),
      volumes: this.volumeList,
      accessModeOf: volume => this.accessModeOf(volume),
    };
  }

  /** The mount of another component's shared claim. */
  private sharedVolumeMount(shared: SharedVolumeMount): kplus.VolumeMount {
    const owner = shared.component;
    const claim = owner.sharedClaims.get(shared.volumeName)!;
    const name = sharedVolumeName(owner.componentName, shared.volumeName);
    return {
      path: shared.mountPath,
      readOnly: shared.readOnly,
      volume: kplus.Volume.fromPersistentVolumeClaim(this, `SharedVolume-${name}`, claim, { name, readOnly: shared.readOnly }),
    };
  }

  /**
   * A claim of a stateless component, shared by every pod, and the pod volume that mounts it;
   * the pod volumes (this component's and other components' `sharedVolumes`) refer to it by name.
   */
  private sharedClaimVolume(volume: ComponentVolume, labels: { [key: string]: string }): kplus.Volume {
    const name = `${this.componentName}-${volume.name}`;
    new kplus.PersistentVolumeClaim(this, `Claim-${volume.name}`, {
      metadata: { name, namespace: this.namespace, labels, annotations: claimAnnotations(volume) },
      storage: volume.size ?? DEFAULT_VOLUME_SIZE,
      accessModes: [this.accessModeOf(volume)],
      storageClassName: storageClassOf(volume),
    });
    const reference = kplus.PersistentVolumeClaim.fromClaimName(this, `ClaimReference-${volume.name}`, name);
    this.sharedClaims.set(volume.name, reference);
    return kplus.Volume.fromPersistentVolumeClaim(this, `ClaimVolume-${volume.name}`, reference, { name: volume.name });
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

  /**
   * Registers the component as the owner of its objects (`_unique-names.ts`). A method of its own, so
   * that the closure holds only `this`: a closure created in the constructor would keep the constructor's
   * whole scope (the preset's config, the container props, the environment) alive as long as the component.
   */
  private registerAsOwner(): void {
    registerObjectOwner(this, () => this.description);
  }

  /** Recommended labels and Rainbond annotations on every object under this component. */
  private labelEveryObject(labels: { [key: string]: string }): void {
    const entries = Object.entries(labels);
    for (const child of this.node.findAll()) {
      if (!(child instanceof ApiObject)) continue;
      for (const [key, value] of entries) child.metadata.addLabel(key, value);
      child.metadata.addAnnotation(DEPLOY_TYPE_ANNOTATION, this.deployType);
      child.metadata.addAnnotation(COMPONENT_ANNOTATION, this.componentName);
      if (this.presetSystem) child.metadata.addAnnotation(PRESET_ANNOTATION, this.presetSystem);
    }
  }
}

/** What the workload and Services of a component render from. */
interface WorkloadModel {
  /** The props of the cdk8s-plus workload. */
  readonly podProps: kplus.WorkloadProps;
  readonly identity: StableIdentity;
  readonly claimTemplates: ClaimTemplate[];
  readonly enableServiceLinks?: boolean;
  readonly podManagementPolicy: kplus.PodManagementPolicy;
  /** A stateless component whose claims attach to one node at a time. */
  readonly recreate: boolean;
  readonly servicePorts: kplus.ServicePort[];
  /** Ports of the client Service; none: no client Service. */
  readonly clientPorts: kplus.ServicePort[];
  readonly hasAutoscaler: boolean;
}

/** The cdk8s-plus objects of a component. */
interface Cdk8sPlusObjects {
  readonly workload: kplus.Deployment | kplus.StatefulSet;
  readonly service?: kplus.Service;
  readonly headlessService?: kplus.Service;
}

/**
 * The pod's `automountServiceAccountToken`: the prop when given, else the setting of a
 * ServiceAccount defined in the app (cdk8s-plus's `automountToken`), else false.
 */
function automountToken(account: kplus.IServiceAccount | undefined, prop: boolean | undefined): boolean {
  if (prop !== undefined) return prop;
  const own = (account as { automountToken?: unknown } | undefined)?.automountToken;
  return typeof own === 'boolean' ? own : false;
}

/** An account whose token setting the app cannot see (imported by name) needs the prop. */
function checkServiceAccount(account: kplus.IServiceAccount | undefined, prop: boolean | undefined, problems: ProblemList): void {
  if (account === undefined || prop !== undefined) return;
  if (typeof (account as { automountToken?: unknown }).automountToken === 'boolean') return;
  problems.add('automountServiceAccountToken', `serviceAccount '${account.name}' is imported by name, so its automountServiceAccountToken setting is unknown here, and the pod's own field overrides it`,
    'set automountServiceAccountToken: true to mount its token, or false to keep it out of the pods');
}

/** ReadWriteOnce and ReadWriteOncePod claims attach to one node (one pod) at a time. */
function isSingleNodeAccessMode(mode: kplus.PersistentVolumeAccessMode): boolean {
  return mode === kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE || mode === kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE_POD;
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
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
