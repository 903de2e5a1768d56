/**
 * The Redis Sentinel preset's component `cache` and its primary proxy `cache-primary` as pods of the
 * harness, for the Redis integration tests and the operations benchmark.
 */
import { PodCluster, startPodCluster } from './harness';
import { HAPROXY_IMAGE, REDIS_IMAGE } from '../../src/presets/_image-facts';

/**
 * Starts nothing yet: makes the pods of `manifests` (a component `cache` with the Redis Sentinel preset,
 * password Secret `cache-credentials` holding `password`). The members run under the pinned Redis image's
 * facts, the proxy Deployment's pods, as synthesized, under the pinned haproxy image's (its user 99, only
 * its binaries on PATH: /usr/local/sbin/haproxy runs Debian's /usr/sbin/haproxy).
 */
export function redisPodCluster(manifests: any[], password: string): Promise<PodCluster> {
  return startPodCluster({
    manifests,
    statefulSetName: 'cache',
    secrets: { 'cache-credentials': { password } },
    image: REDIS_IMAGE,
    companions: ['cache-primary'],
    companionImages: { 'cache-primary': { image: HAPROXY_IMAGE, commands: { haproxy: '/usr/sbin/haproxy' } } },
  });
}
