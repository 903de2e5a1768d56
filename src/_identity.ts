/**
 * A component's identity: deploy type, name, namespace, cluster domain and instance count, with
 * the defaults applied, and the rules they must follow. Pure.
 * Nothing here is exported from the package index.
 */
import { DEPLOY_TYPES, isSingleDeployType, isStatefulDeployType, MAX_REPLICAS } from './_deploy-type-traits';
import {
  isDns1035Label, isDns1123Label, isDnsSubdomain, MAX_DNS_LABEL_LENGTH, MAX_STATEFULSET_NAME_LENGTH, nameFromConstructId,
} from './_naming';
import { ProblemList } from './_validation';
import { DeployType } from './deploy-type';

/** Members of a preset cluster on STATEFUL_MULTIPLE when `replicas` is not given. */
const DEFAULT_PRESET_MEMBERS = 3;
/** Cluster DNS domain when none is given (the kubelet's default). */
const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';

/** The identity props of a component, as given. */
export interface IdentityProps {
  readonly deployType: DeployType;
  readonly replicas?: number;
  readonly componentName?: string;
  readonly namespace?: string;
  readonly clusterDomain?: string;
}

/** A component's identity with its defaults applied. */
export interface ComponentIdentity {
  readonly deployType: DeployType;
  readonly isStateful: boolean;
  readonly componentName: string;
  readonly namespace: string;
  /** False when the namespace is only the 'default' fallback (neither the component nor its chart sets one). */
  readonly namespaceExplicit: boolean;
  readonly clusterDomain: string;
  readonly replicas: number;
}

/**
 * The identity of the component with construct id `id` in a chart of namespace `chartNamespace`;
 * `hasPreset` changes the default member count.
 */
export function resolveIdentity(props: IdentityProps, hasPreset: boolean, id: string, chartNamespace: string | undefined): ComponentIdentity {
  const namespace = props.namespace ?? chartNamespace;
  const defaultReplicas = hasPreset && props.deployType === DeployType.STATEFUL_MULTIPLE ? DEFAULT_PRESET_MEMBERS : 1;
  return {
    deployType: props.deployType,
    isStateful: isStatefulDeployType(props.deployType),
    componentName: props.componentName ?? nameFromConstructId(id),
    namespace: namespace ?? 'default',
    namespaceExplicit: namespace !== undefined,
    clusterDomain: props.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN,
    replicas: props.replicas ?? defaultReplicas,
  };
}

/** How errors name the component: `RainbondComponent '<name>' (<path>, deploy type <type>)`. */
export function describeComponent(identity: ComponentIdentity, constructPath: string): string {
  return `RainbondComponent '${identity.componentName}' (${constructPath}, deploy type ${identity.deployType})`;
}

/** Records every rule the identity breaks. */
export function checkIdentity(identity: ComponentIdentity, problems: ProblemList): void {
  const { deployType, componentName, namespace, clusterDomain, replicas } = identity;
  if (!DEPLOY_TYPES.includes(deployType)) {
    problems.add('deployType', `'${deployType}' is not a Rainbond deploy type`,
      `use one of ${DEPLOY_TYPES.join(', ')} (DeployType enum)`);
  }
  if (!isDns1035Label(componentName)) {
    problems.add('componentName', `'${componentName}' is not a valid Service name (DNS-1035 label: lowercase letters, digits and '-', starting with a letter, ending alphanumeric, at most ${MAX_DNS_LABEL_LENGTH} characters)`,
      'set componentName to such a name, e.g. \'my-db\'');
  } else if (identity.isStateful && componentName.length > MAX_STATEFULSET_NAME_LENGTH) {
    problems.add('componentName', `'${componentName}' has ${componentName.length} characters; a StatefulSet name longer than ${MAX_STATEFULSET_NAME_LENGTH} makes the pods' controller-revision-hash label exceed 63 characters, so no pod is ever created`,
      `shorten componentName to ${MAX_STATEFULSET_NAME_LENGTH} characters or fewer`);
  }
  if (!isDns1123Label(namespace)) {
    problems.add('namespace', `'${namespace}' is not a valid namespace (DNS-1123 label)`, 'use lowercase letters, digits and \'-\', at most 63 characters');
  }
  if (!isDnsSubdomain(clusterDomain)) {
    problems.add('clusterDomain', `'${clusterDomain}' is not a DNS domain`, 'use the kubelet\'s --cluster-domain, e.g. \'cluster.local\'');
  }
  if (typeof replicas !== 'number') {
    const got = typeof replicas === 'string' ? `the string '${replicas}'` : `a value of type ${replicas === null ? 'null' : typeof replicas}`;
    problems.add('replicas', `must be a number, got ${got}`, `pass a number, e.g. replicas: ${typeof replicas === 'string' && /^\d+$/.test(replicas) ? replicas : 3} (not in quotes)`);
  } else if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS) {
    problems.add('replicas', `must be a whole number from 1 to ${MAX_REPLICAS}, got ${replicas}`, `set replicas between 1 and ${MAX_REPLICAS}`);
  } else if (isSingleDeployType(deployType) && replicas !== 1) {
    const multiple = deployType === DeployType.STATEFUL_SINGLE ? 'STATEFUL_MULTIPLE' : 'STATELESS_MULTIPLE';
    problems.add('replicas', `${deployType} always runs exactly 1 instance, got ${replicas}`, `remove replicas, or use DeployType.${multiple} to scale`);
  }
}
