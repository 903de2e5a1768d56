import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DEFAULT_INIT_RESOURCES, discoveryEnvironment, withContainerDefaults } from './_container-defaults';
import { checkDependency, dependencyPath, waitContainerFor, WaitTarget } from './_dependencies';
import { describeValue } from './_kube-rules';
import { labelComponentObjects } from './_labels';
import { ComponentModel, resolveComponent } from './_model';
import { clientServiceFqdn, MAX_DNS_LABEL_LENGTH, podFqdn } from './_naming';
import { outerAccessClaims } from './_outer-access';
import { faultTolerance, quorumSize } from './_quorum';
import { renderComponent, RenderedComponent } from './_render';
import { SharingOwner } from './_shared-volumes';
import { registerObjectOwner } from './_unique-names';
import { ProblemList } from './_validation';
import { accessModeOf } from './_volumes';
import { RainbondComponentProps } from './component-props';
import { ConnectionValue, DependencyOptions } from './connection';
import { DeployType } from './deploy-type';
import { admitDependant } from './presets/_network-policy';

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

  /** The props resolved: defaults applied, preset bound, every rule checked. */
  private readonly model: ComponentModel;
  /** The objects, created once. */
  private readonly objects: RenderedComponent;
  private readonly dependencyList: RainbondComponent[] = [];
  /** Variable name -> the dependency that injected it. */
  private readonly injectedBy = new Map<string, string>();

  constructor(scope: Construct, id: string, props: RainbondComponentProps) {
    super(scope, id);
    this.model = resolveComponent(this, id, props, {
      isComponent: value => value instanceof RainbondComponent,
      sharingOwnerOf: owner => owner instanceof RainbondComponent ? owner.sharingView(this) : undefined,
      waitContainerFor: dependency => dependency instanceof RainbondComponent ? waitContainerFor(dependency.waitTarget) : undefined,
    });
    const model = this.model;
    this.deployType = model.deployType;
    this.replicas = model.replicas;
    this.isStateful = model.isStateful;
    this.componentName = model.componentName;
    this.namespace = model.namespace;
    this.clusterDomain = model.clusterDomain;
    this.quorum = quorumSize(model.replicas);
    this.faultTolerance = faultTolerance(model.replicas);
    this.presetSystem = model.preset?.system;
    this.selectorLabels = { ...model.selectorLabels };
    this.connectionInfo = model.connectionInfo;

    this.objects = renderComponent(this, model);
    this.networkPolicy = this.objects.networkPolicy;
    this.autoscaler = this.objects.autoscaler;
    labelComponentObjects(this, model);
    this.registerAsOwner();
    for (const dependency of props.dependencies ?? []) this.addDependency(dependency, false);
  }

  /** The StatefulSet (stateful types) or Deployment (stateless types); `statefulSet` / `deployment` are typed. */
  public get workload(): kplus.Workload {
    return this.objects.workload;
  }

  /** The StatefulSet of a stateful component; undefined for stateless types. */
  public get statefulSet(): kplus.StatefulSet | undefined {
    return this.objects.workload instanceof kplus.StatefulSet ? this.objects.workload : undefined;
  }

  /** The Deployment of a stateless component; undefined for stateful types. */
  public get deployment(): kplus.Deployment | undefined {
    return this.objects.workload instanceof kplus.Deployment ? this.objects.workload : undefined;
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
      throw new Error(`${this.model.description} has no client Service: no container declares a port. Fix: declare the port clients use, e.g. ports: [{ number: 8080 }], or check component.service for undefined.`);
    }
    return this.objects.service;
  }

  /** The PodDisruptionBudget, when one is created. */
  public get podDisruptionBudget(): kplus.k8s.KubePodDisruptionBudget | undefined {
    return this.objects.disruptionBudget;
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
    const alias = this.model.aliases.get(port);
    if (alias === undefined) {
      throw new Error(`${this.model.description}: port ${port} is not declared by any container. Fix: use one of ${[...this.model.aliases.keys()].join(', ') || '(no ports)'}.`);
    }
    return alias;
  }

  /**
   * FQDN of instance `ordinal`: `<name>-<ordinal>.<name>.<namespace>.svc.<clusterDomain>`.
   * Only stateful components have per-instance DNS names.
   */
  public podDnsName(ordinal: number): string {
    if (!this.isStateful) {
      throw new Error(`${this.model.description}: only stateful deploy types have per-instance DNS names. Fix: use DeployType.STATEFUL_SINGLE or STATEFUL_MULTIPLE, or address the component through its Service.`);
    }
    if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal >= this.replicas) {
      throw new Error(`${this.model.description}: ordinal ${ordinal} is out of range. Fix: use 0 to ${this.replicas - 1}.`);
    }
    return podFqdn(this.componentName, ordinal, this.namespace, this.clusterDomain);
  }

  /** FQDNs of all instances, ordinal 0 first; empty for stateless components. */
  public get podDnsNames(): string[] {
    return this.isStateful ? Array.from({ length: this.replicas }, (_, i) => this.podDnsName(i)) : [];
  }

  /**
   * Depends on another component (Rainbond's 依赖): every container and init container of this
   * component gets, for each port of the other's client Service, `<ALIAS>_HOST` (the Service's DNS
   * name `<service>.<namespace>.svc.<clusterDomain>`, or where the other's preset sends dependants
   * through that port, e.g. Redis's `<name>-primary`) and `<ALIAS>_PORT`, for a stateful component
   * also `<ALIAS>_HOSTS` (the instance FQDNs, comma-separated), and the other's `connectionInfo`.
   * Refused for a cycle, a component of another chart without a namespace, and a variable that
   * another dependency or a container already defines, and for a wait container named like a
   * container the component already has.
   */
  public dependsOn(other: RainbondComponent, options?: DependencyOptions): void {
    const problems = new ProblemList();
    if (!(other instanceof RainbondComponent)) {
      problems.add('dependsOn', `needs a RainbondComponent, got ${describeValue(other)}`, 'pass the component this one connects to, e.g. web.dependsOn(db)');
    }
    const waitForPort: unknown = options?.waitForPort;
    if (waitForPort !== undefined && typeof waitForPort !== 'boolean') {
      problems.add('dependsOn options.waitForPort', `must be true or false, got ${describeValue(waitForPort)}`, 'pass { waitForPort: true }, or leave it out for waitForDependencies');
    }
    problems.throwIfAny(() => this.model.description);
    this.addDependency(other, options?.waitForPort ?? this.model.waitForDependencies);
  }

  private addDependency(other: RainbondComponent, wait: boolean): void {
    const problems = new ProblemList();
    const workload = this.objects.workload;
    const containers = [...workload.containers, ...workload.initContainers];
    const target = other.waitTarget;
    const variables = checkDependency({
      namespace: this.namespace,
      namespaceExplicit: this.model.namespaceExplicit,
      dependencyNames: this.dependencyList.map(d => d.componentName),
      cyclePath: dependencyPath(other, this as RainbondComponent, c => c.dependencyList)?.map(c => c.componentName),
      injectedBy: this.injectedBy,
      containers: containers.map(c => ({ name: c.name, variables: Object.keys(c.env.variables) })),
    }, {
      componentName: other.componentName,
      isStateful: other.isStateful,
      namespace: other.namespace,
      namespaceExplicit: other.model.namespaceExplicit,
      admitsDependants: other.networkPolicy !== undefined,
      foreignChartWithoutNamespace: Chart.of(other) !== Chart.of(this) && !other.model.namespaceExplicit ? Chart.of(other).node.path : undefined,
      serviceHost: target.serviceHost,
      servicePorts: target.clientPorts.map(p => p.port),
      aliases: other.model.aliases,
      endpoints: target.endpoints,
      podDnsNames: other.podDnsNames,
      connectionInfo: other.connectionInfo,
    }, problems);
    const waitContainer = wait ? waitContainerFor(target) : undefined;
    const namesake = waitContainer && containers.find(c => c.name === waitContainer.name);
    if (waitContainer && namesake) {
      problems.add(`dependencies '${other.componentName}'`, `its wait container would be named '${waitContainer.name}' (wait-for-<componentName>, cut to ${MAX_DNS_LABEL_LENGTH} characters), `
        + `the name of ${workload.initContainers.includes(namesake) ? 'an init container' : 'a container'} this component already has`,
      'rename that container, or pass { waitForPort: false } and wait for the dependency another way');
    }
    problems.throwIfAny(() => this.model.description);
    for (const variable of variables) this.injectedBy.set(variable.name, other.componentName);
    this.dependencyList.push(other);
    // the other's NetworkPolicies (a preset's, when asked for) admit this component's pods at synthesis
    admitDependant(other, this, other.namespace);
    for (const container of containers) {
      for (const variable of variables) container.env.addVariable(variable.name, variable.value);
    }
    if (waitContainer) {
      workload.addInitContainer(withContainerDefaults(waitContainer, {
        defaultName: waitContainer.name!,
        env: discoveryEnvironment(this.componentName, this.namespace, this.replicas),
        volumeMounts: [],
        defaultResources: DEFAULT_INIT_RESOURCES,
      }));
    }
  }

  /** What a dependant's wait container and variables are made from: the client Service's DNS name and ports, and the preset's dependant endpoints. */
  private get waitTarget(): WaitTarget {
    const { componentName, namespace, clusterDomain, clientPorts, dependantEndpoints } = this.model;
    return {
      componentName,
      serviceHost: clientPorts.length > 0 ? clientServiceFqdn(componentName, namespace, clusterDomain) : undefined,
      clientPorts,
      endpoints: dependantEndpoints,
    };
  }

  /** What another component needs to know to mount one of this component's volumes. */
  private sharingView(consumer: RainbondComponent): SharingOwner {
    const { componentName, isStateful, namespace, namespaceExplicit, volumes, deployType } = this.model;
    return {
      componentName,
      isStateful,
      namespace,
      namespaceKnown: namespaceExplicit || Chart.of(this) === Chart.of(consumer),
      volumes,
      accessModeOf: volume => accessModeOf(volume, deployType),
    };
  }

  /**
   * Registers the component as the owner of its objects (`_unique-names.ts`). A method of its own, so
   * that the closure holds only `this`, not the constructor's scope.
   */
  private registerAsOwner(): void {
    registerObjectOwner(this, () => this.model.description, outerAccessClaims(this.model.portSettings));
  }
}
