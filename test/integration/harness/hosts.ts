/**
 * The per-pod /etc/hosts (bind-mounted by `ip netns exec` from
 * /etc/netns/<netns>/hosts) and resolv.conf. Pure.
 */

/** One StatefulSet pod as DNS knows it. */
export interface PodHostEntry {
  readonly podName: string;
  readonly ip: string;
}

/** Names under which a StatefulSet pod resolves, longest first. */
export function podDnsNames(podName: string, serviceName: string, namespace: string, clusterDomain: string): string[] {
  return [
    `${podName}.${serviceName}.${namespace}.svc.${clusterDomain}`,
    `${podName}.${serviceName}.${namespace}.svc`,
    `${podName}.${serviceName}.${namespace}`,
    `${podName}.${serviceName}`,
  ];
}

/**
 * The hosts file of pod `self`: localhost lines, its own IP with its DNS names
 * and short hostname (as the kubelet writes it), and the peers cluster DNS
 * currently publishes.
 */
export function hostsFile(self: PodHostEntry, peers: PodHostEntry[], serviceName: string, namespace: string, clusterDomain: string): string {
  const lines = [
    '# Written by the cdk8s-rainbond integration harness (like the kubelet-managed hosts file + cluster DNS).',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    `${self.ip}\t${[...podDnsNames(self.podName, serviceName, namespace, clusterDomain), self.podName].join(' ')}`,
  ];
  for (const p of peers) {
    if (p.podName === self.podName) continue;
    lines.push(`${p.ip}\t${podDnsNames(p.podName, serviceName, namespace, clusterDomain).join(' ')}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * A resolv.conf that keeps lookups of names outside the hosts file local and
 * fast (nothing listens on the pod's loopback port 53).
 */
export function resolvConf(namespace: string, clusterDomain: string): string {
  return [
    `search ${namespace}.svc.${clusterDomain} svc.${clusterDomain} ${clusterDomain}`,
    'nameserver 127.0.0.1',
    'options ndots:5 timeout:1 attempts:1',
  ].join('\n') + '\n';
}
