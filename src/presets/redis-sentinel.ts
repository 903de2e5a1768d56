import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { mergeResources } from '../_container-defaults';
import { quorumSize } from '../_quorum';
import { ConnectionValue } from '../connection';
import { HAPROXY_IMAGE, REDIS_IMAGE, IMAGE_MINIMUMS, imageOptionProblems, imageOverrideProblems, pinnedReference } from './_image-facts';
import { memoryBasisMebibytes, redisMemory } from './_memory';
import { networkPolicyProblems } from './_network-policy';
import { BOOLEAN, checkOptionTypes, clusterPresetOptionTypes, numberType, OptionTypes, quotedLabel, SECRET, stringType } from './_option-types';
import { presetFiles } from './_preset-files';
import {
  REDIS_PORT, REDIS_SCRIPT_ENV, RedisRenderInput, SENTINEL_PORT, WAITING_FILE, minReplicasMaxLagSeconds, redisSentinelProblems,
  renderDecideScript, renderMemberStartScript, renderPreStopScript, renderReconcileScript, renderRedisConf, renderRedisStartScript,
  renderSentinelConf, renderSentinelStartScript,
} from './_redis-config';
import { addPrimaryProxy, proxyLabels } from './_redis-primary-proxy';
import { secretKeyOptionProblems, secretOptionProblems } from './_secret-problems';
import { ClusterPresetOptions, IClusterPreset, PresetConfig, PresetContext } from './preset-config';

/** Memory limit of the default resources, also the basis of `maxmemory` when the given resources set no memory. */
const DEFAULT_MEMORY_MEBIBYTES = 1024;

/** Longest time a stopping primary waits for a replica to take over. */
const HANDOVER_SECONDS = 20;

/**
 * Options of the Redis Sentinel preset.
 */
export interface RedisSentinelPresetOptions extends ClusterPresetOptions {
  /**
   * Name of the master set the Sentinels monitor (what clients ask a Sentinel for).
   * @default 'mymaster'
   */
  readonly masterName?: string;

  /**
   * Sentinels that must agree the master is unreachable before a failover starts.
   * The failover itself always needs the vote of a majority of the Sentinels.
   * @default - the majority of the members, floor(n/2)+1
   */
  readonly sentinelQuorum?: number;

  /**
   * Secret, created by you, holding the password of Redis and of the Sentinels.
   * The password never appears in the manifest: it reaches the containers as
   * an environment variable from this Secret.
   * @default - the Secret named `<componentName>-credentials` in the component's namespace
   */
  readonly passwordSecret?: kplus.ISecret;

  /**
   * Key of the password in `passwordSecret`.
   * @default 'password'
   */
  readonly passwordSecretKey?: string;

  /**
   * Milliseconds an instance may stay unreachable before a Sentinel considers it down.
   * @default 5000
   */
  readonly downAfterMilliseconds?: number;

  /**
   * Failover timeout of the Sentinels in milliseconds.
   * @default 60000
   */
  readonly failoverTimeoutMilliseconds?: number;

  /**
   * Render the primary-only path for clients that do not speak Sentinel: the Service
   * `<name>-primary` (port 6379) in front of a two-pod HAProxy Deployment whose health
   * check asks every member `INFO replication` and sends connections only to the member
   * reporting `role:master`, following failovers (connections to a demoted primary are
   * closed). Sentinel-aware clients use port 26379 of `<name>-client` with `masterName`.
   * Components that depend on the cluster get it as `REDIS_HOST` and as `<ALIAS>_HOST` of
   * port 6379; without it they get `<name>-client` there, which reaches replicas too
   * (writes fail with `READONLY`), and should use the Sentinel variables.
   * @default true
   */
  readonly primaryService?: boolean;

  /**
   * Image of the primary proxy; it must contain `haproxy` on PATH, `/bin/sh` and `sed`,
   * and run as a non-root user (the pod sets uid/gid 99, the official image's `haproxy`).
   * @default RedisSentinelPreset.PROXY_IMAGE
   */
  readonly proxyImage?: string;
}

/** Types of the Redis Sentinel options (the Secret's name is checked by `secretOptionProblems`). */
const REDIS_OPTION_TYPES: OptionTypes = {
  ...clusterPresetOptionTypes(REDIS_IMAGE.image),
  masterName: stringType('mymaster'),
  sentinelQuorum: numberType(2),
  passwordSecret: SECRET,
  passwordSecretKey: stringType('password'),
  downAfterMilliseconds: numberType(5000),
  failoverTimeoutMilliseconds: numberType(60000),
  primaryService: BOOLEAN,
  proxyImage: { ...stringType(HAPROXY_IMAGE.image), expected: 'an image reference (a string)' },
};

/**
 * Redis with one primary and replicas, failed over by a Sentinel in every member pod.
 *
 * Member 0 starts as the primary and the others replicate from it; the Sentinels
 * monitor it by hostname (resolve-hostnames and announce-hostnames on, every
 * instance announces its pod FQDN). A restarting member first asks the Sentinels
 * which member is the primary now, so a restart after a failover does not create a
 * second primary. When no Sentinel answers, only a member without data falls back to
 * member 0 (a new cluster); a member with data never promotes itself, since it may be
 * a stale former primary whose data the others would resync to. After every member
 * was down, all of them wait (their probes pass meanwhile, so OrderedReady starts them
 * all): create the file `force-primary` in the data volume of the member that was the
 * primary last (`/data/.last-role` records each member's role with the Sentinels'
 * config epoch, e.g. `kubectl exec <pod> -- cat /data/.last-role`, then
 * `kubectl exec <pod> -- touch /data/force-primary`); it starts as the primary within
 * 5 s and the others follow it.
 * Sentinel and Redis run in one container (one start script supervises both and
 * ends when either exits): native sidecar containers need Kubernetes 1.29, and on
 * 1.28 an init container that never ends would keep every pod in Init.
 * A primary that is stopped (e.g. by a rolling update) first asks its Sentinel to fail over.
 * Every 10 s a member that is a replica checks that it follows the master most Sentinels name,
 * which also fixes replicas the Sentinels have not seen yet.
 * Pods start `OrderedReady`: starting them in parallel lets every member believe it is the primary.
 * Replication is asynchronous: use `WAIT` where a write must reach replicas.
 *
 * Needs a Secret you create before the first apply (the manifest only references it; until it
 * exists the pods stay in `CreateContainerConfigError`): by default `<componentName>-credentials`
 * in the component's namespace, with the key `password` (used by Redis and by the Sentinels), e.g.
 * `kubectl create secret generic cache-credentials -n shop --from-literal=password="$(openssl rand -hex 24)"`.
 * Change the Secret or the key with `passwordSecret` and `passwordSecretKey`.
 *
 * Addresses: clients that do not speak Sentinel use the Service `<name>-primary:6379`
 * (a small HAProxy Deployment that routes only to the member reporting `role:master`);
 * Sentinel-aware clients use `<name>-client:26379` with the master name; `<name>-client:6379`
 * reaches any ready member, where writes to a replica fail with `READONLY`. Components that depend on
 * this one get `<name>-primary` as `REDIS_HOST` and as `<ALIAS>_HOST` of port 6379.
 *
 * Memory: `maxmemory` = (memory limit − 64 MiB) / 2 with `maxmemory-policy noeviction`; the 64 MiB
 * hold the Sentinel, the empty server and buffers, the other half is the room a fork (AOF rewrite,
 * a replica's full sync) needs for copy-on-write. The default 1 GiB request and limit give
 * `maxmemory 480mb`; resources without memory are sized like the default; limits below 256 MiB are refused.
 */
export class RedisSentinelPreset implements IClusterPreset {
  /** Pinned official image. */
  public static readonly DEFAULT_IMAGE = pinnedReference(REDIS_IMAGE);
  /** Pinned official image of the primary proxy (docker-library/haproxy 2.8, Debian based), by digest. */
  public static readonly PROXY_IMAGE = pinnedReference(HAPROXY_IMAGE);

  constructor(private readonly options: RedisSentinelPresetOptions = {}) {}

  public bind(scope: Construct, context: PresetContext): PresetConfig {
    const checked = checkOptionTypes<RedisSentinelPresetOptions>(this.options, REDIS_OPTION_TYPES, quotedLabel);
    const o = checked.options;
    const input: RedisRenderInput = {
      masterName: o.masterName ?? 'mymaster',
      podDnsNames: context.podDnsNames,
      sentinelQuorum: o.sentinelQuorum ?? quorumSize(context.replicas),
      downAfterMilliseconds: o.downAfterMilliseconds ?? 5000,
      failoverTimeoutMilliseconds: o.failoverTimeoutMilliseconds ?? 60000,
    };
    const problems = [
      ...checked.problems,
      ...redisSentinelProblems({ ...input, members: context.replicas }),
      ...imageOverrideProblems(o.image, IMAGE_MINIMUMS['redis-sentinel'], quotedLabel('image')),
      ...imageOptionProblems(quotedLabel('proxyImage'), o.proxyImage),
    ];
    const resources = mergeResources(o.resources, {
      cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(1000) },
      memory: { request: Size.gibibytes(1), limit: Size.gibibytes(1) },
    });
    const memory = redisMemory(memoryBasisMebibytes(resources.memory) ?? DEFAULT_MEMORY_MEBIBYTES);
    if (memory.problem) problems.push(memory.problem);
    const passwordSecretKey = o.passwordSecretKey ?? 'password';
    problems.push(...secretKeyOptionProblems('passwordSecretKey', passwordSecretKey, 'the key \'password\''));
    problems.push(...secretOptionProblems('\'passwordSecret\'', o.passwordSecret));

    const { configMap, podAnnotations } = presetFiles(scope, 'RedisSentinelConfig', context, {
      'redis.conf': renderRedisConf({
        maxMemoryMebibytes: memory.settings?.maxMemoryMebibytes,
        minReplicasMaxLagSeconds: minReplicasMaxLagSeconds(context.replicas, input.downAfterMilliseconds),
      }),
      'sentinel.conf': renderSentinelConf(input),
      'start-redis.sh': renderRedisStartScript(input),
      'start-sentinel.sh': renderSentinelStartScript(input),
      'start.sh': renderMemberStartScript(),
      'decide.sh': renderDecideScript(input),
      'pre-stop.sh': renderPreStopScript(input, HANDOVER_SECONDS),
      'reconcile.sh': renderReconcileScript(input),
    });
    const confDir = REDIS_SCRIPT_ENV.confDir.default;
    const runDir = REDIS_SCRIPT_ENV.runDir.default;
    const mounts: kplus.VolumeMount[] = [
      { path: confDir, readOnly: true, volume: kplus.Volume.fromConfigMap(scope, 'RedisSentinelConfigVolume', configMap, { name: 'redis-preset-config' }) },
      { path: runDir, volume: kplus.Volume.fromEmptyDir(scope, 'RedisSentinelRunVolume', 'redis-run') },
    ];
    const secret = o.passwordSecret ?? kplus.Secret.fromSecretName(scope, 'RedisSentinelCredentials', `${context.componentName}-credentials`);
    const primaryService = o.primaryService ?? true;
    // the binding reports the NetworkPolicy's problems; the proxy is rendered from a valid one only
    const networkPolicyValid = o.networkPolicy === undefined || networkPolicyProblems(o.networkPolicy).length === 0;
    if (primaryService && problems.length === 0 && networkPolicyValid) {
      addPrimaryProxy(scope, {
        componentName: context.componentName,
        namespace: context.namespace,
        podDnsNames: context.podDnsNames,
        image: o.proxyImage ?? RedisSentinelPreset.PROXY_IMAGE,
        passwordSecret: secret,
        passwordSecretKey,
        networkPolicy: o.networkPolicy,
      });
    }
    // the proxy pods connect to the members: admitted like any other client
    const networkPolicy = o.networkPolicy && primaryService && networkPolicyValid
      ? { ...o.networkPolicy, clients: [...o.networkPolicy.clients ?? [], { podLabels: proxyLabels(context.componentName) }] }
      : o.networkPolicy;

    const container: kplus.ContainerProps = {
      name: 'redis',
      image: o.image ?? RedisSentinelPreset.DEFAULT_IMAGE,
      command: ['sh', `${confDir}/start.sh`],
      ports: [{ number: REDIS_PORT, name: 'redis' }, { number: SENTINEL_PORT, name: 'sentinel' }],
      envVariables: {
        [REDIS_SCRIPT_ENV.password.name]: kplus.EnvValue.fromSecretValue({ secret, key: passwordSecretKey }),
      },
      volumeMounts: mounts,
      lifecycle: { preStop: kplus.Handler.fromCommand(['sh', `${confDir}/pre-stop.sh`]) },
      // local only (OrderedReady must not wait for the other members): both servers answer
      readiness: kplus.Probe.fromCommand(pingCommand({ [REDIS_PORT]: 'PONG', [SENTINEL_PORT]: 'PONG' }), probeTiming(5, 5, 3)),
      // a replica loading its data set answers LOADING: that is alive
      liveness: kplus.Probe.fromCommand(pingCommand({ [REDIS_PORT]: 'PONG|LOADING*', [SENTINEL_PORT]: 'PONG' }), probeTiming(30, 10, 6)),
      resources,
    };

    // dependants write: without the proxy, 6379 of the client Service reaches replicas too (READONLY)
    const primaryHost = `${context.componentName}-primary.${context.namespace}.svc.${context.clusterDomain}`;
    return {
      system: 'redis-sentinel',
      dependantEndpoints: primaryService ? [{ clientPort: REDIS_PORT, host: primaryHost }] : undefined,
      connectionInfo: {
        ...primaryService ? { REDIS_HOST: ConnectionValue.fromValue(primaryHost), REDIS_PORT: ConnectionValue.fromValue(String(REDIS_PORT)) } : {},
        REDIS_SENTINEL_ADDRESSES: ConnectionValue.fromValue(context.podDnsNames.map(host => `${host}:${SENTINEL_PORT}`).join(',')),
        REDIS_SENTINEL_MASTER: ConnectionValue.fromValue(input.masterName),
        REDIS_PASSWORD: ConnectionValue.fromSecretKey(secret, passwordSecretKey),
      },
      maxMembers: 7,
      container,
      dataVolume: {
        name: 'data',
        mountPath: REDIS_SCRIPT_ENV.dataDir.default,
        size: o.storageSize ?? Size.gibibytes(8),
        storageClassName: o.storageClassName,
      },
      podManagementPolicy: kplus.PodManagementPolicy.ORDERED_READY,
      networkPolicy,
      podSecurityContext: { user: 999, group: 999, fsGroup: 999 },
      terminationGracePeriod: Duration.seconds(HANDOVER_SECONDS + 15),
      podAnnotations,
      problems,
    };
  }
}

/** `sh -c` command that pings the local servers with the password (port → `case` pattern the reply must match) and fails at the first mismatch. */
function pingCommand(expected: { [port: number]: string }): string[] {
  const checks = Object.entries(expected).map(([port, pattern]) => `case "$(redis-cli -p ${port} ping 2>&1)" in ${pattern}) ;; *) exit 1;; esac`);
  // a member waiting for a Sentinel to name the master (every member was down) passes, so OrderedReady starts the others
  const waiting = `[ -f '${REDIS_SCRIPT_ENV.runDir.default}/${WAITING_FILE}' ] && exit 0`;
  return ['sh', '-c', [waiting, `export REDISCLI_AUTH="$${REDIS_SCRIPT_ENV.password.name}"`, ...checks].join('; ')];
}

function probeTiming(initialDelay: number, period: number, failureThreshold: number): kplus.CommandProbeOptions {
  return {
    initialDelaySeconds: Duration.seconds(initialDelay),
    periodSeconds: Duration.seconds(period),
    timeoutSeconds: Duration.seconds(3),
    failureThreshold,
  };
}
