import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ConnectionValue } from '../connection';
import { ZOOKEEPER_IMAGE, IMAGE_MINIMUMS, imageOverrideProblems, pinnedReference } from './_image-facts';
import { checkOptionTypes, clusterPresetOptionTypes, OptionTypes, plainLabel, sizeType, stringMapType } from './_option-types';
import { presetFiles } from './_preset-files';
import {
  defaultHeapMebibytes, extraConfigProblems, heapProblems, livenessCommand, PROBE_SCRIPT_KEY, readinessCommand,
  renderProbeScript, renderStartScript, renderZooCfg, serverJvmFlags, START_SCRIPT_KEY, startupCommand, ZK_CLIENT_PORT,
  ZK_CONFIG_DIR, ZK_DATA_DIR, ZK_ELECTION_PORT, ZK_LOG_DIR, ZK_QUORUM_PORT, ZOO_CFG_KEY,
} from './_zookeeper-config';
import { ClusterPresetOptions, IClusterPreset, PresetConfig, PresetContext } from './preset-config';
import { mergeResources } from '../_container-defaults';

/**
 * Options of the ZooKeeper preset.
 */
export interface ZookeeperPresetOptions extends ClusterPresetOptions {
  /**
   * JVM heap of the server (`-Xms` = `-Xmx`). At most 75% of the memory limit.
   * @default - half the memory limit (else half the request), 512 MiB without either
   */
  readonly heapSize?: Size;

  /**
   * Extra `zoo.cfg` settings, e.g. `{ maxClientCnxns: '200' }`. They may
   * override the preset's tuning defaults (`tickTime`, `initLimit`,
   * `syncLimit`, `maxClientCnxns`, `autopurge.*`) but not the settings the
   * cluster depends on (`dataDir`, `dataLogDir`, `clientPort`, `server.N`,
   * `4lw.commands.whitelist`, `quorumListenOnAllIPs`, `standaloneEnabled`,
   * `reconfigEnabled`, `dynamicConfigFile`, `admin.enableServer`).
   * @default - none
   */
  readonly extraConfig?: { [key: string]: string };
}

/** Types of the ZooKeeper options. */
const ZOOKEEPER_OPTION_TYPES: OptionTypes = {
  ...clusterPresetOptionTypes(ZOOKEEPER_IMAGE.image),
  heapSize: sizeType('Size.mebibytes(512)'),
  extraConfig: stringMapType('{ maxClientCnxns: \'200\' }'),
};

/**
 * A ZooKeeper (Zab) ensemble: one server per StatefulSet pod, `myid` =
 * ordinal + 1, `server.N` lines with the stable pod FQDNs.
 *
 * - `zoo.cfg` and a start script are rendered into the ConfigMap
 *   `<component>-config`; the container runs `bash /config/start.sh`,
 *   which writes `/data/myid` and execs `zkServer.sh start-foreground`, so no
 *   image entrypoint logic is involved. One member runs standalone.
 * - Readiness sends `srvr` and needs `Mode: leader|follower|standalone`: a
 *   server is ready only while it serves with a quorum. Hence
 *   `podManagementPolicy: Parallel` (OrderedReady would wait forever for
 *   pod 0). Liveness sends `ruok`, which answers without a quorum, so a member
 *   is never restarted because its ensemble lost quorum. The startup probe
 *   (every second) waits for the member to serve, or for 10 s of answering
 *   `ruok` without a quorum; the kubelet probes readiness as soon as it passes,
 *   so a member restarted in a rollout is Ready about a second after it serves.
 * - Membership is static (`reconfigEnabled=false`): changing the member count
 *   re-renders every `server.N` line and restarts every member.
 * - Growing a one-member ensemble (it ran standalone): a member other than 0 with an
 *   empty data dir waits, probes passing, until another member answers `srvr` as part of
 *   an ensemble; so the new, empty members cannot elect each other and truncate the
 *   member that holds the data. The rolling update restarts member 0 with the new server
 *   list (or `kubectl delete pod <name>-0`), and its higher zxid makes it the leader.
 * - Memory: the JVM heap is fixed (`-Xms` = `-Xmx` in `SERVER_JVMFLAGS`, and `ZK_SERVER_HEAP`
 *   for `zkServer.sh`) at half the memory limit (else half the request, 512 MiB without
 *   either); the other half is for the JVM's metaspace, threads, direct buffers and the page
 *   cache of snapshots. The default 1 GiB request and limit give a 512 MiB heap.
 */
export class ZookeeperPreset implements IClusterPreset {
  /** Official image the preset is tested with. */
  public static readonly DEFAULT_IMAGE = pinnedReference(ZOOKEEPER_IMAGE);
  /** Largest supported member count. */
  public static readonly MAX_MEMBERS = 7;
  /** User and group id of the official image's `zookeeper` user. */
  public static readonly USER_ID = 1000;

  private readonly options: ZookeeperPresetOptions;

  public constructor(options: ZookeeperPresetOptions = {}) {
    this.options = options;
  }

  public bind(scope: Construct, context: PresetContext): PresetConfig {
    const checked = checkOptionTypes<ZookeeperPresetOptions>(this.options, ZOOKEEPER_OPTION_TYPES, plainLabel);
    const options = checked.options;
    const resources = mergeResources(options.resources, {
      cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(1000) },
      memory: { request: Size.gibibytes(1), limit: Size.gibibytes(1) },
    });
    const problems: string[] = [...checked.problems, ...imageOverrideProblems(options.image, IMAGE_MINIMUMS.zookeeper)];
    let heap: number;
    if (options.heapSize) {
      const exactHeap = options.heapSize.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
      heap = Math.floor(exactHeap);
      problems.push(...heapProblems(exactHeap, resources.memory?.limit));
    } else {
      heap = defaultHeapMebibytes(resources.memory?.limit, resources.memory?.request);
    }
    problems.push(...extraConfigProblems(options.extraConfig ?? {}));

    const { configMap, podAnnotations } = presetFiles(scope, 'ZookeeperConfig', context, {
      [ZOO_CFG_KEY]: renderZooCfg({ podDnsNames: context.podDnsNames, extraConfig: options.extraConfig }),
      [START_SCRIPT_KEY]: renderStartScript({ dataDir: ZK_DATA_DIR, configFile: `${ZK_CONFIG_DIR}/${ZOO_CFG_KEY}`, podDnsNames: context.podDnsNames }),
      [PROBE_SCRIPT_KEY]: renderProbeScript(ZK_CLIENT_PORT),
    });
    const configVolume = kplus.Volume.fromConfigMap(scope, 'ZookeeperConfigVolume', configMap, { name: 'zookeeper-config' });
    const tmpVolume = kplus.Volume.fromEmptyDir(scope, 'ZookeeperTmpVolume', 'tmp');
    const logVolume = kplus.Volume.fromEmptyDir(scope, 'ZookeeperLogVolume', 'logs');

    return {
      system: 'zookeeper',
      connectionInfo: {
        ZOOKEEPER_CONNECT: ConnectionValue.fromValue(context.podDnsNames.map(host => `${host}:${ZK_CLIENT_PORT}`).join(',')),
      },
      maxMembers: ZookeeperPreset.MAX_MEMBERS,
      podManagementPolicy: kplus.PodManagementPolicy.PARALLEL,
      networkPolicy: options.networkPolicy,
      clientPorts: [ZK_CLIENT_PORT], // quorum and election ports are for members only
      podSecurityContext: { user: ZookeeperPreset.USER_ID, group: ZookeeperPreset.USER_ID, fsGroup: ZookeeperPreset.USER_ID },
      terminationGracePeriod: Duration.seconds(30),
      podAnnotations,
      dataVolume: {
        name: 'data',
        mountPath: ZK_DATA_DIR,
        size: options.storageSize ?? Size.gibibytes(8),
        storageClassName: options.storageClassName,
      },
      container: {
        name: 'zookeeper',
        image: options.image ?? ZookeeperPreset.DEFAULT_IMAGE,
        command: ['bash', `${ZK_CONFIG_DIR}/${START_SCRIPT_KEY}`],
        ports: [
          { name: 'client', number: ZK_CLIENT_PORT },
          { name: 'quorum', number: ZK_QUORUM_PORT },
          { name: 'election', number: ZK_ELECTION_PORT },
        ],
        envVariables: {
          ZOO_LOG_DIR: kplus.EnvValue.fromValue(ZK_LOG_DIR),
          ZK_SERVER_HEAP: kplus.EnvValue.fromValue(String(heap)),
          SERVER_JVMFLAGS: kplus.EnvValue.fromValue(serverJvmFlags(heap)),
        },
        volumeMounts: [
          { volume: configVolume, path: ZK_CONFIG_DIR, readOnly: true },
          { volume: tmpVolume, path: '/tmp' },
          { volume: logVolume, path: ZK_LOG_DIR },
        ],
        // every second while the JVM starts (up to 5 min); it passes once the member serves, and the
        // kubelet then runs the readiness probe at once, so a restarted member is Ready within a second
        startup: kplus.Probe.fromCommand(startupCommand(), {
          periodSeconds: Duration.seconds(1),
          timeoutSeconds: Duration.seconds(5),
          failureThreshold: 300,
        }),
        liveness: kplus.Probe.fromCommand(livenessCommand(), {
          periodSeconds: Duration.seconds(10),
          timeoutSeconds: Duration.seconds(5),
          failureThreshold: 6,
        }),
        // no initial delay: the startup probe gates it (a delay would only move the first probe to a
        // later tick); unready after 30 s without a quorum, longer than a lost leader takes
        readiness: kplus.Probe.fromCommand(readinessCommand(), {
          periodSeconds: Duration.seconds(10),
          timeoutSeconds: Duration.seconds(5),
          failureThreshold: 3,
        }),
        resources,
      },
      problems: problems.length > 0 ? problems : undefined,
    };
  }
}
