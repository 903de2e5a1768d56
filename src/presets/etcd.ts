import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ConnectionValue } from '../connection';
import {
  clusterTokenProblems, defaultClusterToken, ETCD_CLIENT_PORT, ETCD_CLIENT_TLS_DIR, ETCD_HEALTH_PATH, ETCD_METRICS_PORT,
  ETCD_PEER_PORT, ETCD_PEER_TLS_DIR, ETCD_VOLUME_MOUNT_PATH, etcdEnv, tlsProblems,
} from './_etcd-config';
import { ETCD_IMAGE, IMAGE_MINIMUMS, imageOverrideProblems, pinnedReference } from './_image-facts';
import { etcdQuotaMebibytes, toMebibytes } from './_memory';
import { BOOLEAN, CHECKED_ELSEWHERE, checkOptionTypes, clusterPresetOptionTypes, enumType, objectType, OptionTypes, plainLabel, stringType } from './_option-types';
import { secretOptionProblems } from './_secret-problems';
import { ClusterPresetOptions, IClusterPreset, PresetConfig, PresetContext } from './preset-config';
import { mergeResources } from '../_container-defaults';

/**
 * How an etcd member with an empty data directory starts.
 */
export enum EtcdInitialClusterState {
  /** Bootstrap a new cluster from the rendered member list. */
  NEW = 'new',
  /**
   * Join a running cluster that admitted the member first (`etcdctl member add`).
   * Set it once the cluster has formed, before scaling: members with data ignore it.
   */
  EXISTING = 'existing',
}

/**
 * TLS of an etcd cluster, from Secrets you create (for example with cert-manager).
 * Each Secret holds `tls.crt`, `tls.key` and `ca.crt` (the keys of a
 * `kubernetes.io/tls` Secret as cert-manager writes it). One Secret serves every
 * member, so its certificate must name every member: the DNS names
 * `*.<name>.<namespace>.svc.<domain>` (or each pod FQDN), plus
 * `<name>-client.<namespace>.svc.<domain>` for clients of the client Service, and
 * carry both the `server auth` and `client auth` usages (members present it as
 * clients too: peers to each other, etcd's own gRPC gateway to its client port).
 * Turn TLS on when a cluster is created: members of a running cluster keep the
 * peer URLs they registered with (`etcdctl member update` changes them).
 */
export interface EtcdTlsOptions {
  /**
   * Secret with the certificate members serve on the client port 2379 (https).
   * Its `ca.crt` verifies client certificates when `clientCertAuth` is on.
   * Readiness then probes `/health` on the plain-HTTP metrics port 2381, which is
   * published on the headless Service only.
   * @default - clients speak plain HTTP
   */
  readonly clientSecret?: kplus.ISecret;

  /**
   * Refuse clients without a certificate signed by the client Secret's `ca.crt`.
   * Needs `clientSecret`.
   * @default false
   */
  readonly clientCertAuth?: boolean;

  /**
   * Secret with the certificate members use to each other on the peer port 2380:
   * mutual TLS, every peer must present a certificate signed by its `ca.crt`.
   * @default - peers speak plain HTTP
   */
  readonly peerSecret?: kplus.ISecret;
}

/**
 * Options of the etcd preset.
 */
export interface EtcdPresetOptions extends ClusterPresetOptions {
  /**
   * Initial cluster token. etcd derives the cluster ID from it and the member
   * list, so two clusters with the same members and token could join each
   * other's peers: keep it unique per cluster.
   * @default - `etcd-<namespace>-<component>`
   */
  readonly clusterToken?: string;

  /**
   * How a member with an empty data directory starts. Switch to EXISTING after the
   * cluster has formed, so members added later with `etcdctl member add` join it
   * instead of bootstrapping a cluster of their own.
   * @default EtcdInitialClusterState.NEW
   */
  readonly initialClusterState?: EtcdInitialClusterState;

  /**
   * TLS for client and peer traffic, from your Secrets.
   * @default - plain HTTP on both ports
   */
  readonly tls?: EtcdTlsOptions;
}

/** Types of the etcd options; the Secrets are checked by `secretOptionProblems` (a tls without a usable Secret is `tlsProblems`'). */
const ETCD_OPTION_TYPES: OptionTypes = {
  ...clusterPresetOptionTypes(ETCD_IMAGE.image),
  clusterToken: stringType('etcd-prod-orders'),
  initialClusterState: enumType(EtcdInitialClusterState, 'EtcdInitialClusterState'),
  tls: objectType({ clientSecret: CHECKED_ELSEWHERE, clientCertAuth: BOOLEAN, peerSecret: CHECKED_ELSEWHERE }, '{ clientSecret: kplus.Secret.fromSecretName(this, \'Tls\', \'etcd-tls\') }'),
};

/**
 * An etcd (Raft) cluster: one member per StatefulSet pod, peers addressed by
 * their stable pod FQDNs.
 *
 * - Configuration is passed only as `ETCD_*` environment variables, which
 *   etcd 3.4 and 3.5 both read, so it runs the same in the distroless official
 *   image and with any other etcd binary.
 * - `podManagementPolicy: Parallel`: a member is not healthy until a quorum
 *   exists, so OrderedReady would never start pod 1.
 * - Readiness is `GET /health` on the client port (healthy only while the
 *   member serves with a quorum); with client TLS on the plain-HTTP metrics
 *   port 2381, since a probe cannot present a client certificate. There is no liveness probe: restarting a
 *   member because its cluster lost quorum only makes recovery slower.
 * - A member restarted on its volume rejoins with its data; the
 *   `ETCD_INITIAL_CLUSTER*` settings are only read when the data dir is empty.
 * - Changing the member count of an existing cluster needs
 *   `etcdctl member add/remove`; the preset only bootstraps a fixed membership.
 *   A member whose volume was lost must likewise be removed and re-added
 *   (`ETCD_INITIAL_CLUSTER_STATE=existing`): with an empty data dir it would
 *   try to bootstrap again and be refused by its peers.
 * - Memory: `ETCD_QUOTA_BACKEND_BYTES` is etcd's default 2 GiB, but at most half the data
 *   volume (compaction, defragmentation and snapshots need room beside the database) and at
 *   most the memory limit (the database is memory-mapped). The defaults (8 GiB volume, 1 GiB
 *   request and limit) give a 1 GiB quota; a database that reaches it raises etcd's NOSPACE
 *   alarm (writes refused, reads served) until compacted, defragmented or given more room.
 */
export class EtcdPreset implements IClusterPreset {
  /** Official image the preset is tested with. */
  public static readonly DEFAULT_IMAGE = pinnedReference(ETCD_IMAGE);
  /** Largest supported member count ("no more than seven", etcd FAQ). */
  public static readonly MAX_MEMBERS = 7;

  private readonly options: EtcdPresetOptions;

  public constructor(options: EtcdPresetOptions = {}) {
    this.options = options;
  }

  public bind(scope: Construct, context: PresetContext): PresetConfig {
    const checked = checkOptionTypes<EtcdPresetOptions>(this.options, ETCD_OPTION_TYPES, plainLabel);
    const options = checked.options;
    const token = options.clusterToken ?? defaultClusterToken(context.componentName, context.namespace);
    const tls = options.tls;
    const clientTls = tls?.clientSecret !== undefined;
    const peerTls = tls?.peerSecret !== undefined;
    const clientCertAuth = tls?.clientCertAuth ?? false;
    const problems = [
      ...checked.problems,
      ...clusterTokenProblems(token),
      ...imageOverrideProblems(options.image, IMAGE_MINIMUMS.etcd),
      ...tlsProblems({ tlsGiven: tls !== undefined, clientTls, peerTls, clientCertAuth }),
      ...secretOptionProblems('tls.clientSecret', tls?.clientSecret),
      ...secretOptionProblems('tls.peerSecret', tls?.peerSecret),
    ];
    const resources = mergeResources(options.resources, {
      cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(1000) },
      memory: { request: Size.gibibytes(1), limit: Size.gibibytes(1) },
    });
    const storageSize = options.storageSize ?? Size.gibibytes(8);
    const envVariables: { [name: string]: kplus.EnvValue } = {};
    for (const v of etcdEnv({
      podDnsNames: context.podDnsNames,
      clusterToken: token,
      initialClusterState: options.initialClusterState ?? EtcdInitialClusterState.NEW,
      clientTls,
      clientCertAuth,
      peerTls,
    })) {
      envVariables[v.name] = v.fromPodName
        ? kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME)
        : kplus.EnvValue.fromValue(v.value ?? '');
    }
    const quota = etcdQuotaMebibytes(toMebibytes(storageSize), toMebibytes(resources.memory?.limit));
    envVariables.ETCD_QUOTA_BACKEND_BYTES = kplus.EnvValue.fromValue(String(quota * 1024 * 1024));
    const volumeMounts: kplus.VolumeMount[] = [];
    const mountSecret = (secret: kplus.ISecret | undefined, id: string, name: string, path: string) => {
      if (!secret) return;
      // 0440 + fsGroup: readable by the member's group only (the kubelet makes fsGroup the owning group)
      volumeMounts.push({ path, readOnly: true, volume: kplus.Volume.fromSecret(scope, id, secret, { name, defaultMode: 0o440 }) });
    };
    mountSecret(tls?.clientSecret, 'EtcdClientTlsVolume', 'etcd-client-tls', ETCD_CLIENT_TLS_DIR);
    mountSecret(tls?.peerSecret, 'EtcdPeerTlsVolume', 'etcd-peer-tls', ETCD_PEER_TLS_DIR);
    // Under client TLS the probe goes to the plain-HTTP metrics listener (no client certificate needed).
    const probePort = clientTls ? ETCD_METRICS_PORT : ETCD_CLIENT_PORT;

    return {
      system: 'etcd',
      maxMembers: EtcdPreset.MAX_MEMBERS,
      podManagementPolicy: kplus.PodManagementPolicy.PARALLEL,
      networkPolicy: options.networkPolicy,
      // the peer port is for members only: on the headless Service, never on the client Service
      clientPorts: [ETCD_CLIENT_PORT],
      terminationGracePeriod: Duration.seconds(30),
      dataVolume: {
        name: 'data',
        mountPath: ETCD_VOLUME_MOUNT_PATH,
        size: storageSize,
        storageClassName: options.storageClassName,
      },
      container: {
        name: 'etcd',
        image: options.image ?? EtcdPreset.DEFAULT_IMAGE,
        command: ['etcd'],
        ports: [
          { name: 'client', number: ETCD_CLIENT_PORT },
          { name: 'peer', number: ETCD_PEER_PORT },
          ...clientTls ? [{ name: 'metrics', number: ETCD_METRICS_PORT }] : [],
        ],
        envVariables,
        volumeMounts: volumeMounts.length > 0 ? volumeMounts : undefined,
        // every 2 s from the start (an HTTP GET costs the kubelet and etcd next to nothing), so a
        // member restarted in a rollout is Ready about as soon as it is healthy; unready after 10 s
        // without a leader, several election timeouts
        readiness: kplus.Probe.fromHttpGet(ETCD_HEALTH_PATH, {
          port: probePort,
          periodSeconds: Duration.seconds(2),
          timeoutSeconds: Duration.seconds(2),
          failureThreshold: 5,
        }),
        resources,
      },
      connectionInfo: {
        ETCD_ENDPOINTS: ConnectionValue.fromValue(context.podDnsNames.map(host => `http://${host}:${ETCD_CLIENT_PORT}`).join(',')),
      },
      problems: problems.length > 0 ? problems : undefined,
    };
  }
}
