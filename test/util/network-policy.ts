/**
 * Evaluates a rendered NetworkPolicy (networking.k8s.io/v1, Ingress) for one connection,
 * following the API's documented semantics: the policy applies to pods its podSelector
 * matches; a connection is admitted when some ingress rule matches both the source
 * (any of `from`; a peer without namespaceSelector means the policy's namespace) and the
 * port (any of `ports`; no ports = every port). Only matchLabels selectors are supported.
 */

/** The source of a connection. */
export interface Source {
  readonly namespace: string;
  readonly namespaceLabels?: Record<string, string>;
  readonly podLabels: Record<string, string>;
}

function matches(selector: any, labels: Record<string, string>): boolean {
  if (selector.matchExpressions?.length) throw new Error('matchExpressions are not supported by this evaluator');
  return Object.entries<string>(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

/** True when `policy` admits a TCP connection from `source` to `port` of a pod with `targetLabels`. */
export function admits(policy: any, targetLabels: Record<string, string>, source: Source, port: number): boolean {
  if (!matches(policy.spec.podSelector, targetLabels)) return true; // not selected: not isolated by this policy
  const nsLabels = { 'kubernetes.io/metadata.name': source.namespace, ...source.namespaceLabels };
  return (policy.spec.ingress ?? []).some((rule: any) => {
    const fromOk = rule.from === undefined || rule.from.some((peer: any) => {
      const nsOk = peer.namespaceSelector ? matches(peer.namespaceSelector, nsLabels) : source.namespace === policy.metadata.namespace;
      const podOk = peer.podSelector ? matches(peer.podSelector, source.podLabels) : true;
      return nsOk && podOk;
    });
    const portOk = rule.ports === undefined || rule.ports.some((p: any) => p.port === port && (p.protocol ?? 'TCP') === 'TCP');
    return fromOk && portOk;
  });
}
