/**
 * Renders a resolved component once, under its construct: cdk8s-plus and `k8s.Kube*` objects that
 * write their manifests at synthesis. The objects are created in output order: the config files,
 * a stateless component's shared claims, the governing headless Service, the workload, the
 * client Service, then the NetworkPolicy, outer access, autoscaler and disruption budget.
 * Nothing here is exported from the package index.
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { renderAutoscaler } from './_autoscaling';
import { contentChecksum } from './_checksum';
import { DEFAULT_INIT_RESOURCES, DEFAULT_RESOURCES, discoveryEnvironment, withContainerDefaults } from './_container-defaults';
import { defaultContainerName } from './_containers';
import { ANNOTATION_CONFIG_CHECKSUM } from './_contract';
import { ComponentModel } from './_model';
import { clientServiceName } from './_naming';
import { withFields } from './_objects';
import { renderOuterAccess } from './_outer-access';
import { sharedVolumeName } from './_shared-volumes';
import {
  accessModeOf, claimAnnotations, DEFAULT_VOLUME_SIZE, isClaimVolume, renderPodVolumes, storageClassOf,
} from './_volumes';
import { ClaimingStatefulSet, ClaimTemplate, LabelSelectedService, StableDeployment, StableIdentity } from './_workloads';
import { lazyIngress, networkPolicySpec } from './presets/_network-policy';
import { ComponentVolume } from './volume';

/** The objects of a rendered component that its public members expose. */
export interface RenderedComponent {
  readonly workload: kplus.Deployment | kplus.StatefulSet;
  /** The client Service `<name>-client`; undefined without client ports. */
  readonly service?: kplus.Service;
  /** The governing headless Service `<name>` of a stateful component. */
  readonly headlessService?: kplus.Service;
  readonly disruptionBudget?: kplus.k8s.KubePodDisruptionBudget;
  readonly networkPolicy?: kplus.k8s.KubeNetworkPolicy;
  readonly autoscaler?: kplus.k8s.KubeHorizontalPodAutoscalerV2;
}

/** Renders every object of `model` under `scope`. */
export function renderComponent(scope: Construct, model: ComponentModel): RenderedComponent {
  const { componentName, namespace } = model;
  const identity: StableIdentity = { selectorLabels: model.selectorLabels, spreadAcrossNodes: model.spreadAcrossNodes };
  // Stateful claim volumes are claim templates that ClaimingStatefulSet mounts by name; stateless ones are shared claims.
  const claimVolumes = model.volumes.filter(isClaimVolume);
  const podVolumes = renderPodVolumes(scope, componentName, namespace, model.volumes);
  const claimMounts = model.isStateful ? []
    : claimVolumes.map(volume => ({ path: volume.mountPath, volume: renderSharedClaim(scope, model, volume) }));
  const sharedMounts = model.sharedVolumes.map(shared => {
    const name = sharedVolumeName(shared.component.componentName, shared.volumeName);
    const claim = kplus.PersistentVolumeClaim.fromClaimName(scope, `SharedClaim-${name}`, name);
    return {
      path: shared.mountPath,
      readOnly: shared.readOnly,
      volume: kplus.Volume.fromPersistentVolumeClaim(scope, `SharedVolume-${name}`, claim, { name, readOnly: shared.readOnly }),
    };
  });
  const mounts: kplus.VolumeMount[] = [...claimMounts, ...podVolumes.mounts, ...sharedMounts];

  const podAnnotations = { ...model.podAnnotations };
  if (podVolumes.configChecksum) {
    // one checksum over the preset's rendered files and the component's config files
    const presetChecksum = model.preset?.podAnnotations?.[ANNOTATION_CONFIG_CHECKSUM];
    podAnnotations[ANNOTATION_CONFIG_CHECKSUM] = presetChecksum === undefined ? podVolumes.configChecksum
      : contentChecksum({ 'preset': presetChecksum, 'config-files': podVolumes.configChecksum });
  }
  const env = discoveryEnvironment(componentName, namespace, model.replicas);
  const withDefaults = (kind: '' | 'init-') => (container: kplus.ContainerProps, index: number) => withContainerDefaults(container, {
    defaultName: defaultContainerName(componentName, index, kind),
    defaultResources: kind === '' ? DEFAULT_RESOURCES : DEFAULT_INIT_RESOURCES,
    env,
    volumeMounts: mounts,
  });
  const podProps: kplus.WorkloadProps = {
    metadata: { name: componentName, namespace },
    podMetadata: { labels: { ...model.objectLabels }, annotations: podAnnotations },
    containers: model.containers.map(withDefaults('')),
    initContainers: model.initContainers.map(withDefaults('init-')),
    securityContext: model.podSecurityContext,
    serviceAccount: model.serviceAccount,
    automountServiceAccountToken: model.automountServiceAccountToken,
    dockerRegistryAuth: model.dockerRegistryAuth,
    terminationGracePeriod: model.terminationGracePeriod,
  };

  let headlessService: kplus.Service | undefined;
  let workload: kplus.Deployment | kplus.StatefulSet;
  if (model.isStateful) {
    headlessService = new LabelSelectedService(scope, 'HeadlessService', {
      metadata: { name: componentName, namespace },
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      ports: model.servicePorts,
    });
    workload = new ClaimingStatefulSet(scope, 'Workload', withFields(podProps, {
      identity,
      claimTemplates: claimVolumes.map(volume => claimTemplate(model, volume)),
      enableServiceLinks: model.enableServiceLinks,
      replicas: model.replicas,
      service: headlessService,
      podManagementPolicy: model.podManagementPolicy,
      strategy: kplus.StatefulSetUpdateStrategy.rollingUpdate(),
    }));
  } else {
    workload = new StableDeployment(scope, 'Workload', withFields(podProps, {
      identity,
      replicas: model.replicas,
      strategy: model.recreate ? kplus.DeploymentStrategy.recreate() : kplus.DeploymentStrategy.rollingUpdate(),
    }));
  }
  const service = model.clientPorts.length > 0 ? new LabelSelectedService(scope, 'Service', {
    metadata: { name: clientServiceName(componentName), namespace },
    type: kplus.ServiceType.CLUSTER_IP,
    ports: model.clientPorts,
  }) : undefined;
  for (const s of [service, headlessService]) {
    for (const [key, value] of Object.entries(model.selectorLabels)) s?.selectLabel(key, value);
  }
  if (model.autoscaling) workload.markHasAutoscaler();

  const networkPolicy = renderNetworkPolicy(scope, model);
  if (model.clientPorts.length > 0) {
    renderOuterAccess(scope, {
      componentName,
      namespace,
      clientServiceName: clientServiceName(componentName),
      selectorLabels: model.selectorLabels,
      ports: model.containerPorts,
    }, model.portSettings);
  }
  const autoscaler = model.autoscaling && renderAutoscaler(scope, componentName, namespace,
    { apiVersion: 'apps/v1', kind: model.isStateful ? 'StatefulSet' : 'Deployment', name: componentName },
    model.autoscaling, model.autoscaling.minReplicas ?? model.replicas);
  const disruptionBudget = model.disruptionBudget === undefined ? undefined : new kplus.k8s.KubePodDisruptionBudget(scope, 'DisruptionBudget', {
    metadata: { name: componentName, namespace },
    spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(model.disruptionBudget), selector: { matchLabels: { ...model.selectorLabels } } },
  });
  return { workload, service, headlessService, disruptionBudget, networkPolicy, autoscaler };
}

/** A claim template of a stateful component: one claim per instance, `<volume>-<name>-<ordinal>`. */
function claimTemplate(model: ComponentModel, volume: ComponentVolume): ClaimTemplate {
  return {
    name: volume.name,
    storage: (volume.size ?? DEFAULT_VOLUME_SIZE).asString(),
    accessMode: volume.accessMode ?? kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE,
    storageClassName: storageClassOf(volume),
    labels: { ...model.selectorLabels },
    annotations: claimAnnotations(volume),
    mountPath: volume.mountPath,
  };
}

/**
 * The claim `<name>-<volume>` of a stateless component, shared by every pod, and the pod volume that
 * mounts it; other components' `sharedVolumes` refer to the claim by name.
 */
function renderSharedClaim(scope: Construct, model: ComponentModel, volume: ComponentVolume): kplus.Volume {
  const name = sharedVolumeName(model.componentName, volume.name);
  const claim = new kplus.PersistentVolumeClaim(scope, `Claim-${volume.name}`, {
    metadata: { name, namespace: model.namespace, labels: { ...model.objectLabels }, annotations: claimAnnotations(volume) },
    storage: volume.size ?? DEFAULT_VOLUME_SIZE,
    accessModes: [accessModeOf(volume, model.deployType)],
    storageClassName: storageClassOf(volume),
  });
  return kplus.Volume.fromPersistentVolumeClaim(scope, `ClaimVolume-${volume.name}`, claim, { name: volume.name });
}

/** The preset's NetworkPolicy `<name>`, when its `networkPolicy` option is given; it admits the declared dependants at synthesis. */
function renderNetworkPolicy(scope: Construct, model: ComponentModel): kplus.k8s.KubeNetworkPolicy | undefined {
  const policy = model.preset?.networkPolicy;
  if (!policy) return undefined;
  const toPolicyPort = (p: kplus.ServicePort) => ({ port: p.port, protocol: p.protocol ?? kplus.Protocol.TCP });
  const input = {
    memberLabels: model.selectorLabels,
    memberPorts: model.servicePorts.map(toPolicyPort),
    clientPorts: model.clientPorts.map(toPolicyPort),
    policy,
  };
  return new kplus.k8s.KubeNetworkPolicy(scope, 'NetworkPolicy', {
    metadata: { name: model.componentName, namespace: model.namespace },
    // the components that declare a dependency (possibly after this object exists) reach the client ports
    spec: { ...networkPolicySpec(input), ingress: lazyIngress(scope, dependants => networkPolicySpec({ ...input, dependants }).ingress ?? []) },
  });
}
