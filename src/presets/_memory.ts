/**
 * Pure derivations of each server's memory settings from its container's memory
 * limit, so that the server's own caches fit the limit instead of their defaults
 * (Redis: no `maxmemory`; MySQL: a 1 GiB Group Replication message cache; etcd: a
 * 2 GiB backend quota). Sizes are whole mebibytes. Nothing here is exported from
 * the package index.
 */
import { Size, SizeRoundingBehavior } from 'cdk8s';

/**
 * Whole mebibytes of a size (rounded down); undefined for no size, or for a value that is no `Size`
 * (a preset's `storageSize` is checked by the component's volume rules, which report it).
 */
export function toMebibytes(size?: Size): number | undefined {
  return size instanceof Size ? size.toMebibytes({ rounding: SizeRoundingBehavior.FLOOR }) : undefined;
}

/** The basis of a derivation: the memory limit, else the request (a pod may use up to its limit). */
export function memoryBasisMebibytes(memory?: { readonly limit?: Size; readonly request?: Size }): number | undefined {
  return toMebibytes(memory?.limit) ?? toMebibytes(memory?.request);
}

/** What a derivation gives: the settings, or the reason it cannot fit. */
export interface MemoryPlan<T> {
  readonly settings?: T;
  readonly problem?: string;
}

/**
 * Memory the Redis container needs besides the data set: its Sentinel (~10-20 MiB),
 * the empty server, the supervising shell and replication/client buffers.
 */
export const REDIS_RESERVED_MEBIBYTES = 64;
/** Smallest memory limit the Redis preset accepts. */
export const REDIS_MIN_MEBIBYTES = 256;

/**
 * Redis `maxmemory`: half of what is left after {@link REDIS_RESERVED_MEBIBYTES}.
 * The other half is the room a fork (AOF rewrite, RDB for a replica's full sync)
 * needs when copy-on-write duplicates the pages written meanwhile; in the worst case
 * every page is written, which doubles the data set. 1 GiB gives 480 MiB.
 */
export function redisMemory(limitMebibytes: number): MemoryPlan<{ maxMemoryMebibytes: number }> {
  if (limitMebibytes < REDIS_MIN_MEBIBYTES) {
    return { problem: `a ${limitMebibytes}Mi memory limit leaves Redis no room for its data set, a fork's copy-on-write and the Sentinel. Fix: set resources.memory.limit to at least ${REDIS_MIN_MEBIBYTES}Mi.` };
  }
  return { settings: { maxMemoryMebibytes: Math.floor((limitMebibytes - REDIS_RESERVED_MEBIBYTES) / 2) } };
}

/**
 * Memory mysqld needs besides the buffer pool and the message cache: the Performance
 * Schema, the message cache's own structures (~50 MiB), per-connection buffers and threads.
 */
export const MYSQL_RESERVED_MEBIBYTES = 512;
/** Smallest memory limit the MySQL preset accepts. */
export const MYSQL_MIN_MEBIBYTES = 1024;
/** Smallest `group_replication_message_cache_size` MySQL 8.4 accepts (128 MiB). */
export const GR_MESSAGE_CACHE_MIN_MEBIBYTES = 128;

/**
 * MySQL's `group_replication_message_cache_size` (1/16 of the limit, at least the 128 MiB
 * minimum) and `innodb_buffer_pool_size` (75% of the rest after {@link MYSQL_RESERVED_MEBIBYTES}
 * and the cache, rounded down to a whole multiple of 128 MiB below 1 GiB and of 1 GiB from 1 GiB
 * on, which is what InnoDB itself rounds up to with its default chunk size and 8 instances).
 * 2 GiB gives a 128 MiB cache and a 1 GiB buffer pool; 4 GiB gives 256 MiB and 2 GiB.
 */
export function mysqlMemory(limitMebibytes: number): MemoryPlan<{ bufferPoolMebibytes: number; messageCacheMebibytes: number }> {
  if (limitMebibytes < MYSQL_MIN_MEBIBYTES) {
    return { problem: `a ${limitMebibytes}Mi memory limit is too small for mysqld with Group Replication (its message cache alone needs ${GR_MESSAGE_CACHE_MIN_MEBIBYTES}Mi plus ~50Mi). Fix: set resources.memory.limit to at least ${MYSQL_MIN_MEBIBYTES}Mi.` };
  }
  const messageCache = Math.max(GR_MESSAGE_CACHE_MIN_MEBIBYTES, Math.floor(limitMebibytes / 16));
  const pool = Math.floor((limitMebibytes - MYSQL_RESERVED_MEBIBYTES - messageCache) * 0.75);
  const unit = pool < 1024 ? 128 : 1024;
  return { settings: { bufferPoolMebibytes: Math.max(128, Math.floor(pool / unit) * unit), messageCacheMebibytes: messageCache } };
}

/** etcd's default backend quota (2 GiB). */
export const ETCD_DEFAULT_QUOTA_MEBIBYTES = 2048;

/**
 * etcd `quota-backend-bytes`: its default 2 GiB, but at most half the data volume (compaction,
 * defragmentation and snapshots need as much space again beside the database) and at most the
 * memory limit (the database is memory-mapped: a database larger than the limit is paged in and
 * out of the page cache). 8 GiB storage and a 1 GiB limit give 1 GiB. Without a storage size (one that is
 * no Size, which the component refuses) only the other bounds apply.
 */
export function etcdQuotaMebibytes(storageMebibytes: number | undefined, limitMebibytes?: number): number {
  return Math.max(1, Math.min(ETCD_DEFAULT_QUOTA_MEBIBYTES, Math.floor((storageMebibytes ?? Infinity) / 2), limitMebibytes ?? Infinity));
}
