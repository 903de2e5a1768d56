/**
 * Binding a cluster preset to a component, and the rules the preset's configuration and the
 * component's props must agree on.
 * Nothing here is exported from the package index.
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { collectContainerPorts } from './_container-defaults';
import { ComponentIdentity } from './_identity';
import { clientServiceFqdn, isDnsSubdomain, podFqdns } from './_naming';
import { evenMemberCountProblem } from './_quorum';
import { ProblemList } from './_validation';
import { networkPolicyProblems } from './presets/_network-policy';
import { IClusterPreset, PresetConfig } from './presets/preset-config';

/**
 * Binds `preset` under `scope` (it renders its files there) and records every rule the binding
 * breaks; undefined when there is no preset or it cannot bind (on a stateless type, or an invalid identity).
 */
export function bindPreset(scope: Construct, preset: IClusterPreset | undefined, identity: ComponentIdentity,
  podManagementPolicy: kplus.PodManagementPolicy | undefined, problems: ProblemList): PresetConfig | undefined {
  if (!preset) return undefined;
  if (!identity.isStateful) {
    problems.add('preset', `a cluster preset keeps its own state and needs per-instance storage and stable DNS names, which ${identity.deployType} does not give`,
      'use DeployType.STATEFUL_MULTIPLE (or STATEFUL_SINGLE for a one-member cluster)');
    return undefined;
  }
  if (problems.size > 0) return undefined; // a preset renders from a valid identity only
  const { componentName, namespace, clusterDomain, replicas } = identity;
  const config = preset.bind(scope, {
    componentName,
    namespace,
    clusterDomain,
    replicas,
    podDnsNames: podFqdns(componentName, replicas, namespace, clusterDomain),
    clientServiceDnsName: clientServiceFqdn(componentName, namespace, clusterDomain),
  });
  const even = evenMemberCountProblem(replicas);
  if (even) problems.add('replicas', `${config.system}: ${even}`, `set replicas to an odd number up to ${config.maxMembers}`);
  if (replicas > config.maxMembers) {
    problems.add('replicas', `${config.system} supports at most ${config.maxMembers} members, got ${replicas}`, `set replicas to at most ${config.maxMembers}`);
  }
  if (podManagementPolicy && podManagementPolicy !== config.podManagementPolicy) {
    problems.add('podManagementPolicy', `${config.system} needs ${config.podManagementPolicy} to form its cluster, got ${podManagementPolicy}`,
      'remove podManagementPolicy; the preset sets it');
  }
  const declared = collectContainerPorts([config.container]).map(p => p.number);
  for (const port of config.clientPorts ?? []) {
    if (!declared.includes(port)) {
      problems.add('preset', `${config.system}: client port ${port} is not a port of the server container (${declared.join(', ')})`,
        'list only ports the preset\'s server container declares in clientPorts');
    }
  }
  const clientPorts = config.clientPorts ?? declared;
  const endpointPorts = new Set<number>();
  (config.dependantEndpoints ?? []).forEach((endpoint, index) => {
    const where = `${config.system}: dependantEndpoints[${index}]`;
    if (!clientPorts.includes(endpoint.clientPort)) {
      problems.add('preset', `${where}.clientPort ${endpoint.clientPort} is not a client port (${clientPorts.join(', ')})`,
        'give an endpoint only for a port of the client Service');
    } else if (endpointPorts.has(endpoint.clientPort)) {
      problems.add('preset', `${where}.clientPort ${endpoint.clientPort} has two endpoints`, 'give each client port one endpoint');
    }
    endpointPorts.add(endpoint.clientPort);
    if (typeof endpoint.host !== 'string' || !isDnsSubdomain(endpoint.host)) {
      problems.add('preset', `${where}.host '${endpoint.host}' is not a DNS name`, 'use the FQDN of a Service, e.g. \'<service>.<namespace>.svc.cluster.local\'');
    }
    if (endpoint.port !== undefined && !(Number.isInteger(endpoint.port) && endpoint.port >= 1 && endpoint.port <= 65535)) {
      problems.add('preset', `${where}.port ${endpoint.port} is not a port number`, 'use 1 to 65535, or omit it to keep the client port');
    }
  });
  for (const problem of config.networkPolicy ? networkPolicyProblems(config.networkPolicy) : []) problems.addRaw(`preset ${config.system}`, problem);
  for (const problem of config.problems ?? []) problems.addRaw(`preset ${config.system}`, problem);
  return config;
}
