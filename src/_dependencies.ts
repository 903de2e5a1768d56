/**
 * Dependencies between components: port aliases, connection information and the
 * variables a dependant gets (Rainbond's `<ALIAS>_HOST` / `<ALIAS>_PORT` plus the
 * depended-on component's connection variables). Pure, except for building the wait container.
 * Nothing here is exported from the package index.
 */
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { configKeyProblem, referenceNameProblem } from './_kube-rules';
import { MAX_DNS_LABEL_LENGTH } from './_naming';
import { ProblemList } from './_validation';
import { ConnectionValue } from './connection';
import { ComponentPortSettings } from './port';

/** Port alias syntax (an environment variable prefix). */
const PORT_ALIAS = /^[A-Z][A-Z0-9_]*$/;
/** Environment variable names the connection information may use. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names that say the variable holds a secret: never a plain value. */
const SECRET_LIKE_NAME = /(^|_)(PASS|PASSWD|PWD)(_|$)|PASSWORD|SECRET|TOKEN|CREDENTIAL|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY/i;
/** A URL or DSN with a password in it: `scheme://user:password@host`, `user:password@tcp(host)`. */
const URL_WITH_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/)?[^\s/:@]+:[^\s@]+@/i;

/**
 * Image of the wait-for-port init container: busybox's defconfig (what the official image builds)
 * enables NC_110_COMPAT, whose `nc` has `-z` and `-w`; `sh` and `sleep` are busybox applets too.
 */
export const WAIT_IMAGE = 'busybox:1.36.1';

/** Rainbond's default port alias: the component name in uppercase, '-' as '_', then the port number. */
export function defaultPortAlias(componentName: string, port: number): string {
  return `${componentName.toUpperCase().replace(/-/g, '_')}${port}`;
}

/**
 * Checks the port settings against the ports the containers declare and returns the alias of
 * every declared port (given or default).
 */
export function portAliases(
  settings: ComponentPortSettings[], declaredPorts: number[], componentName: string, problems: ProblemList): Map<number, string> {
  const aliases = new Map<number, string>();
  for (const port of declaredPorts) aliases.set(port, defaultPortAlias(componentName, port));
  const seenPorts = new Set<number>();
  settings.forEach((setting, index) => {
    const where = `portSettings[${index}]`;
    if (!declaredPorts.includes(setting.port)) {
      problems.add(`${where}.port`, `port ${setting.port} is not declared by any container (declared: ${declaredPorts.join(', ') || 'none'})`,
        'declare it in a container\'s ports, or remove these settings');
      return;
    }
    if (seenPorts.has(setting.port)) {
      problems.add(`${where}.port`, `port ${setting.port} has settings twice`, 'give each port one entry');
      return;
    }
    seenPorts.add(setting.port);
    if (setting.alias !== undefined) {
      if (!PORT_ALIAS.test(setting.alias)) {
        problems.add(`${where}.alias`, `'${setting.alias}' is not a port alias (uppercase letters, digits and '_', starting with a letter)`,
          `use e.g. '${defaultPortAlias(componentName, setting.port)}'`);
      }
      aliases.set(setting.port, setting.alias);
    }
  });
  const byAlias = new Map<string, number>();
  for (const [port, alias] of aliases) {
    const other = byAlias.get(alias);
    if (other !== undefined) problems.add('portSettings', `alias '${alias}' is used by ports ${other} and ${port}`, 'give every port its own alias');
    byAlias.set(alias, port);
  }
  return aliases;
}

/**
 * Checks the names and values of a component's connection information; `reserved`: the variables its client ports give
 * dependants (`portVariables`), which a connection variable must not replace.
 */
export function checkConnectionInfo(info: { [name: string]: ConnectionValue }, reserved: ReadonlyMap<string, number>, problems: ProblemList): void {
  for (const [name, value] of Object.entries(info)) {
    const where = `connectionInfo.${name}`;
    if (!ENV_NAME.test(name)) {
      problems.add(where, `'${name}' is not an environment variable name (letters, digits and '_', not starting with a digit)`, 'rename the variable');
    }
    const port = reserved.get(name);
    if (port !== undefined) {
      problems.add(where, `dependants already get ${name} for port ${port}; this value would replace the address they connect to`,
        `rename the variable, or give port ${port} another alias (portSettings)`);
    }
    if (!(value instanceof ConnectionValue)) {
      problems.add(where, 'the value is not a ConnectionValue', 'use ConnectionValue.fromValue(...) or ConnectionValue.fromSecretKey(secret, key)');
    } else if (value.plainValue !== undefined && SECRET_LIKE_NAME.test(name)) {
      problems.add(where, `'${name}' names a secret, and a plain value would be written into every dependant's manifest in clear`,
        'put it in a Secret and use ConnectionValue.fromSecretKey(secret, key)');
    } else if (value.plainValue !== undefined && URL_WITH_PASSWORD.test(value.plainValue)) {
      problems.add(where, `the value of '${name}' holds a password (user:password@), which would be written into every dependant's manifest in clear`,
        'put the whole URL in a Secret and use ConnectionValue.fromSecretKey(secret, key)');
    } else if (value.plainValue === undefined) {
      const nameProblem = referenceNameProblem('Secret', value._secretKey?.secret);
      if (nameProblem) {
        problems.add(where, `the ${nameProblem}; the API server refuses every dependant's pod that refers to it`,
          'pass the Secret by the name it has in the cluster');
      }
      const keyProblem = configKeyProblem(value._secretKey?.key);
      if (keyProblem) {
        problems.add(where, `the Secret key ${keyProblem}; the API server refuses every dependant's pod that refers to it`,
          'name the key as the Secret has it: letters, digits, \'-\', \'_\' and \'.\', not starting with \'..\'');
      }
    }
  }
}

/** Where dependants connect through one client port instead of the client Service. */
export interface DependantEndpoint {
  readonly host: string;
  readonly port: number;
}

/** What a dependant needs to know about a component it depends on. */
export interface DependencyView {
  readonly componentName: string;
  readonly isStateful: boolean;
  /** DNS name of the client Service (`<service>.<namespace>.svc.<domain>`); undefined without ports. */
  readonly serviceHost?: string;
  /** Port numbers of the client Service, in order. */
  readonly servicePorts: number[];
  readonly aliases: Map<number, string>;
  /** Client port → where dependants connect instead (a preset's write path); the rest use the client Service. */
  readonly endpoints?: Map<number, DependantEndpoint>;
  /** Instance FQDNs of a stateful component. */
  readonly podDnsNames: string[];
  readonly connectionInfo: { [name: string]: ConnectionValue };
}

/** A dependency with where it lives. */
export interface DependencyTarget extends DependencyView {
  readonly namespace: string;
  /** Whether it renders a NetworkPolicy that admits its dependants (a preset's `networkPolicy`). */
  readonly admitsDependants?: boolean;
  /** False when its namespace is only the 'default' fallback. */
  readonly namespaceExplicit?: boolean;
  /** Path of the dependency's chart when that is another chart and sets no namespace. */
  readonly foreignChartWithoutNamespace?: string;
}

/** The dependant adding a dependency. */
export interface Dependant {
  readonly namespace: string;
  /** False when its namespace is only the 'default' fallback (neither it nor its chart sets one). */
  readonly namespaceExplicit?: boolean;
  /** Names of the components it already depends on. */
  readonly dependencyNames: string[];
  /** `dependency -> ... -> dependant` when the dependency already (transitively) depends on it. */
  readonly cyclePath?: string[];
  /** Variable name -> the dependency that injected it. */
  readonly injectedBy: ReadonlyMap<string, string>;
  readonly containers: ReadonlyArray<{ readonly name: string; readonly variables: string[] }>;
}

/**
 * Records every rule adding `dep` to `dependant` breaks, and returns the variables it would inject.
 */
export function checkDependency(dependant: Dependant, dep: DependencyTarget, problems: ProblemList): DependencyVariable[] {
  const where = `dependencies '${dep.componentName}'`;
  if (dependant.dependencyNames.includes(dep.componentName)) {
    // its variables are the ones the first declaration injected: nothing else to report
    problems.add(where, `already depends on '${dep.componentName}'`, 'declare each dependency once');
    return [];
  }
  if (dependant.cyclePath) {
    const cycle = [dependant.cyclePath[dependant.cyclePath.length - 1], ...dependant.cyclePath];
    problems.add(where, `dependency cycle ${cycle.join(' -> ')}: Rainbond starts a dependency before its dependants, which a cycle makes impossible`,
      'remove one of these dependencies');
  }
  if (dep.foreignChartWithoutNamespace !== undefined) {
    problems.add(where, `'${dep.componentName}' is in another chart (${dep.foreignChartWithoutNamespace}) that sets no namespace, so its DNS names are not known`,
      `set namespace on that chart or on '${dep.componentName}'`);
  }
  if (dep.admitsDependants && dep.namespaceExplicit && dependant.namespaceExplicit === false) {
    problems.add(where, `the NetworkPolicy of '${dep.componentName}' admits its dependants by namespace, and this component sets none (it would be applied wherever kubectl puts it)`,
      `set namespace on this component or its chart (e.g. '${dep.namespace}')`);
  }
  if (dep.serviceHost === undefined) {
    problems.add(where, `'${dep.componentName}' declares no port, so there is nothing to connect to`, 'declare its ports, or remove the dependency');
  }
  const secretNames = Object.keys(dep.connectionInfo).filter(name => dep.connectionInfo[name].plainValue === undefined);
  if (dep.namespace !== dependant.namespace && secretNames.length > 0) {
    problems.add(where, `connection variables ${secretNames.join(', ')} of '${dep.componentName}' come from a Secret in namespace '${dep.namespace}', which pods in '${dependant.namespace}' cannot read`,
      `create the Secret in '${dependant.namespace}' too and set those variables on this component's containers, or move the components into one namespace`);
  }
  const variables = dep.serviceHost === undefined ? [] : dependencyVariables(dep);
  for (const variable of variables) {
    const previous = dependant.injectedBy.get(variable.name);
    if (previous !== undefined) {
      problems.add(where, `variable ${variable.name} is defined by two dependencies, '${previous}' and '${dep.componentName}'`,
        'give a port of one of them another alias (portSettings), or rename its connection variable');
      continue;
    }
    const owner = dependant.containers.find(c => c.variables.includes(variable.name));
    if (owner) {
      problems.add(where, `variable ${variable.name} of dependency '${dep.componentName}' is already set in container '${owner.name}'`,
        'remove the container\'s variable, or give the dependency\'s port another alias (portSettings)');
    }
  }
  return variables;
}

/** One variable a dependant gets. */
export interface DependencyVariable {
  readonly name: string;
  readonly value: kplus.EnvValue;
}

/**
 * The variables a dependant gets from `dep`: `<ALIAS>_HOST` (client Service DNS name) and
 * `<ALIAS>_PORT` for every client Service port (a preset's dependant endpoint instead, where it declares one), `<ALIAS>_HOSTS` (comma-separated instance FQDNs)
 * for a stateful component, then the connection information.
 */
export function dependencyVariables(dep: DependencyView): DependencyVariable[] {
  const variables: DependencyVariable[] = [];
  for (const port of dep.servicePorts) {
    const names = portVariableNames(dep.aliases.get(port) ?? '');
    const endpoint = dep.endpoints?.get(port);
    variables.push({ name: names.host, value: kplus.EnvValue.fromValue(endpoint?.host ?? dep.serviceHost ?? '') });
    variables.push({ name: names.port, value: kplus.EnvValue.fromValue(String(endpoint?.port ?? port)) });
    if (dep.isStateful) variables.push({ name: names.hosts, value: kplus.EnvValue.fromValue(dep.podDnsNames.join(',')) });
  }
  for (const [name, value] of Object.entries(dep.connectionInfo)) variables.push({ name, value: value.envValue });
  return variables;
}

/** The variables of one client port with alias `alias`: its host, its port, and (stateful) every instance's host. */
function portVariableNames(alias: string): { host: string; port: string; hosts: string } {
  return { host: `${alias}_HOST`, port: `${alias}_PORT`, hosts: `${alias}_HOSTS` };
}

/** Variable name → client port, for every variable dependants get from `ports` (`dependencyVariables`). */
export function portVariables(ports: readonly number[], aliases: ReadonlyMap<number, string>, isStateful: boolean): Map<string, number> {
  const variables = new Map<string, number>();
  for (const port of ports) {
    const alias = aliases.get(port);
    if (alias === undefined) continue;
    const names = portVariableNames(alias);
    for (const name of isStateful ? [names.host, names.port, names.hosts] : [names.host, names.port]) variables.set(name, port);
  }
  return variables;
}

/**
 * The path `from -> ... -> to` along `dependenciesOf`, or undefined when `to` cannot be reached.
 */
export function dependencyPath<T>(from: T, to: T, dependenciesOf: (node: T) => T[]): T[] | undefined {
  const visited = new Set<T>();
  const walk = (node: T): T[] | undefined => {
    if (node === to) return [node];
    if (visited.has(node)) return undefined;
    visited.add(node);
    for (const next of dependenciesOf(node)) {
      const rest = walk(next);
      if (rest) return [node, ...rest];
    }
    return undefined;
  };
  return walk(from);
}

/**
 * An init container that waits until `host:port` accepts TCP connections (every 2 seconds,
 * each attempt bounded to 2 seconds), so the component starts after its dependency.
 */
export function waitForPortContainer(name: string, host: string, port: number): kplus.ContainerProps {
  return {
    name,
    image: WAIT_IMAGE,
    command: ['sh', '-c', 'until nc -z -w 2 "$1" "$2"; do echo "waiting for $1:$2"; sleep 2; done', 'wait-for-port', host, String(port)],
    resources: {
      cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(100) },
      memory: { request: Size.mebibytes(16), limit: Size.mebibytes(32) },
    },
  };
}

/** What the wait container of a dependency is made from. */
export interface WaitTarget {
  readonly componentName: string;
  /** DNS name of the client Service; undefined without one. */
  readonly serviceHost?: string;
  readonly clientPorts: kplus.ServicePort[];
  /** Client port → where dependants connect instead of the client Service. */
  readonly endpoints?: Map<number, DependantEndpoint>;
}

/**
 * The wait-for-port init container for a dependency: its first TCP client Service port, at the
 * dependant endpoint of that port where the preset declares one; undefined without a TCP client port.
 */
export function waitContainerFor(dependency: WaitTarget): kplus.ContainerProps | undefined {
  const port = dependency.clientPorts.find(p => (p.protocol ?? kplus.Protocol.TCP) === kplus.Protocol.TCP);
  if (!port || dependency.serviceHost === undefined) return undefined;
  const name = `wait-for-${dependency.componentName}`.slice(0, MAX_DNS_LABEL_LENGTH).replace(/-+$/, '');
  const endpoint = dependency.endpoints?.get(port.port);
  return waitForPortContainer(name, endpoint?.host ?? dependency.serviceHost, endpoint?.port ?? port.port);
}
