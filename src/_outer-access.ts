/**
 * Outer access of a component's ports: validation, Ingress and NodePort/LoadBalancer Services.
 * Nothing here is exported from the package index.
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { servicePortName } from './_container-defaults';
import { checkAnnotations, cidrProblem, describeValue, ingressHostProblem, ingressPathProblem, subdomainNameProblem } from './_kube-rules';
import { MAX_DNS_LABEL_LENGTH } from './_naming';
import { ExclusiveClaims } from './_unique-names';
import { checkEnumValue, ProblemList } from './_validation';
import { LabelSelectedService } from './_workloads';
import { IngressPathType, OuterAccess, OuterAccessKind } from './outer-access';
import { ComponentPortSettings } from './port';

/** NodePort range of a default API server (--service-node-port-range). */
const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;

/** Name of the Service that opens `port` to the outside. */
export function outerServiceName(componentName: string, port: number): string {
  return `${componentName}-outer-${port}`;
}

/** Name of the Ingress of `port`. */
export function ingressName(componentName: string, port: number): string {
  return `${componentName}-${port}`;
}

/**
 * Records every rule the outer access of `settings` breaks. `clientPorts`: the ports a preset publishes to
 * clients, when it publishes fewer than it declares; only they can be opened to the outside.
 */
export function checkOuterAccess(settings: ComponentPortSettings[], ports: kplus.ContainerPort[], componentName: string,
  clientPorts: readonly number[] | undefined, problems: ProblemList): void {
  const routes = new Map<string, number>();
  const nodePorts = new Map<number, number>();
  settings.forEach((setting, index) => {
    const access = setting.outerAccess;
    const where = `portSettings[${index}].outerAccess`;
    const declared = ports.filter(p => p.number === setting.port);
    if (access === undefined || declared.length === 0) return; // an undeclared port is reported with the aliases
    if (!(access instanceof OuterAccess)) {
      problems.add(where, 'is not an OuterAccess', 'use OuterAccess.ingress(...), OuterAccess.nodePort() or OuterAccess.loadBalancer()');
      return;
    }
    if (clientPorts !== undefined && !clientPorts.includes(setting.port)) {
      problems.add(where, `port ${setting.port} is not a client port of the preset (${clientPorts.join(', ')}): the preset keeps it for its members, `
        + 'and the client Service the outer access routes through does not publish it', `open a client port (${clientPorts.join(', ')}) instead, or remove outerAccess`);
      return;
    }
    if (access.kind === OuterAccessKind.INGRESS) {
      const o = access.ingressOptions;
      if (typeof o !== 'object' || o === null) {
        problems.add(where, `the Ingress options are ${describeValue(o)}`, 'pass OuterAccess.ingress({ host: \'shop.example.com\' })');
        return;
      }
      const nonTcp = declared.find(p => (p.protocol ?? kplus.Protocol.TCP) !== kplus.Protocol.TCP);
      if (nonTcp) {
        problems.add(where, `port ${setting.port} is ${nonTcp.protocol}; an Ingress carries HTTP, which runs over TCP only`,
          'use OuterAccess.nodePort() or OuterAccess.loadBalancer() for this port');
      }
      const hostProblem = ingressHostProblem(o.host);
      if (hostProblem) problems.add(`${where}.host`, hostProblem, 'use a DNS name, e.g. \'shop.example.com\'');
      const path = o.path ?? '/';
      const pathProblem = ingressPathProblem(path, o.pathType === IngressPathType.IMPLEMENTATION_SPECIFIC);
      if (pathProblem) problems.add(`${where}.path`, pathProblem, 'use a normalized absolute path such as \'/api\'');
      if (o.ingressClassName !== undefined) {
        const classProblem = subdomainNameProblem(o.ingressClassName);
        if (classProblem) problems.add(`${where}.ingressClassName`, `${classProblem}, as an IngressClass name must be`, 'use the name of an IngressClass of the cluster (kubectl get ingressclass)');
      }
      checkAnnotations(`${where}.annotations`, o.annotations ?? {}, problems);
      checkEnumValue(`${where}.pathType`, o.pathType, IngressPathType, 'IngressPathType', 'an Ingress path type', problems);
      const tlsProblem = o.tlsSecretName === undefined ? undefined : subdomainNameProblem(o.tlsSecretName);
      if (tlsProblem) problems.add(`${where}.tlsSecretName`, `${tlsProblem}, as a Secret name must be`, 'use a lowercase DNS name');
      const route = `${o.host}${path}`;
      const other = routes.get(route);
      if (other !== undefined) {
        problems.add(where, `ports ${other} and ${setting.port} both claim ${route}; the Ingress controller would route it to only one`, 'give each port its own host or path');
      }
      routes.set(route, setting.port);
      return;
    }
    const serviceName = outerServiceName(componentName, setting.port);
    if (serviceName.length > MAX_DNS_LABEL_LENGTH) {
      problems.add(where, `the outer Service name '${serviceName}' has ${serviceName.length} characters, more than ${MAX_DNS_LABEL_LENGTH}`, 'shorten componentName');
    }
    const nodePort = access.nodePortOptions?.nodePort;
    if (nodePort !== undefined) {
      if (!Number.isInteger(nodePort) || nodePort < NODE_PORT_MIN || nodePort > NODE_PORT_MAX) {
        problems.add(`${where}.nodePort`, `${nodePort} is outside the cluster's NodePort range ${NODE_PORT_MIN}-${NODE_PORT_MAX}`,
          `use a port from ${NODE_PORT_MIN} to ${NODE_PORT_MAX}, or omit it to let the cluster allocate one`);
      } else if (nodePorts.has(nodePort)) {
        problems.add(`${where}.nodePort`, `node port ${nodePort} is also given for port ${nodePorts.get(nodePort)}`, 'give every port its own node port');
      }
      nodePorts.set(nodePort, setting.port);
    }
    checkAnnotations(`${where}.annotations`, access.loadBalancerOptions?.annotations ?? {}, problems);
    const ranges: unknown = access.loadBalancerOptions?.sourceRanges ?? [];
    if (!Array.isArray(ranges)) {
      problems.add(`${where}.sourceRanges`, `must be an array of CIDR ranges, got ${describeValue(ranges)}`, 'pass sourceRanges: [\'203.0.113.0/24\']');
      return;
    }
    for (const range of ranges) {
      const problem = cidrProblem(range);
      if (problem) problems.add(`${where}.sourceRanges`, problem, 'use a range such as \'203.0.113.0/24\' or \'2001:db8::/32\'');
    }
  });
}

/** What rendering the outer access needs from the component. */
export interface OuterAccessTarget {
  readonly componentName: string;
  readonly namespace: string;
  readonly clientServiceName: string;
  readonly selectorLabels: { [key: string]: string };
  readonly ports: kplus.ContainerPort[];
}

/** The Ingresses and outer Services of the ports with outer access, under `scope`. */
export function renderOuterAccess(scope: Construct, target: OuterAccessTarget, settings: ComponentPortSettings[]): void {
  for (const setting of settings) {
    const access = setting.outerAccess;
    if (!access) continue;
    if (access.kind === OuterAccessKind.INGRESS) {
      const o = access.ingressOptions!;
      new kplus.k8s.KubeIngress(scope, `Ingress-${setting.port}`, {
        metadata: {
          name: ingressName(target.componentName, setting.port),
          namespace: target.namespace,
          annotations: o.annotations && { ...o.annotations },
        },
        spec: {
          ingressClassName: o.ingressClassName,
          rules: [{
            host: o.host,
            http: {
              paths: [{
                path: o.path ?? '/',
                pathType: o.pathType ?? IngressPathType.PREFIX,
                backend: { service: { name: target.clientServiceName, port: { number: setting.port } } },
              }],
            },
          }],
          tls: o.tlsSecretName ? [{ hosts: [o.host], secretName: o.tlsSecretName }] : undefined,
        },
      });
      continue;
    }
    const service = new LabelSelectedService(scope, `OuterService-${setting.port}`, {
      metadata: {
        name: outerServiceName(target.componentName, setting.port),
        namespace: target.namespace,
        annotations: access.loadBalancerOptions?.annotations && { ...access.loadBalancerOptions.annotations },
      },
      type: access.kind === OuterAccessKind.NODE_PORT ? kplus.ServiceType.NODE_PORT : kplus.ServiceType.LOAD_BALANCER,
      loadBalancerSourceRanges: access.loadBalancerOptions?.sourceRanges,
      ports: target.ports.filter(p => p.number === setting.port).map(p => ({
        name: servicePortName(p),
        port: p.number,
        targetPort: p.number,
        protocol: p.protocol,
        nodePort: access.nodePortOptions?.nodePort,
      })),
    });
    for (const [key, value] of Object.entries(target.selectorLabels)) service.selectLabel(key, value);
  }
}

/** The node ports and Ingress routes (`host/path`, with the class when one is given) the settings claim cluster-wide. */
export function outerAccessClaims(settings: ComponentPortSettings[]): ExclusiveClaims {
  const nodePorts: number[] = [];
  const ingressRoutes: string[] = [];
  for (const setting of settings) {
    const access = setting.outerAccess;
    if (!(access instanceof OuterAccess)) continue;
    if (access.nodePortOptions?.nodePort !== undefined) nodePorts.push(access.nodePortOptions.nodePort);
    const o = access.ingressOptions;
    if (o) ingressRoutes.push(`${o.host}${o.path ?? '/'}${o.ingressClassName ? ` (class ${o.ingressClassName})` : ''}`);
  }
  return { nodePorts, ingressRoutes };
}
