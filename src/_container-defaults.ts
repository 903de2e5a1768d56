/**
 * Secure, reliable defaults applied to every container of a component.
 * Nothing here is exported from the package index.
 */
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

/** Numeric user and group the pods run as by default (restricted profile needs a numeric non-root UID). */
export const DEFAULT_USER_ID = 1000;

/** Container security context of the Pod Security Standards "restricted" profile. */
export const RESTRICTED_CONTAINER_SECURITY: kplus.ContainerSecurityContextProps = {
  ensureNonRoot: true,
  privileged: false,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: [kplus.Capability.ALL] },
  seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
};

/** Requests and limits given to a container that sets none. */
export const DEFAULT_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(1000) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
};

/** What the component adds to every container. */
export interface ContainerAdditions {
  readonly defaultName: string;
  readonly env: { [name: string]: kplus.EnvValue };
  readonly volumeMounts: kplus.VolumeMount[];
}

/**
 * Returns the container props with the component's defaults filled in:
 * a name, the restricted security context (user fields win), default resources,
 * the discovery environment (user variables of the same name win) and the component's volume mounts.
 */
export function withContainerDefaults(props: kplus.ContainerProps, additions: ContainerAdditions): kplus.ContainerProps {
  return {
    ...props,
    name: props.name ?? additions.defaultName,
    securityContext: { ...RESTRICTED_CONTAINER_SECURITY, ...props.securityContext },
    resources: props.resources ?? DEFAULT_RESOURCES,
    envVariables: { ...additions.env, ...props.envVariables },
    volumeMounts: [...props.volumeMounts ?? [], ...additions.volumeMounts],
  };
}

/** Ports of all containers, in order, de-duplicated by number and protocol. */
export function collectContainerPorts(containers: kplus.ContainerProps[]): kplus.ContainerPort[] {
  const seen = new Set<string>();
  const ports: kplus.ContainerPort[] = [];
  for (const container of containers) {
    const declared = [...container.ports ?? []];
    if (container.portNumber !== undefined) declared.unshift({ number: container.portNumber });
    for (const port of declared) {
      const key = `${port.number}/${port.protocol ?? kplus.Protocol.TCP}`;
      if (seen.has(key)) continue;
      seen.add(key);
      ports.push(port);
    }
  }
  return ports;
}

/** Service port name for a container port: its own name, else `<protocol>-<number>` as Rainbond names them. */
export function servicePortName(port: kplus.ContainerPort): string {
  return port.name ?? `${(port.protocol ?? kplus.Protocol.TCP).toLowerCase()}-${port.number}`;
}
