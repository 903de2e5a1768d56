/**
 * What the presets' pinned images contain, as far as a pod spec depends on it:
 * the user they run as, who owns their directories, the path of every binary
 * the presets' commands, scripts, probes and hooks call, whether a shell exists,
 * the entrypoint, the directories the server writes besides the data volume and
 * the environment variables it reads.
 *
 * Every fact names its source: the image's published build recipe (Dockerfile)
 * and the build record of the pinned tag in docker-library's repo-info, which
 * lists the index digest and the Dockerfile steps of that exact build. The
 * contract test (test/presets/image-contract.test.ts) holds every preset's
 * rendered pod spec against these facts; the integration harness runs the
 * Debian binaries under them. Nothing here is exported from the package index.
 *
 * Shell utilities are listed by what the base image's packages provide
 * (Debian bookworm and trixie, Ubuntu jammy: the Essential and `required`
 * packages of a minimal base;
 * Oracle Linux 9 slim: what the image's own build steps and entrypoint run).
 */

import { imageReferenceProblem, parseImageReference } from '../_image-reference';

/** A numeric user and group. */
export interface ImageUser {
  readonly uid: number;
  readonly gid: number;
  /** Name in the image's /etc/passwd. */
  readonly name: string;
}

/** A directory the image creates, with its owner and mode. */
export interface ImageDirectory {
  readonly path: string;
  readonly uid: number;
  readonly gid: number;
  /** Octal permission bits, when the build sets them. */
  readonly mode?: number;
}

/** A directory the server (or its tools) writes at run time. */
export interface ServerWrite {
  /** Absolute path inside the container. */
  readonly path: string;
  /** What is written there. */
  readonly what: string;
}

/** Everything a pod spec depends on in one image build. */
export interface ImageFacts {
  /** `repository:tag` as published. */
  readonly image: string;
  /**
   * `sha256:…` of the multi-platform image index of the tag, when it could be
   * verified from public build records; undefined when it could not.
   */
  readonly digest?: string;
  /** Where the digest is recorded (or why none is). */
  readonly digestSource: string;
  /** User the container runs as when the pod spec sets none (the Dockerfile's USER; root without one). */
  readonly defaultUser: ImageUser;
  /** The server's own user, created by the build (the entrypoint steps down to it). */
  readonly serverUser?: ImageUser;
  /** Directories the build creates for the server and who owns them. */
  readonly directories: ImageDirectory[];
  /** Absolute path of the POSIX shell, or undefined when the image has none. */
  readonly shell?: string;
  /** PATH of the image (its ENV), in lookup order. */
  readonly path: string[];
  /** Command name → absolute path of every executable the presets may call. */
  readonly binaries: { readonly [name: string]: string };
  /** ENTRYPOINT of the image (a pod `command` replaces it). */
  readonly entrypoint: string[];
  /** CMD of the image (a pod `command` replaces it too). */
  readonly cmd: string[];
  /** Directories the server writes besides its data volume. */
  readonly serverWrites: ServerWrite[];
  /** ENV the image sets (a pod's own env of the same name wins). */
  readonly env: { readonly [name: string]: string };
  /** Environment variables the server or the image's scripts read. */
  readonly readsEnv: string[];
  /** Sources of these facts. */
  readonly sources: string[];
  /** Facts the preset relies on that no public source available here confirms. */
  readonly unverified: string[];
}

/** The PATH of Debian-based images: /bin and /sbin are symlinks into /usr (merged /usr) on bookworm and jammy. */
const DEBIAN_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Executables under `dir`, by name. */
function under(dir: string, names: string[]): { [name: string]: string } {
  return Object.fromEntries(names.map(n => [n, `${dir}/${n}`]));
}

/**
 * coreutils and the other Essential/required tools of a minimal Debian or
 * Ubuntu base (debian:bookworm-slim, ubuntu:jammy): dash as /bin/sh, bash,
 * coreutils, grep, sed, mawk, findutils, hostname, libc-bin (getent), util-linux.
 * Source: Debian policy §3.8 (Essential) and the `required` priority that
 * debootstrap's minbase variant installs; the slim images are built from it.
 */
const DEBIAN_BASE_TOOLS = under('/usr/bin', [
  'sh', 'bash', 'dash', 'cat', 'cp', 'cut', 'date', 'dirname', 'basename', 'echo', 'env', 'head', 'id', 'kill',
  'ln', 'ls', 'mkdir', 'mktemp', 'mv', 'printf', 'readlink', 'rm', 'sha1sum', 'sha256sum', 'sleep', 'sort', 'tail',
  'tee', 'test', '[', 'timeout', 'touch', 'tr', 'true', 'false', 'uniq', 'wc', 'grep', 'sed', 'awk', 'mawk', 'find',
  'xargs', 'hostname', 'getent', 'chmod', 'chown', 'expr', 'nproc', 'uname', 'stat', 'realpath',
]);

/**
 * etcd v3.5 release image (gcr.io/etcd-development/etcd, also published as
 * quay.io/coreos/etcd): a distroless static base with the three etcd binaries
 * and nothing else. No shell: a probe or hook must be httpGet/tcpSocket or
 * call one of these binaries directly.
 */
export const ETCD_IMAGE: ImageFacts = {
  image: 'gcr.io/etcd-development/etcd:v3.5.17',
  digest: undefined,
  digestSource: 'not verified: docker-library repo-info does not cover gcr.io/quay.io images, and the only public '
    + 'record found (quay.io/coreos/etcd:v3.5.17@sha256:a055da833a7c013b836ed0822e8ec1f99b059658be255ad8d0fcd31b635ae3d6 '
    + 'in a third-party repository) is a single unconfirmed source for a different registry, so the tag is pinned without digest',
  // distroless/static's default user is root (0); the `:nonroot` variant would be 65532. The release Dockerfile sets no USER.
  defaultUser: { uid: 0, gid: 0, name: 'root' },
  serverUser: undefined,
  // WORKDIR creates both, owned by root.
  directories: [
    { path: '/var/etcd', uid: 0, gid: 0 },
    { path: '/var/lib/etcd', uid: 0, gid: 0 },
  ],
  shell: undefined,
  path: DEBIAN_PATH,
  binaries: under('/usr/local/bin', ['etcd', 'etcdctl', 'etcdutl']),
  entrypoint: [],
  cmd: ['/usr/local/bin/etcd'],
  // etcd writes only its data dir (and the WAL under it); logs go to stderr with the zap logger.
  serverWrites: [],
  env: { PATH: DEBIAN_PATH.join(':') },
  readsEnv: ['ETCD_*  (every command-line flag as ETCD_<FLAG>; a flag given twice makes etcd 3.4 exit)'],
  sources: [
    'https://github.com/etcd-io/etcd/blob/release-3.5/Dockerfile-release.amd64 (FROM gcr.io/distroless/static-debian11; ADD etcd etcdctl etcdutl /usr/local/bin/; WORKDIR /var/etcd/ /var/lib/etcd/; CMD ["/usr/local/bin/etcd"])',
    'https://github.com/GoogleContainerTools/distroless/blob/main/base/README.md (static: no shell, no package manager, root by default)',
  ],
  unverified: [
    'the index digest of v3.5.17 (not pinned)',
    'the distroless base of the v3.5.17 build (static-debian11 in the Dockerfile read; later 3.5 builds may use static-debian12, also without a shell)',
  ],
};

/**
 * zookeeper:3.8.4 (Docker Official Image, built from 31z4/zookeeper-docker):
 * eclipse-temurin:17-jre-jammy (Ubuntu 22.04) with bash, the ZooKeeper
 * distribution under /apache-zookeeper-3.8.4-bin (its bin/ on PATH), gosu,
 * netcat and wget. No USER: the entrypoint runs as root and steps down to
 * `zookeeper` (1000) with gosu; a pod `command` skips the entrypoint.
 */
export const ZOOKEEPER_IMAGE: ImageFacts = {
  image: 'zookeeper:3.8.4',
  digest: 'sha256:1aef3c352167da536bdf9d7b8bbacf65cf787becf3e89960ad7912857ba3522d',
  digestSource: 'docker-library repo-info repos/zookeeper/remote/3.8.4.md (index digest, OCI image index, 4 platforms)',
  defaultUser: { uid: 0, gid: 0, name: 'root' },
  serverUser: { uid: 1000, gid: 1000, name: 'zookeeper' },
  directories: [
    { path: '/data', uid: 1000, gid: 1000 },
    { path: '/datalog', uid: 1000, gid: 1000 },
    { path: '/conf', uid: 1000, gid: 1000 },
    { path: '/logs', uid: 1000, gid: 1000 },
    { path: '/apache-zookeeper-3.8.4-bin', uid: 1000, gid: 1000 },
  ],
  shell: '/usr/bin/sh',
  path: ['/opt/java/openjdk/bin', ...DEBIAN_PATH, '/apache-zookeeper-3.8.4-bin/bin'],
  binaries: {
    ...DEBIAN_BASE_TOOLS,
    ...under('/apache-zookeeper-3.8.4-bin/bin', ['zkServer.sh', 'zkCli.sh', 'zkEnv.sh']),
    java: '/opt/java/openjdk/bin/java',
    nc: '/usr/bin/nc',
    wget: '/usr/bin/wget',
    curl: '/usr/bin/curl',
    gosu: '/usr/sbin/gosu',
  },
  entrypoint: ['/docker-entrypoint.sh'],
  cmd: ['zkServer.sh', 'start-foreground'],
  serverWrites: [
    { path: '/tmp', what: 'the JVM\'s hsperfdata_<user> directory' },
    { path: '/logs', what: 'ZOO_LOG_DIR: zkEnv.sh creates it; log files when a file appender is configured' },
  ],
  env: {
    JAVA_HOME: '/opt/java/openjdk',
    PATH: ['/opt/java/openjdk/bin', ...DEBIAN_PATH, '/apache-zookeeper-3.8.4-bin/bin'].join(':'),
    ZOO_CONF_DIR: '/conf',
    ZOO_DATA_DIR: '/data',
    ZOO_DATA_LOG_DIR: '/datalog',
    ZOO_LOG_DIR: '/logs',
    ZOOCFGDIR: '/conf',
  },
  readsEnv: ['ZOO_LOG_DIR', 'ZOOCFGDIR', 'SERVER_JVMFLAGS', 'ZK_SERVER_HEAP', 'JVMFLAGS', 'JAVA_HOME', 'ZOO_* (the entrypoint only, which a pod command skips)'],
  sources: [
    'https://github.com/31z4/zookeeper-docker/blob/master/3.8.4/Dockerfile',
    'https://github.com/docker-library/repo-info/blob/master/repos/zookeeper/remote/3.8.4.md',
    'https://github.com/apache/zookeeper/blob/release-3.8.4/bin/zkEnv.sh (ZOO_LOG_DIR, ZK_SERVER_HEAP, SERVER_JVMFLAGS)',
  ],
  unverified: [],
};

/**
 * redis:7.2.7 (Docker Official Image, debian variant): debian:bookworm-slim
 * with the Redis binaries built into /usr/local/bin (redis-sentinel is a
 * symlink to redis-server), gosu and tzdata. No USER: the entrypoint steps
 * down to `redis` (999); WORKDIR /data.
 */
export const REDIS_IMAGE: ImageFacts = {
  image: 'redis:7.2.7',
  digest: 'sha256:7d7a4911ca915f60827d8355a2218fb89a81f57fadedbf38a830b387a7c24ad3',
  digestSource: 'docker-library repo-info repos/redis/remote/7.2.7.md (index digest, OCI image index, 8 platforms)',
  defaultUser: { uid: 0, gid: 0, name: 'root' },
  serverUser: { uid: 999, gid: 999, name: 'redis' },
  directories: [{ path: '/data', uid: 999, gid: 999 }],
  shell: '/usr/bin/sh',
  path: DEBIAN_PATH,
  binaries: {
    ...DEBIAN_BASE_TOOLS,
    ...under('/usr/local/bin', ['redis-server', 'redis-sentinel', 'redis-cli', 'redis-benchmark', 'redis-check-aof',
      'redis-check-rdb', 'docker-entrypoint.sh', 'gosu']),
  },
  entrypoint: ['docker-entrypoint.sh'],
  cmd: ['redis-server'],
  serverWrites: [
    { path: '<dir of redis.conf>', what: 'redis-server: CONFIG REWRITE and replicaof changes rewrite its config file' },
    { path: '<dir of sentinel.conf>', what: 'redis-sentinel rewrites its config file on every state change and refuses to start when it cannot' },
  ],
  env: { PATH: DEBIAN_PATH.join(':'), REDIS_VERSION: '7.2.7' },
  readsEnv: ['REDISCLI_AUTH (redis-cli)'],
  sources: [
    'https://github.com/docker-library/redis/blob/master/7.2/debian/Dockerfile',
    'https://github.com/docker-library/redis/blob/master/7.2/debian/docker-entrypoint.sh',
    'https://github.com/docker-library/repo-info/blob/master/repos/redis/remote/7.2.7.md',
    'https://redis.io/docs/latest/operate/oss_and_stack/management/sentinel/ (Sentinel rewrites its configuration file)',
  ],
  unverified: [],
};

/**
 * mysql:8.4.3 (Docker Official Image): oraclelinux:9-slim with
 * mysql-community-server-minimal and mysql-shell. No USER: the entrypoint steps
 * down to `mysql` (999). /bin/sh is bash; grep, sed and awk are present (the
 * build and the entrypoint run them), findutils is installed explicitly.
 */
export const MYSQL_IMAGE: ImageFacts = {
  image: 'mysql:8.4.3',
  digest: 'sha256:106d5197fd8e4892980469ad42eb20f7a336bd81509aae4ee175d852f5cc4565',
  digestSource: 'docker-library repo-info repos/mysql/remote/8.4.3.md (index digest, OCI image index, 2 platforms); '
    + 'the same digest is pinned by independent public projects',
  defaultUser: { uid: 0, gid: 0, name: 'root' },
  serverUser: { uid: 999, gid: 999, name: 'mysql' },
  directories: [
    { path: '/var/lib/mysql', uid: 999, gid: 999, mode: 0o1777 },
    { path: '/var/run/mysqld', uid: 999, gid: 999, mode: 0o1777 },
    { path: '/etc/mysql/conf.d', uid: 0, gid: 0 },
    { path: '/docker-entrypoint-initdb.d', uid: 0, gid: 0 },
  ],
  shell: '/usr/bin/sh',
  path: ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'],
  binaries: {
    ...under('/usr/bin', [
      'sh', 'bash', 'cat', 'cp', 'cut', 'date', 'dirname', 'basename', 'echo', 'env', 'head', 'id', 'kill', 'ln', 'ls',
      'mkdir', 'mktemp', 'mv', 'printf', 'readlink', 'rm', 'sleep', 'sort', 'tail', 'tee', 'test', '[', 'timeout',
      'touch', 'tr', 'true', 'false', 'uniq', 'wc', 'grep', 'sed', 'awk', 'find', 'xargs', 'chmod', 'chown',
      'mysql', 'mysqladmin', 'mysqldump', 'mysqlcheck', 'mysql_tzinfo_to_sql', 'my_print_defaults', 'mysqlsh',
      'openssl', 'gzip', 'bzip2', 'xz', 'zstd',
    ]),
    mysqld: '/usr/sbin/mysqld',
    ...under('/usr/local/bin', ['docker-entrypoint.sh', 'gosu']),
  },
  entrypoint: ['docker-entrypoint.sh'],
  cmd: ['mysqld'],
  serverWrites: [
    { path: '<socket dir>', what: 'mysqld: the Unix socket, its .lock file and the X Plugin socket (default /var/run/mysqld)' },
    { path: '<pid_file dir>', what: 'mysqld: its pid file (default in the datadir, the image\'s my.cnf puts the socket in /var/run/mysqld)' },
    { path: '/tmp', what: 'tmpdir: temporary tables and files of ALTER TABLE, sorts and the clone plugin' },
  ],
  env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', MYSQL_MAJOR: '8.4', MYSQL_VERSION: '8.4.3-1.el9' },
  readsEnv: ['MYSQL_ROOT_PASSWORD, MYSQL_DATABASE, MYSQL_USER, MYSQL_PASSWORD, … (the entrypoint only, which a pod command skips)', 'TMPDIR', 'MYSQL_PWD (deprecated, clients)'],
  sources: [
    'https://github.com/docker-library/mysql/blob/master/8.4/Dockerfile.oracle',
    'https://github.com/docker-library/mysql/blob/master/8.4/docker-entrypoint.sh (runs mysqladmin, mysql, mysql_tzinfo_to_sql, awk, sed)',
    'https://github.com/docker-library/repo-info/blob/master/repos/mysql/remote/8.4.3.md',
  ],
  unverified: [
    'group_replication.so and mysql_clone.so in the plugin directory of mysql-community-server-minimal (no public file list of the package was found; Oracle documents the same packages for InnoDB Cluster containers)',
    'the exact set of coreutils programs of oraclelinux:9-slim (coreutils-single; those listed are the ones the image\'s own build and entrypoint run, plus standard coreutils)',
  ],
};

/**
 * haproxy:2.8.26 (Docker Official Image, Debian variant), the Redis Sentinel
 * preset's primary proxy (`<name>-primary`): debian:trixie-slim with
 * ca-certificates and socat, HAProxy built from source and installed by
 * `make install-bin` into /usr/local/sbin. `USER haproxy` (99:99) and
 * `WORKDIR /var/lib/haproxy` (owned by haproxy); /usr/local/etc/haproxy is
 * root's. `STOPSIGNAL SIGUSR1` (soft stop: the listeners close, established
 * sessions may finish until the grace period ends). HAProxy writes a file
 * only when its configuration names one (pidfile, stats socket, log file).
 */
export const HAPROXY_IMAGE: ImageFacts = {
  image: 'haproxy:2.8.26',
  digest: 'sha256:9cfd044670bd5a279b8a32c989add9aaa8c58a2ad1282e609ecc35a067e10a74',
  digestSource: 'docker-library repo-info repos/haproxy/remote/2.8.26.md (index digest, OCI image index, 8 platforms plus their 8 '
    + 'attestation manifests; the amd64 image ID sha256:62d1d4ea… equals that of repos/haproxy/local/2.8.26.md). A later version '
    + 'of the remote record says the tag "does not exist" any more in the library\'s tag list (superseded by 2.8.27): the digest '
    + 'pins the recorded build',
  defaultUser: { uid: 99, gid: 99, name: 'haproxy' },
  serverUser: { uid: 99, gid: 99, name: 'haproxy' },
  directories: [
    { path: '/var/lib/haproxy', uid: 99, gid: 99 },
    { path: '/usr/local/etc/haproxy', uid: 0, gid: 0 },
  ],
  shell: '/usr/bin/sh',
  path: DEBIAN_PATH,
  binaries: {
    ...DEBIAN_BASE_TOOLS,
    'haproxy': '/usr/local/sbin/haproxy',
    'docker-entrypoint.sh': '/usr/local/bin/docker-entrypoint.sh',
    'socat': '/usr/bin/socat',
    'openssl': '/usr/bin/openssl',
  },
  entrypoint: ['docker-entrypoint.sh'],
  cmd: ['haproxy', '-f', '/usr/local/etc/haproxy/haproxy.cfg'],
  serverWrites: [
    { path: '<pidfile dir>', what: 'haproxy: its pid file, only when the configuration sets `pidfile` (or -p is given)' },
    { path: '<stats socket dir>', what: 'haproxy: a UNIX stats socket, only when the configuration binds one' },
  ],
  env: {
    PATH: DEBIAN_PATH.join(':'),
    HAPROXY_VERSION: '2.8.26',
    HAPROXY_URL: 'https://www.haproxy.org/download/2.8/src/haproxy-2.8.26.tar.gz',
    HAPROXY_SHA256: '88c28dae25ea46672e66f8db0dadd1fb5920e06ee2415ceb9f281c256b537727',
  },
  readsEnv: ['"${NAME}" in double-quoted strings of its configuration file (haproxy expands environment variables there)'],
  sources: [
    'https://github.com/docker-library/haproxy/blob/master/2.8/Dockerfile (FROM debian:trixie-slim; ca-certificates socat; groupadd/useradd --uid 99 haproxy; make install-bin; STOPSIGNAL SIGUSR1; USER haproxy; WORKDIR /var/lib/haproxy)',
    'https://github.com/docker-library/haproxy/blob/master/2.8/docker-entrypoint.sh (adds -W -db when the command is haproxy; a pod command skips it)',
    'https://github.com/docker-library/repo-info/blob/master/repos/haproxy/remote/2.8.26.md (the build steps of the pinned digest)',
    'https://github.com/docker-library/repo-info/blob/master/repos/haproxy/local/2.8.26.md (dpkg packages of the build: dash, bash, coreutils, grep, sed, mawk, findutils, hostname, libc-bin, util-linux, socat, openssl)',
  ],
  unverified: [],
};

/** Facts of every preset's pinned image, by preset system name. */
export const PRESET_IMAGES: { readonly [system: string]: ImageFacts } = {
  'etcd': ETCD_IMAGE,
  'zookeeper': ZOOKEEPER_IMAGE,
  'redis-sentinel': REDIS_IMAGE,
  'mysql-replication': MYSQL_IMAGE,
};

/** The reference a pod pulls: `repository:tag@sha256:…` when the digest is verified, else `repository:tag`. */
export function pinnedReference(facts: ImageFacts): string {
  return facts.digest ? `${facts.image}@${facts.digest}` : facts.image;
}

/**
 * Resolves a command the way the kernel and the shell do in the image: an
 * absolute path must exist as an executable; a bare name is looked up in the
 * image's binaries (which are on its PATH). Returns the absolute path, or
 * undefined when the image has no such executable.
 */
export function resolveImageCommand(facts: ImageFacts, command: string): string | undefined {
  if (command.startsWith('/')) {
    const known = Object.values(facts.binaries).includes(command) || aliasOf(facts, command) || facts.entrypoint[0] === command;
    return known ? command : undefined;
  }
  if (command.includes('/')) return undefined;
  return facts.binaries[command];
}

/** True when `path` names a listed binary through the merged-/usr symlinks (/bin → /usr/bin, /sbin → /usr/sbin). */
function aliasOf(facts: ImageFacts, path: string): boolean {
  const merged = path.replace(/^\/bin\//, '/usr/bin/').replace(/^\/sbin\//, '/usr/sbin/');
  return merged !== path && Object.values(facts.binaries).includes(merged);
}

/** The oldest server version a preset's configuration works with, and why. */
export interface ImageMinimum {
  /** Last path segment of the image repository, e.g. `mysql` for `registry.example/mysql`. */
  readonly repository: string;
  /** Oldest version: [major, minor, patch]. */
  readonly version: [number, number, number];
  /** What the preset relies on that older versions lack. */
  readonly why: string;
}

/** Oldest versions each preset's rendered configuration needs. */
export const IMAGE_MINIMUMS: { readonly [system: string]: ImageMinimum } = {
  'etcd': { repository: 'etcd', version: [3, 4, 0], why: 'the ETCD_LOGGER=zap and ETCD_PRE_VOTE settings' },
  'zookeeper': { repository: 'zookeeper', version: [3, 5, 3], why: 'server.N lines with ";<client port>" and 4lw.commands.whitelist' },
  'redis-sentinel': { repository: 'redis', version: [6, 2, 0], why: 'Sentinel\'s resolve-hostnames and announce-hostnames' },
  'mysql-replication': { repository: 'mysql', version: [8, 0, 27], why: 'log_replica_updates, CHANGE REPLICATION SOURCE TO and the GROUP_REPLICATION_STREAM privilege' },
};

/**
 * Problems of an `image` override (`label` writes the option's name as the preset does) that no pod can
 * pull, or that is recognizably too old: the same repository name with a version tag below the preset's
 * minimum. Other images (own builds, other tags) are not judged: they must meet the documented contract.
 */
export function imageOverrideProblems(image: string | undefined, minimum: ImageMinimum, label = 'image'): string[] {
  if (image === undefined) return [];
  const referenceProblems = imageOptionProblems(label, image);
  if (referenceProblems.length > 0) return referenceProblems;
  const { name, tag } = parseImageReference(image);
  if (tag === undefined) return [];
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(tag);
  if (name !== minimum.repository || !m) return [];
  const found = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  const older = found[0] !== minimum.version[0] ? found[0] < minimum.version[0]
    : found[1] !== minimum.version[1] ? found[1] < minimum.version[1] : found[2] < minimum.version[2];
  if (!older) return [];
  return [`image '${image}' is ${name} ${found.join('.')}, older than ${minimum.version.join('.')}, which the preset's configuration needs (${minimum.why}). `
    + `Fix: use ${name} ${minimum.version.join('.')} or later, or omit image to use the pinned one.`];
}

/** Problems of an image given as the option `label` (as the preset writes option names) that no pod can pull. */
export function imageOptionProblems(label: string, image: string | undefined): string[] {
  const problem = image === undefined ? undefined : imageReferenceProblem(image);
  return problem ? [`${label} ${problem}. Fix: give an image reference such as 'registry.example.com/name:1.2.3', or omit ${label} to use the pinned one.`] : [];
}
