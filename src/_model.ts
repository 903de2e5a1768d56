/**
 * The resolved model of a component: its props with every default applied, the preset bound and
 * every rule checked, all problems thrown together. Everything the rendering needs, and nothing it
 * has to decide.
 * Nothing here is exported from the package index.
 */
import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkAutoscaling } from './_autoscaling';
import { collectContainerPorts, DEFAULT_USER_ID, servicePortName } from './_container-defaults';
import { checkContainers, checkMountPaths, containerPath } from './_containers';
import { ANNOTATION_DEPLOY_TYPE, managedLabelsOf, selectorLabelsOf } from './_contract';
import { checkConnectionInfo, DependantEndpoint, portAliases, portVariables } from './_dependencies';
import { isSingleDeployType } from './_deploy-type-traits';
import { checkIdentity, ComponentIdentity, describeComponent, resolveIdentity } from './_identity';
import { checkAnnotations, checkLabels, describeValue, idProblem, referenceNameProblem } from './_kube-rules';
import { checkManagedKeys } from './_labels';
import { checkOuterAccess } from './_outer-access';
import { checkPodSettings } from './_pod-settings';
import { bindPreset } from './_preset-binding';
import { faultTolerance } from './_quorum';
import { rootUserProblems } from './_root-user';
import { automountToken, checkServiceAccount } from './_service-account';
import { checkShapes } from './_shapes';
import { checkSharedVolumes, SharingOwner } from './_shared-volumes';
import { ProblemList } from './_validation';
import { checkConfigFileNames, checkVolumes, checkVolumeTypes, isClaimVolume, needsRecreate } from './_volumes';
import { AutoscalingOptions } from './autoscaling';
import { RainbondComponentProps } from './component-props';
import { ConnectionValue } from './connection';
import { ComponentPortSettings } from './port';
import { PresetConfig } from './presets/preset-config';
import { SharedVolumeMount } from './shared-volume';
import { ComponentVolume } from './volume';

/** A component as it renders: identity, containers, storage, network and policies, all defaults applied. */
export interface ComponentModel extends ComponentIdentity {
  /** The bound preset's configuration. */
  readonly preset?: PresetConfig;
  /** The preset's data volume first, then the component's. */
  readonly volumes: ComponentVolume[];
  /** The preset's server container first, then the component's (without the component's defaults yet). */
  readonly containers: kplus.ContainerProps[];
  /** The wait containers of `dependencies` first, then the preset's, then the component's. */
  readonly initContainers: kplus.ContainerProps[];
  readonly sharedVolumes: SharedVolumeMount[];
  /** Ports of all containers, de-duplicated by number and protocol. */
  readonly containerPorts: kplus.ContainerPort[];
  /** Ports of the governing headless Service: every container port. */
  readonly servicePorts: kplus.ServicePort[];
  /** Ports of the client Service (a preset may publish fewer); none: no client Service. */
  readonly clientPorts: kplus.ServicePort[];
  /** Client port → where dependants connect instead of the client Service (the preset's `dependantEndpoints`). */
  readonly dependantEndpoints: Map<number, DependantEndpoint>;
  /** Port number → alias (the prefix of the variables dependants get). */
  readonly aliases: Map<number, string>;
  readonly connectionInfo: { [name: string]: ConnectionValue };
  readonly portSettings: ComponentPortSettings[];
  readonly selectorLabels: { [key: string]: string };
  /** The component's labels, the selector labels and managed-by: on every object and pod. */
  readonly objectLabels: { [key: string]: string };
  /** The component's pod annotations, the preset's and the deploy type (the config checksum is added by the rendering). */
  readonly podAnnotations: { [key: string]: string };
  readonly podSecurityContext: kplus.PodSecurityContextProps;
  readonly serviceAccount?: kplus.IServiceAccount;
  readonly automountServiceAccountToken: boolean;
  readonly dockerRegistryAuth?: kplus.ISecret;
  readonly terminationGracePeriod?: Duration;
  readonly spreadAcrossNodes: boolean;
  readonly podManagementPolicy: kplus.PodManagementPolicy;
  /** Off for presets: the kubelet's service-link variables (e.g. ETCD_*) would reach the server as its own settings. */
  readonly enableServiceLinks?: boolean;
  /** A stateless component whose claims attach to one node at a time: replaced with `Recreate`. */
  readonly recreate: boolean;
  readonly autoscaling?: AutoscalingOptions;
  /** `maxUnavailable` of the PodDisruptionBudget; undefined: no budget. */
  readonly disruptionBudget?: number;
  /** Whether `dependsOn` adds a wait container by default. */
  readonly waitForDependencies: boolean;
  /** How errors name the component. */
  readonly description: string;
}

/** What resolving needs to know about other components (the component class answers). */
export interface ModelContext {
  /** Whether a value is a RainbondComponent. */
  isComponent(value: unknown): boolean;
  /** The sharing view of a component whose volume is mounted; undefined for anything else. */
  sharingOwnerOf(component: unknown): SharingOwner | undefined;
  /** The wait-for-port init container for a dependency; undefined when it has no TCP client port. */
  waitContainerFor(dependency: unknown): kplus.ContainerProps | undefined;
}

/**
 * Resolves the props of the component at `scope` (construct id `id`): defaults, the preset bound under
 * `scope`, every rule checked. Throws one error listing every problem.
 */
export function resolveComponent(scope: Construct, id: string, props: RainbondComponentProps, context: ModelContext): ComponentModel {
  if (typeof props !== 'object' || props === null) {
    throw new Error(`RainbondComponent '${id}' (${scope.node.path}): props must be an object, got ${describeValue(props)}. `
      + 'Fix: pass props with at least a deployType, e.g. { deployType: DeployType.STATELESS_SINGLE, containers: [{ image: \'nginx:1.27\' }] }.');
  }
  const identity = resolveIdentity(props, props.preset !== undefined, id, Chart.of(scope).namespace);
  const description = describeComponent(identity, scope.node.path);
  const problems = new ProblemList();
  checkShapes(props, context, problems);
  problems.throwIfAny(() => description); // the rules below read the props' fields
  checkIdentity(identity, problems);
  const preset = bindPreset(scope, props.preset, identity, props.podManagementPolicy, problems);
  const volumes = [...preset ? [preset.dataVolume] : [], ...props.volumes ?? []];
  const containers = [...preset ? [preset.container] : [], ...props.containers ?? []];
  const waitForDependencies = props.waitForDependencies ?? false;
  const waits = waitForDependencies ? (props.dependencies ?? []).map(d => context.waitContainerFor(d)).filter(isDefined) : [];
  const presetInitContainers = preset?.initContainers ?? [];
  const initContainers = [...waits, ...presetInitContainers, ...props.initContainers ?? []];
  const sharedVolumes = props.sharedVolumes ?? [];
  const owner = {
    componentName: identity.componentName,
    isStateful: identity.isStateful,
    presetGiven: props.preset !== undefined,
    presetContainers: preset ? 1 : 0,
    waitContainers: waits.length,
    presetInitContainers: presetInitContainers.length,
  };
  checkContainers(containers, initContainers, owner, problems);
  checkMountPaths(containers, initContainers, volumes, sharedVolumes, owner, problems);
  checkLabels('labels', props.labels ?? {}, problems);
  checkAnnotations('podAnnotations', props.podAnnotations ?? {}, problems);
  checkManagedKeys(identity.componentName, props.labels ?? {}, props.podAnnotations ?? {}, problems);
  checkServiceAccount(props.serviceAccount, props.automountServiceAccountToken, problems);
  checkPodSettings(props, problems);
  const registryAuthProblem = props.dockerRegistryAuth === undefined ? undefined : referenceNameProblem('Secret', props.dockerRegistryAuth);
  if (registryAuthProblem) {
    problems.add('dockerRegistryAuth', `the ${registryAuthProblem}, so the image pull can never find it`, 'pass the image pull Secret by the name it has in the cluster');
  }
  const presetVolumes = preset ? 1 : 0;
  checkVolumes(volumes, Object.assign({}, identity, { maxReplicas: props.autoscaling?.maxReplicas ?? identity.replicas, presetVolumes }), problems);
  checkVolumeTypes(volumes, identity.deployType, presetVolumes, problems);
  if (preset) checkConfigFileNames(scope, identity.componentName, volumes, presetVolumes, problems); // only a preset renders ConfigMaps before this
  const containerPorts = collectContainerPorts(containers);
  const portSettings = props.portSettings ?? [];
  const portNumbers = [...new Set(containerPorts.map(p => p.number))];
  const aliases = portAliases(portSettings, portNumbers, identity.componentName, problems);
  checkOuterAccess(portSettings, containerPorts, identity.componentName, preset?.clientPorts, problems);
  checkSharedVolumes(sharedVolumes, identity.namespace, volumes, component => context.sharingOwnerOf(component), problems);
  const podSecurityContext: kplus.PodSecurityContextProps = {
    ensureNonRoot: true,
    user: DEFAULT_USER_ID,
    group: DEFAULT_USER_ID,
    fsGroup: volumes.length + sharedVolumes.length > 0 ? DEFAULT_USER_ID : undefined,
    fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
    ...preset?.podSecurityContext,
    ...props.securityContext,
  };
  for (const field of ['user', 'group', 'fsGroup'] as const) {
    const problem = props.securityContext?.[field] === undefined ? undefined : idProblem(props.securityContext[field]);
    if (problem) problems.add(`securityContext.${field}`, problem, `set ${field} to a numeric id such as 1000`);
  }
  rootUserProblems({ ...preset?.podSecurityContext, ...props.securityContext }, [
    ...containers.map((container, i) => ({ container, where: containerPath(owner, '', i) })),
    ...initContainers.map((container, i) => ({ container, where: containerPath(owner, 'init-', i) })),
  ], problems);
  const connectionInfo = { ...preset?.connectionInfo, ...props.connectionInfo };
  // a preset checks the Secret and keys of its own
  checkConnectionInfo(props.connectionInfo ?? {}, portVariables(preset?.clientPorts ?? portNumbers, aliases, identity.isStateful), problems);
  if (props.autoscaling) {
    checkAutoscaling(props.autoscaling, {
      deployType: identity.deployType, presetSystem: preset?.system, hasPreset: props.preset !== undefined, replicas: identity.replicas, containers,
    }, problems);
  }
  const maxUnavailable = preset ? faultTolerance(identity.replicas) : 1;
  if (props.podDisruptionBudget === true && maxUnavailable === 0) {
    problems.add('podDisruptionBudget', `a ${identity.replicas}-member ${preset?.system} cluster has no member to spare for its quorum, so a budget would allow no voluntary disruption and block every node drain`,
      'leave podDisruptionBudget out (no budget), or run 3 or more members');
  }
  problems.throwIfAny(() => description);

  const selectorLabels = selectorLabelsOf(identity.componentName);
  const servicePorts: kplus.ServicePort[] = containerPorts
    .map(p => ({ name: servicePortName(p), port: p.number, targetPort: p.number, protocol: p.protocol }));
  const hasDisruptionBudget = (props.podDisruptionBudget ?? !isSingleDeployType(identity.deployType)) && maxUnavailable > 0;
  // Object.assign, not a spread followed by keys: Node 20's V8 sets each key after a spread through a runtime call
  return Object.assign({
    description,
    preset,
    volumes,
    containers,
    initContainers,
    sharedVolumes,
    containerPorts,
    servicePorts,
    clientPorts: preset?.clientPorts ? servicePorts.filter(p => preset.clientPorts!.includes(p.port)) : servicePorts,
    aliases,
    dependantEndpoints: new Map((preset?.dependantEndpoints ?? []).map(e => [e.clientPort, { host: e.host, port: e.port ?? e.clientPort }])),
    connectionInfo,
    portSettings,
    selectorLabels,
    objectLabels: Object.assign({}, props.labels, managedLabelsOf(identity.componentName)),
    podAnnotations: Object.assign({}, props.podAnnotations, preset?.podAnnotations, { [ANNOTATION_DEPLOY_TYPE]: identity.deployType }),
    podSecurityContext,
    serviceAccount: props.serviceAccount,
    automountServiceAccountToken: automountToken(props.serviceAccount, props.automountServiceAccountToken),
    dockerRegistryAuth: props.dockerRegistryAuth,
    terminationGracePeriod: props.terminationGracePeriod ?? preset?.terminationGracePeriod,
    spreadAcrossNodes: props.spreadAcrossNodes ?? true,
    podManagementPolicy: props.podManagementPolicy ?? preset?.podManagementPolicy ?? kplus.PodManagementPolicy.ORDERED_READY,
    enableServiceLinks: preset ? false : undefined,
    recreate: !identity.isStateful && needsRecreate(volumes.filter(isClaimVolume), identity.deployType),
    autoscaling: props.autoscaling,
    disruptionBudget: hasDisruptionBudget ? maxUnavailable : undefined,
    waitForDependencies,
  }, identity);
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
