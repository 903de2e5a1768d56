import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ComponentVolume } from '../volume';

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
   * Server image.
   * @default - the preset's pinned official image
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
}
