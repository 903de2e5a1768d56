import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ConnectionValue } from '../connection';
import { MYSQL_IMAGE, IMAGE_MINIMUMS, imageOverrideProblems, pinnedReference } from './_image-facts';
import { memoryBasisMebibytes, mysqlMemory } from './_memory';
import {
  GROUP_PORT, MYSQLX_PORT, MYSQL_PORT, MYSQL_SCRIPT_ENV, MysqlRenderInput, defaultGroupName,
  mysqlReplicationProblems, renderGroupScript, renderMyCnf, renderMysqlStartScript, renderReadyScript,
} from './_mysql-config';
import { checkOptionTypes, clusterPresetOptionTypes, enumType, OptionTypes, quotedLabel, SECRET, stringType } from './_option-types';
import { presetFiles } from './_preset-files';
import { secretKeyOptionProblems, secretOptionProblems } from './_secret-problems';
import { ClusterPresetOptions, IClusterPreset, PresetConfig, PresetContext } from './preset-config';
import { mergeResources } from '../_container-defaults';

/** Memory limit of the default resources, also the basis of the derived sizes when the given resources set no memory. */
const DEFAULT_MEMORY_MEBIBYTES = 2048;

/**
 * How the members of a MySQL group connect to each other (`group_replication_communication_stack`).
 */
export enum MysqlCommunicationStack {
  /**
   * The MySQL server's own connections on the client port (3306), authenticated as the
   * replication user (which has GROUP_REPLICATION_STREAM) and encrypted with TLS. No IP
   * allowlist applies, so members on any node of any CNI reach each other.
   */
  MYSQL = 'MYSQL',
  /**
   * Group Replication's own XCom protocol on port 33061, admitted by `ipAllowlist`
   * (which then must be given: `AUTOMATIC` refuses members on other nodes under /32 or
   * per-node /24 pod addresses).
   */
  XCOM = 'XCOM',
}

/**
 * Options of the MySQL Group Replication preset.
 */
export interface MysqlReplicationPresetOptions extends ClusterPresetOptions {
  /**
   * Group name: a lowercase UUID shared by all members.
   * @default - a UUID derived from the namespace and component name
   */
  readonly groupName?: string;

  /**
   * Secret, created by you, holding the passwords of `root` and of the replication user.
   * The passwords never appear in the manifest: they reach the container as
   * environment variables from this Secret and are written to option files at start.
   * @default - the Secret named `<componentName>-credentials` in the component's namespace
   */
  readonly passwordSecret?: kplus.ISecret;

  /**
   * Key of the `root` password in `passwordSecret`.
   * @default 'root-password'
   */
  readonly rootPasswordKey?: string;

  /**
   * Key of the replication user's password in `passwordSecret`.
   * @default 'replication-password'
   */
  readonly replicationPasswordKey?: string;

  /**
   * User the members use for distributed recovery (created when a data directory is initialised).
   * @default 'repl'
   */
  readonly replicationUser?: string;

  /**
   * The application account: created with every new data directory (on every member, so it
   * survives a failover), with every privilege on `appDatabase` and nothing else, plus read
   * access to `performance_schema.replication_group_members` (to find the primary). Components
   * that depend on this one get it as `MYSQL_USER`, never `root`.
   * @default 'app'
   */
  readonly appUser?: string;

  /**
   * The database of the application account, created with it; dependants get it as `MYSQL_DATABASE`.
   * @default 'app'
   */
  readonly appDatabase?: string;

  /**
   * Key of the application account's password in `passwordSecret`; dependants get it as
   * `MYSQL_PASSWORD` (a reference to the Secret). A member that initialises a new data directory
   * without this key stops with a message naming it; existing data directories are not changed
   * (see docs/upgrading.md).
   * @default 'app-password'
   */
  readonly appPasswordKey?: string;

  /**
   * How members connect to each other. The default works on every CNI: members connect
   * through MySQL's own port and user authentication instead of an IP allowlist.
   * @default MysqlCommunicationStack.MYSQL
   */
  readonly communicationStack?: MysqlCommunicationStack;

  /**
   * Hosts allowed to connect to the XCom port (`group_replication_ip_allowlist`), e.g. the
   * cluster's pod CIDR `10.244.0.0/16`. Only for `communicationStack: XCOM`, where it is required;
   * the MYSQL stack ignores an allowlist, so giving one there is an error.
   * @default - none (required with XCOM)
   */
  readonly ipAllowlist?: string;
}

/** Types of the MySQL Group Replication options (the Secret's name is checked by `secretOptionProblems`). */
const MYSQL_OPTION_TYPES: OptionTypes = {
  ...clusterPresetOptionTypes(MYSQL_IMAGE.image),
  groupName: stringType('aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'),
  passwordSecret: SECRET,
  rootPasswordKey: stringType('root-password'),
  replicationPasswordKey: stringType('replication-password'),
  replicationUser: stringType('repl'),
  appUser: stringType('app'),
  appDatabase: stringType('app'),
  appPasswordKey: stringType('app-password'),
  communicationStack: enumType(MysqlCommunicationStack, 'MysqlCommunicationStack'),
  ipAllowlist: stringType('10.244.0.0/16'),
};

/**
 * MySQL Group Replication in single-primary mode (Paxos majority, up to 9 members).
 *
 * Every member gets `server_id` = ordinal + 1, GTIDs, the shared group name, its own FQDN as
 * `report_host` and `group_replication_local_address`, and all FQDNs as seeds. Members talk
 * over the MYSQL communication stack by default: through port 3306, authenticated as the
 * replication user and encrypted with TLS, so no IP allowlist can refuse pods on other nodes
 * (`group_replication_ip_allowlist=AUTOMATIC` of the XCOM stack does under /32 or per-node /24
 * pod addresses). Member 0 bootstraps the group once, when its data directory is new and no
 * other member is ONLINE; every other start joins, retrying every 10 s.
 *
 * A member is ready only while it is ONLINE in the group (RECOVERING, ERROR or OFFLINE is not
 * ready), so a rolling update, which replaces one member at a time and waits for it to be
 * ready, never takes down the last ONLINE donor. Pods start `Parallel`: with a readiness that
 * needs the group, OrderedReady would never start the later members after a full outage.
 *
 * After the whole group stopped, no member bootstraps by itself: every member starts and waits.
 * Compare `SELECT @@GLOBAL.gtid_executed` on each, create the file `force-bootstrap` in the data
 * volume of the member with the most recent data (e.g.
 * `kubectl exec <pod> -- touch /var/lib/mysql/force-bootstrap`) and restart that member; the others join it.
 * The configuration and scripts are rendered into the ConfigMap `<component>-config`; the image's entrypoint is not used.
 *
 * Memory: `group_replication_message_cache_size` = limit / 16 (at least MySQL 8.4's minimum of
 * 128 MiB; its default of 1 GiB would not fit) and `innodb_buffer_pool_size` = 75% of what is left
 * after 512 MiB for the server itself (Performance Schema, connections, the cache's ~50 MiB of
 * structures) and the cache, rounded down to 128 MiB steps below 1 GiB and whole GiB above. The
 * default 2 GiB request and limit give a 128 MiB cache and a 1 GiB buffer pool; 4 GiB gives 256 MiB
 * and 2 GiB. Resources without memory are sized like the default; limits below 1 GiB are refused.
 *
 * Needs a Secret you create before the first apply (the manifest only references it; until it
 * exists the pods stay in `CreateContainerConfigError`): by default `<componentName>-credentials`
 * in the component's namespace, with the keys `root-password`, `replication-password` and `app-password`, e.g.
 * `kubectl create secret generic orders-credentials -n shop --from-literal=root-password="$(openssl rand -hex 24)" --from-literal=replication-password="$(openssl rand -hex 24)" --from-literal=app-password="$(openssl rand -hex 24)"`.
 * Change the Secret, its keys or both with `passwordSecret`, `rootPasswordKey`, `replicationPasswordKey`, `appPasswordKey`.
 *
 * Dependants (components that depend on this one) get the application account (`appUser`, its database
 * `appDatabase`, its password from `appPasswordKey`), never `root`, and `MYSQL_HOST` = the client Service,
 * which reaches any ONLINE member: only the primary accepts writes (a secondary refuses them with error 1290,
 * `super_read_only`), so a writer finds the primary through `performance_schema.replication_group_members`
 * (readable by the application account) or a Group Replication-aware connector.
 */
export class MysqlReplicationPreset implements IClusterPreset {
  /** Pinned official image. */
  public static readonly DEFAULT_IMAGE = pinnedReference(MYSQL_IMAGE);

  constructor(private readonly options: MysqlReplicationPresetOptions = {}) {}

  public bind(scope: Construct, context: PresetContext): PresetConfig {
    const checked = checkOptionTypes<MysqlReplicationPresetOptions>(this.options, MYSQL_OPTION_TYPES, quotedLabel);
    const o = checked.options;
    const resources = mergeResources(o.resources, {
      cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(2000) },
      memory: { request: Size.gibibytes(2), limit: Size.gibibytes(2) },
    });
    const memory = mysqlMemory(memoryBasisMebibytes(resources.memory) ?? DEFAULT_MEMORY_MEBIBYTES);
    const input: MysqlRenderInput = {
      podDnsNames: context.podDnsNames,
      groupName: o.groupName ?? defaultGroupName(context.namespace, context.componentName),
      replicationUser: o.replicationUser ?? 'repl',
      communicationStack: o.communicationStack ?? MysqlCommunicationStack.MYSQL,
      ipAllowlist: o.ipAllowlist,
      bufferPoolMebibytes: memory.settings?.bufferPoolMebibytes ?? 128,
      messageCacheMebibytes: memory.settings?.messageCacheMebibytes ?? 128,
      appAccount: { user: o.appUser ?? 'app', database: o.appDatabase ?? 'app' },
    };
    // with a communicationStack refused, whether ipAllowlist belongs to it is unknown: only the refusal is reported
    const problems = checked.refused.includes('communicationStack') ? checked.problems
      : [...checked.problems, ...mysqlReplicationProblems(input), ...imageOverrideProblems(o.image, IMAGE_MINIMUMS['mysql-replication'], quotedLabel('image'))];
    if (memory.problem) problems.push(memory.problem);
    problems.push(...appAccountProblems(input));
    const rootKey = o.rootPasswordKey ?? 'root-password';
    const replicationKey = o.replicationPasswordKey ?? 'replication-password';
    const appKey = o.appPasswordKey ?? 'app-password';
    for (const [prop, key] of [['rootPasswordKey', rootKey], ['replicationPasswordKey', replicationKey], ['appPasswordKey', appKey]]) {
      problems.push(...secretKeyOptionProblems(prop, key, 'the default key'));
    }
    problems.push(...secretOptionProblems('\'passwordSecret\'', o.passwordSecret));

    const { configMap, podAnnotations } = presetFiles(scope, 'MysqlReplicationConfig', context, {
      'my.cnf': renderMyCnf(input),
      'start.sh': renderMysqlStartScript(input),
      'group.sh': renderGroupScript(input),
      'ready.sh': renderReadyScript(),
    });
    const confDir = MYSQL_SCRIPT_ENV.confDir.default;
    const runDir = MYSQL_SCRIPT_ENV.runDir.default;
    const secret = o.passwordSecret ?? kplus.Secret.fromSecretName(scope, 'MysqlReplicationCredentials', `${context.componentName}-credentials`);
    const rootCnf = `--defaults-extra-file=${runDir}/root.cnf`;

    const container: kplus.ContainerProps = {
      name: 'mysql',
      image: o.image ?? MysqlReplicationPreset.DEFAULT_IMAGE,
      command: ['sh', `${confDir}/start.sh`],
      ports: [
        { number: MYSQL_PORT, name: 'mysql' },
        { number: MYSQLX_PORT, name: 'mysqlx' },
        // the MYSQL stack carries group traffic on the client port
        ...input.communicationStack === MysqlCommunicationStack.XCOM ? [{ number: GROUP_PORT, name: 'group' }] : [],
      ],
      envVariables: {
        [MYSQL_SCRIPT_ENV.rootPassword.name]: kplus.EnvValue.fromSecretValue({ secret, key: rootKey }),
        [MYSQL_SCRIPT_ENV.replicationPassword.name]: kplus.EnvValue.fromSecretValue({ secret, key: replicationKey }),
        // optional: a member with an existing data directory starts without it; a new one stops, naming the key
        [MYSQL_SCRIPT_ENV.appPassword.name]: kplus.EnvValue.fromSecretValue({ secret, key: appKey }, { optional: true }),
      },
      volumeMounts: [
        { path: confDir, readOnly: true, volume: kplus.Volume.fromConfigMap(scope, 'MysqlReplicationConfigVolume', configMap, { name: 'mysql-preset-config' }) },
        { path: runDir, volume: kplus.Volume.fromEmptyDir(scope, 'MysqlReplicationRunVolume', 'mysql-run') },
        { path: '/tmp', volume: kplus.Volume.fromEmptyDir(scope, 'MysqlReplicationTmpVolume', 'mysql-tmp') },
      ],
      // a fresh data directory is initialised before mysqld listens: give it time before liveness counts
      startup: kplus.Probe.fromCommand(['mysqladmin', rootCnf, 'ping'], probeTiming(10, 5, 60)),
      liveness: kplus.Probe.fromCommand(['mysqladmin', rootCnf, 'ping'], probeTiming(0, 10, 6)),
      // ONLINE in the group: a RECOVERING or failed member takes no traffic and holds back a rolling update
      readiness: kplus.Probe.fromCommand(['sh', `${confDir}/ready.sh`], probeTiming(0, 5, 3)),
      resources,
    };

    return {
      system: 'mysql-replication',
      connectionInfo: {
        // any ONLINE member: reads everywhere, writes only on the primary (a secondary refuses them with
        // super_read_only); no Kubernetes object can follow the primary (docs/presets.md, "MySQL: which address a client uses")
        MYSQL_HOST: ConnectionValue.fromValue(context.clientServiceDnsName),
        MYSQL_PORT: ConnectionValue.fromValue(String(MYSQL_PORT)),
        MYSQL_USER: ConnectionValue.fromValue(input.appAccount!.user),
        MYSQL_PASSWORD: ConnectionValue.fromSecretKey(secret, appKey),
        MYSQL_DATABASE: ConnectionValue.fromValue(input.appAccount!.database),
      },
      maxMembers: 9,
      container,
      clientPorts: [MYSQL_PORT, MYSQLX_PORT], // the group communication port is for members only
      dataVolume: {
        name: 'data',
        mountPath: MYSQL_SCRIPT_ENV.dataRoot.default,
        size: o.storageSize ?? Size.gibibytes(10),
        storageClassName: o.storageClassName,
      },
      // readiness needs the group: OrderedReady would never start the member that must bootstrap after a full outage
      podManagementPolicy: kplus.PodManagementPolicy.PARALLEL,
      networkPolicy: o.networkPolicy,
      podSecurityContext: { user: 999, group: 999, fsGroup: 999 },
      terminationGracePeriod: Duration.seconds(60),
      podAnnotations,
      problems,
    };
  }
}

function probeTiming(initialDelay: number, period: number, failureThreshold: number): kplus.CommandProbeOptions {
  return {
    initialDelaySeconds: Duration.seconds(initialDelay),
    periodSeconds: Duration.seconds(period),
    timeoutSeconds: Duration.seconds(5),
    failureThreshold,
  };
}

const ACCOUNT_NAME = /^[A-Za-z0-9_]{1,32}$/;
const DATABASE_NAME = /^[A-Za-z0-9_]{1,64}$/;
const SYSTEM_SCHEMAS = ['mysql', 'sys', 'performance_schema', 'information_schema'];

/** Problems of the application account's names, each with its fix. */
function appAccountProblems(input: MysqlRenderInput): string[] {
  const { user, database } = input.appAccount!;
  const problems: string[] = [];
  if (!ACCOUNT_NAME.test(user)) {
    problems.push(`'appUser' must be 1 to 32 letters, digits or '_', got '${user}'. Omit it to use 'app'`);
  } else if (user === 'root' || user === input.replicationUser) {
    problems.push(`'appUser' must be an account of its own, not '${user}' (root and the replication user have privileges dependants must not get). `
      + 'Choose another name, e.g. \'app\'');
  }
  if (!DATABASE_NAME.test(database)) {
    problems.push(`'appDatabase' must be 1 to 64 letters, digits or '_', got '${database}'. Omit it to use 'app'`);
  } else if (SYSTEM_SCHEMAS.includes(database.toLowerCase())) {
    problems.push(`'appDatabase' must not be the system schema '${database}'. Choose the application's own database, e.g. 'app'`);
  }
  return problems;
}
