import { OuterAccess } from './outer-access';

/**
 * Rainbond settings of one port the component's containers declare.
 */
export interface ComponentPortSettings {
  /** Number of the container port these settings are for. */
  readonly port: number;

  /**
   * Port alias (Rainbond's 端口别名): the prefix of the `<ALIAS>_HOST`, `<ALIAS>_PORT`
   * (and, for stateful components, `<ALIAS>_HOSTS`) variables that dependants get.
   * Uppercase letters, digits and '_', starting with a letter.
   * @default - the component name in uppercase with '-' as '_', followed by the port number, e.g. `ORDERS_DB5432`
   */
  readonly alias?: string;

  /**
   * Open the port to the outside of the cluster: `OuterAccess.ingress(...)` for an HTTP port,
   * `OuterAccess.nodePort()` or `OuterAccess.loadBalancer()` for a TCP or UDP port.
   * @default - reachable inside the cluster only (through the client Service)
   */
  readonly outerAccess?: OuterAccess;
}
