/** How an Ingress path matches request paths (networking.k8s.io/v1 `pathType`). */
export enum IngressPathType {
  /** Matches the path and everything below it, by path segment. */
  PREFIX = 'Prefix',
  /** Matches the path exactly. */
  EXACT = 'Exact',
  /** Left to the Ingress controller. */
  IMPLEMENTATION_SPECIFIC = 'ImplementationSpecific',
}

/** Options of `OuterAccess.ingress`. */
export interface IngressAccessOptions {
  /** Host name the Ingress serves, e.g. `shop.example.com` (a leading `*.` wildcard is allowed). */
  readonly host: string;

  /**
   * Path the Ingress routes to the port.
   * @default '/'
   */
  readonly path?: string;

  /**
   * How the path matches.
   * @default IngressPathType.PREFIX
   */
  readonly pathType?: IngressPathType;

  /**
   * IngressClass that serves the Ingress.
   * @default - the cluster's default IngressClass
   */
  readonly ingressClassName?: string;

  /**
   * Secret (type kubernetes.io/tls, in the component's namespace) with the certificate for `host`.
   * @default - plain HTTP
   */
  readonly tlsSecretName?: string;

  /**
   * Annotations of the Ingress (controller settings).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** Options of `OuterAccess.nodePort`. */
export interface NodePortAccessOptions {
  /**
   * Port opened on every node (30000-32767 in a default cluster).
   * @default - allocated by the cluster
   */
  readonly nodePort?: number;
}

/** Options of `OuterAccess.loadBalancer`. */
export interface LoadBalancerAccessOptions {
  /**
   * Annotations of the Service (cloud load balancer settings).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * Client address ranges (CIDR) the load balancer admits.
   * @default - every address
   */
  readonly sourceRanges?: string[];
}

/** Kind of outer access. */
export enum OuterAccessKind {
  /** An Ingress (networking.k8s.io/v1) routing a host and path to the port (HTTP). */
  INGRESS = 'Ingress',
  /** A Service of type NodePort (TCP/UDP). */
  NODE_PORT = 'NodePort',
  /** A Service of type LoadBalancer (TCP/UDP). */
  LOAD_BALANCER = 'LoadBalancer',
}

/**
 * Access to a port from outside the cluster (Rainbond's 对外服务): an Ingress for an HTTP port,
 * or a NodePort or LoadBalancer Service `<component>-outer-<port>` for a TCP or UDP port.
 */
export class OuterAccess {
  /** An Ingress routing `host` and `path` to the port (an HTTP port). */
  public static ingress(options: IngressAccessOptions): OuterAccess {
    return new OuterAccess(OuterAccessKind.INGRESS, options, undefined, undefined);
  }

  /** A NodePort Service for the port. */
  public static nodePort(options: NodePortAccessOptions = {}): OuterAccess {
    return new OuterAccess(OuterAccessKind.NODE_PORT, undefined, options, undefined);
  }

  /** A LoadBalancer Service for the port. */
  public static loadBalancer(options: LoadBalancerAccessOptions = {}): OuterAccess {
    return new OuterAccess(OuterAccessKind.LOAD_BALANCER, undefined, undefined, options);
  }

  /** Kind of access. */
  public readonly kind: OuterAccessKind;
  /** Ingress options (INGRESS only). */
  public readonly ingressOptions?: IngressAccessOptions;
  /** NodePort options (NODE_PORT only). */
  public readonly nodePortOptions?: NodePortAccessOptions;
  /** LoadBalancer options (LOAD_BALANCER only). */
  public readonly loadBalancerOptions?: LoadBalancerAccessOptions;

  private constructor(kind: OuterAccessKind, ingress?: IngressAccessOptions,
    nodePort?: NodePortAccessOptions, loadBalancer?: LoadBalancerAccessOptions) {
    this.kind = kind;
    this.ingressOptions = ingress;
    this.nodePortOptions = nodePort;
    this.loadBalancerOptions = loadBalancer;
  }
}
