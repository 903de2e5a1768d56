import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AutoscalingOptions } from './autoscaling';
import { RainbondComponent } from './component';
import { ConnectionValue } from './connection';
import { DeployType } from './deploy-type';
import { ComponentPortSettings } from './port';
import { IClusterPreset } from './presets/preset-config';
import { SharedVolumeMount } from './shared-volume';
import { ComponentVolume } from './volume';

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
