import { EtcdPreset, EtcdPresetOptions } from './etcd';
import { MysqlReplicationPreset, MysqlReplicationPresetOptions } from './mysql-replication';
import { IClusterPreset } from './preset-config';
import { RedisSentinelPreset, RedisSentinelPresetOptions } from './redis-sentinel';
import { ZookeeperPreset, ZookeeperPresetOptions } from './zookeeper';

/**
 * Factories for the built-in clustered presets. Pass the result as
 * `preset` of a stateful `RainbondComponent`.
 */
export class ClusterPreset {
  /** An etcd (Raft) cluster. */
  public static etcd(options: EtcdPresetOptions = {}): IClusterPreset {
    return new EtcdPreset(options);
  }

  /**
   * A MySQL Group Replication (single-primary) cluster.
   * Reads its passwords from a Secret you create first (default `<componentName>-credentials`,
   * keys `root-password`, `replication-password` and `app-password`; see `MysqlReplicationPreset`).
   * Dependants get the application account (`app`), never `root`.
   */
  public static mysqlReplication(options: MysqlReplicationPresetOptions = {}): IClusterPreset {
    return new MysqlReplicationPreset(options);
  }

  /** A ZooKeeper (Zab) ensemble. */
  public static zookeeper(options: ZookeeperPresetOptions = {}): IClusterPreset {
    return new ZookeeperPreset(options);
  }

  /**
   * A Redis primary with replicas, failed over by a Sentinel on every member.
   * Reads its password from a Secret you create first (default `<componentName>-credentials`,
   * key `password`; see `RedisSentinelPreset`).
   */
  public static redisSentinel(options: RedisSentinelPresetOptions = {}): IClusterPreset {
    return new RedisSentinelPreset(options);
  }

  private constructor() {}
}
