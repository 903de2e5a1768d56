/**
 * Who may connect to a preset cluster's client ports when the preset renders a NetworkPolicy.
 * Each entry admits the pods that match all of its selectors.
 */
export interface PresetNetworkClient {
  /**
   * Labels of the client pods (all must match).
   * @default - every pod of the selected namespaces
   */
  readonly podLabels?: { [key: string]: string };

  /**
   * Labels of the client pods' namespaces (all must match); `{}` admits every namespace.
   * Kubernetes labels every namespace with `kubernetes.io/metadata.name: <name>`.
   * @default - the component's own namespace
   */
  readonly namespaceLabels?: { [key: string]: string };
}

/**
 * An opt-in NetworkPolicy (networking.k8s.io/v1, Ingress only) for a preset cluster:
 * members reach every port of each other (peer and client ports), the listed client pods
 * reach the client ports only, and nothing else is admitted. Egress is not restricted.
 * The node's own traffic (kubelet probes) is always admitted by Kubernetes.
 */
export interface PresetNetworkPolicy {
  /**
   * Pods admitted to the client ports (the ports of the client Service).
   * @default - none: only members connect
   */
  readonly clients?: PresetNetworkClient[];
}
