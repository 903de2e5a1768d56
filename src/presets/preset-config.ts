import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ConnectionValue } from '../connection';
import { ComponentVolume } from '../volume';
import { PresetNetworkPolicy } from './network-policy';

/**
 * What a component tells its preset when it binds it: the stable identity
 * the preset renders its cluster configuration from.
 */
export interface PresetContext {
  /** The component name: StatefulSet name and governing headless Service name. */
  readonly componentName: string;
  /** Namespace of every object of the component. */
  readonly namespace: string;
  /** Cluster DNS domain. */
  readonly clusterDomain: string;
  /** Number of cluster members (StatefulSet replicas). */
  readonly replicas: number;
  /** FQDN of every member, ordinal 0 first. */
  readonly podDnsNames: string[];
  /** DNS name of the component's client Service: `<service>.<namespace>.svc.<clusterDomain>`. */
  readonly clientServiceDnsName: string;
}

/**
 * Where the components that depend on a preset connect through one of its client ports,
 * instead of the client Service `<name>-client` (which reaches any ready member), e.g. a
 * Service that reaches only the member that accepts writes.
 */
export interface PresetDependantEndpoint {
  /** The client port (one of `clientPorts`) whose `<ALIAS>_HOST` and `<ALIAS>_PORT` this sets. */
  readonly clientPort: number;

  /** What dependants get as `<ALIAS>_HOST`: a DNS name, e.g. `<service>.<namespace>.svc.<clusterDomain>`. */
  readonly host: string;

  /**
   * What dependants get as `<ALIAS>_PORT`.
   * @default - the client port
   */
  readonly port?: number;
}

/**
 * What a preset contributes to the component's pods.
 */
export interface PresetConfig {
  /** Short name of the clustered system, e.g. `etcd`; written to the `rainbond.io/cluster-preset` annotation. */
  readonly system: string;

  /** Largest supported member count. */
  readonly maxMembers: number;

  /** The server container: image, command, ports, env, probes, resources, security context, mounts of preset files. */
  readonly container: kplus.ContainerProps;

  /**
   * Containers that run to completion before the server starts.
   * @default - none
   */
  readonly initContainers?: kplus.ContainerProps[];

  /**
   * Container port numbers clients use. The client Service publishes only these; every other
   * port (peer replication, elections, metrics) is published on the governing headless Service
   * only, and the opt-in NetworkPolicy admits it from members only.
   * @default - every container port is a client port
   */
  readonly clientPorts?: number[];

  /**
   * Where dependants connect through a client port (`<ALIAS>_HOST` / `<ALIAS>_PORT`, and
   * their wait container) instead of the client Service, e.g. the write path of a cluster whose
   * client Service reaches read-only members too. `<ALIAS>_HOSTS` stays the member FQDNs.
   * @default - every client port at the client Service
   */
  readonly dependantEndpoints?: PresetDependantEndpoint[];

  /** Per-member data volume; mounted into every container. */
  readonly dataVolume: ComponentVolume;

  /** Pod management policy the system needs to form its cluster. */
  readonly podManagementPolicy: kplus.PodManagementPolicy;

  /**
   * Pod security context the server image needs (numeric user, group, fsGroup).
   * @default - the component's default
   */
  readonly podSecurityContext?: kplus.PodSecurityContextProps;

  /**
   * Grace period for a member to leave cleanly.
   * @default - the component's default
   */
  readonly terminationGracePeriod?: Duration;

  /**
   * The opt-in NetworkPolicy the component renders for the members.
   * @default - no NetworkPolicy
   */
  readonly networkPolicy?: PresetNetworkPolicy;

  /**
   * Connection information the cluster offers to the components that depend on it
   * (for example the etcd endpoints); the component's own `connectionInfo` wins.
   * @default - none
   */
  readonly connectionInfo?: { [name: string]: ConnectionValue };

  /**
   * Annotations the preset puts on the pod template, e.g. the checksum of its
   * rendered configuration (`rainbond.io/config-checksum`), so a change of that
   * configuration rolls the members.
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };

  /**
   * Rule violations the preset found in its options for this context,
   * each naming the rule and the fix. The component reports them with its own problems.
   * @default - none
   */
  readonly problems?: string[];
}

/**
 * A clustered system that a stateful `RainbondComponent` runs as a real
 * quorum cluster. Get one from `ClusterPreset`, or implement it to write your own.
 */
export interface IClusterPreset {
  /**
   * Binds the preset to a component: renders configuration for the given
   * members, creating any supporting objects (ConfigMaps) under `scope`.
   */
  bind(scope: Construct, context: PresetContext): PresetConfig;
}

/**
 * Options every preset accepts: what a user may still change on a preset.
 */
export interface ClusterPresetOptions {
  /**
   * Server image. The preset's pod spec replaces the image's entrypoint with its
   * own command and expects the image to provide, on its `PATH`, the programs
   * the preset's scripts and probes call, to let the preset's user write the
   * preset's volumes, and to work under a read-only root filesystem (the
   * contract per preset is in the README section "Images the presets pin").
   * An image of the same repository whose version tag is older than the
   * rendered configuration supports is refused with the reason.
   * @default - the preset's pinned official image (tag and digest where the digest is verified)
   */
  readonly image?: string;

  /**
   * Capacity of each member's data volume.
   * @default - the preset's default (see each preset)
   */
  readonly storageSize?: Size;

  /**
   * StorageClass of each member's data volume.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;

  /**
   * CPU and memory of the server container.
   * @default - the preset's default requests and limits
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Render a NetworkPolicy (named like the component) that admits the peer ports only
   * from members and the client ports only from members and the listed client pods.
   * Needs a CNI that enforces NetworkPolicies.
   * @default - no NetworkPolicy: every pod may connect to every port
   */
  readonly networkPolicy?: PresetNetworkPolicy;
}
