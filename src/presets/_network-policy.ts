/**
 * Pure renderer and checks of a preset's opt-in NetworkPolicy.
 * Nothing here is exported from the package index.
 */
import { Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { describeValue, labelValueProblem, qualifiedNameProblem } from '../_kube-rules';
import { isObject } from '../_shapes';
import { PresetNetworkClient, PresetNetworkPolicy } from './network-policy';

/** A port of the policy. */
export interface PolicyPort {
  readonly port: number;
  readonly protocol: string;
}

/** Inputs of the NetworkPolicy spec. */
export interface NetworkPolicyInput {
  /** The members' selector labels. */
  readonly memberLabels: { [key: string]: string };
  /** Every container port of the members. */
  readonly memberPorts: PolicyPort[];
  /** The client ports (those of the client Service). */
  readonly clientPorts: PolicyPort[];
  readonly policy: PresetNetworkPolicy;
  /** Pods of the components that declared a dependency on the members (see `admitDependant`). */
  readonly dependants?: kplus.k8s.NetworkPolicyPeer[];
}

/** Label every namespace carries (set by the API server since Kubernetes 1.22): its name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A component that depends on a preset cluster: where its pods run and the labels that select them. */
export interface PolicyDependant {
  readonly namespace: string;
  readonly selectorLabels: { [key: string]: string };
}

/** Dependants admitted per depended-on component (the construct its preset was bound under). */
const admittedDependants = new WeakMap<IConstruct, kplus.k8s.NetworkPolicyPeer[]>();

/**
 * The peer that admits the pods of `dependant` to a policy in `policyNamespace`: its selector labels,
 * and for another namespace that namespace by its `kubernetes.io/metadata.name` label.
 */
export function dependantPeer(dependant: PolicyDependant, policyNamespace: string): kplus.k8s.NetworkPolicyPeer {
  return {
    podSelector: { matchLabels: { ...dependant.selectorLabels } },
    namespaceSelector: dependant.namespace === policyNamespace ? undefined : { matchLabels: { [NAMESPACE_NAME_LABEL]: dependant.namespace } },
  };
}

/**
 * Records that `dependant` depends on the component `target`: the NetworkPolicies `target` renders
 * (its own, and a preset's proxy policy) read the list at synthesis, so a dependency declared after
 * the policy object exists is admitted too.
 */
export function admitDependant(target: IConstruct, dependant: PolicyDependant, policyNamespace: string): void {
  const peers = admittedDependants.get(target) ?? [];
  peers.push(dependantPeer(dependant, policyNamespace));
  admittedDependants.set(target, peers);
}

/** The peers of the components that depend on `target`, in the order they were declared. */
export function dependantPeers(target: IConstruct): kplus.k8s.NetworkPolicyPeer[] {
  return [...admittedDependants.get(target) ?? []];
}

/**
 * `ingress` that cdk8s resolves at synthesis: `rules` called then, with the dependants of `target`
 * declared by that time. Typed as the rules, so it fits a typed field (whose serializer then maps the
 * resolved rules like any others).
 */
export function lazyIngress(target: IConstruct,
  rules: (dependants: kplus.k8s.NetworkPolicyPeer[]) => kplus.k8s.NetworkPolicyIngressRule[]): kplus.k8s.NetworkPolicyIngressRule[] {
  return Lazy.any({ produce: () => rules(dependantPeers(target)) });
}

/** Problems of a label key (`[prefix/]name`), or of a value when `isValue` (Kubernetes' rules, `_kube-rules.ts`). */
function labelProblem(text: string, isValue: boolean): string | undefined {
  if (isValue) {
    return labelValueProblem(text) === undefined ? undefined : 'a label value is at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending alphanumeric';
  }
  return qualifiedNameProblem(text) === undefined ? undefined : 'a label key is [DNS subdomain/]name, the name at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending alphanumeric';
}

const CLIENT_EXAMPLE = '{ podLabels: { \'app.kubernetes.io/name\': \'web\' } }';

/** Rule violations of the NetworkPolicy option, each with its fix; empty when valid. Null is an omitted field. */
export function networkPolicyProblems(policy: PresetNetworkPolicy): string[] {
  if (!isObject(policy)) {
    return [`networkPolicy must be an object, got ${describeValue(policy)}. Fix: pass e.g. { clients: [${CLIENT_EXAMPLE}] }, or omit it.`];
  }
  const clients: unknown = policy.clients ?? [];
  if (!Array.isArray(clients)) {
    return [`networkPolicy.clients must be an array, got ${describeValue(clients)}. Fix: pass e.g. clients: [${CLIENT_EXAMPLE}], or omit it.`];
  }
  return clients.flatMap((client: unknown, index) => clientProblems(client, `networkPolicy.clients[${index}]`));
}

/** Rule violations of one entry of `clients`, at `where`. */
function clientProblems(client: unknown, where: string): string[] {
  if (!isObject(client)) {
    return [`${where} must be an object with podLabels, namespaceLabels or both, got ${describeValue(client)}. Fix: pass e.g. ${CLIENT_EXAMPLE}.`];
  }
  const problems: string[] = [];
  if (client.podLabels == null && client.namespaceLabels == null) {
    problems.push(`${where} selects nothing: give podLabels, namespaceLabels or both. `
      + `Fix: e.g. ${CLIENT_EXAMPLE}; podLabels: {} admits every pod of the component's namespace.`);
  }
  for (const field of ['podLabels', 'namespaceLabels'] as const) {
    const labels = client[field] ?? {};
    if (!isObject(labels)) {
      problems.push(`${where}.${field} must be an object of labels, got ${describeValue(labels)}. Fix: pass e.g. { 'app.kubernetes.io/name': 'web' }, or omit it.`);
      continue;
    }
    for (const [key, value] of Object.entries(labels)) {
      const problem = labelProblem(key, false) ?? labelProblem(value as string, true);
      if (problem) problems.push(`${where}.${field} '${key}=${value}' is not a valid label selector: ${problem}. Fix: use a valid label.`);
    }
  }
  return problems;
}

/** The NetworkPolicyPeer of one client entry (a null selector is an omitted one). */
export function clientPeer(client: PresetNetworkClient): kplus.k8s.NetworkPolicyPeer {
  const { podLabels, namespaceLabels } = client;
  return {
    podSelector: podLabels != null ? { matchLabels: { ...podLabels } } : undefined,
    namespaceSelector: namespaceLabels != null ? { matchLabels: { ...namespaceLabels } } : undefined,
  };
}

/** `spec` of the NetworkPolicy (networking.k8s.io/v1), typed so that cdk8s renders every field. */
export function networkPolicySpec(input: NetworkPolicyInput): kplus.k8s.NetworkPolicySpec {
  const ports = (list: PolicyPort[]): kplus.k8s.NetworkPolicyPort[] =>
    list.map(p => ({ port: kplus.k8s.IntOrString.fromNumber(p.port), protocol: p.protocol }));
  const clients = [...(input.policy.clients ?? []).map(clientPeer), ...input.dependants ?? []];
  return {
    podSelector: { matchLabels: { ...input.memberLabels } },
    policyTypes: ['Ingress'],
    ingress: [
      { from: [{ podSelector: { matchLabels: { ...input.memberLabels } } }], ports: ports(input.memberPorts) },
      ...clients.length > 0 && input.clientPorts.length > 0 ? [{ from: clients, ports: ports(input.clientPorts) }] : [],
    ],
  };
}
