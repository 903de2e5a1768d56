/**
 * Kubernetes' own validation rules for the values the component passes through to the API server,
 * mirrored so that bad input fails at synthesis, not at `kubectl apply`. Each returns what is wrong,
 * or undefined. Sources (k8s.io/apimachinery/pkg/util/validation/validation.go unless named):
 * `IsValidPortName`, `IsQualifiedName`, `IsValidLabelValue`, `IsValidPortNum`, `IsValidUserID`,
 * `IsValidGroupID`, `IsEnvVarName`, `IsConfigMapKey` (ConfigMap and Secret keys, `secretKeyRef.key`);
 * k8s.io/kubernetes/pkg/apis/networking/validation (Ingress host, path and class name);
 * k8s.io/kubernetes/pkg/apis/core/validation (`ValidateAnnotations`, resource requirements: non-negative,
 * request <= limit; storage class names; Secret and ServiceAccount names a pod refers to);
 * k8s.io/apimachinery/pkg/api/resource (`ParseQuantity`: the quantity syntax); k8s.io/apimachinery/pkg/util/validation/ip.go (`IsValidCIDR`
 * and `GetWarningsForCIDR`: strict CIDR syntax, no host bits); k8s.io/kubernetes/pkg/api/pod/warnings.go
 * (a port declared twice in a pod draws "duplicate port definition"; a memory quantity must be whole
 * bytes: "fractional byte value"). Pure.
 * Nothing here is exported from the package index.
 */
import { isIPv4, isIPv6 } from 'net';
import { isDnsSubdomain, MAX_DNS_LABEL_LENGTH, MAX_DNS_SUBDOMAIN_LENGTH } from './_naming';
import { compareQuantities, isWholeQuantity, parseQuantity } from './_quantity';
import { ProblemList } from './_validation';

/** Longest IANA service name, what a container port name must be (RFC 6335). */
const MAX_PORT_NAME_LENGTH = 15;
/** The largest value of an int32 field of the Kubernetes API (a user or group id, a replica count, averageUtilization). */
export const MAX_INT32 = 2147483647;
/** Total size of an object's annotations the API server accepts (256 KiB). */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
/**
 * A quantity as the API server reads it (resource.ParseQuantity): a signed decimal number, then one
 * suffix, either SI (n u m k M G T P E), binary (Ki Mi Gi Ti Pi Ei) or a decimal exponent (e3, E-2),
 * never two: `1e-7Mi`, what JavaScript writes for a tiny number of mebibytes, is refused.
 */
const QUANTITY = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([numkMGTPE]|[KMGTPE]i|[eE][+-]?[0-9]+)?$/;
/** Sequences and suffixes an Ingress path of type Exact or Prefix must not contain. */
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

/** A container port name: an IANA service name, at most 15 of `[-a-z0-9]`, a letter, no `--`, no '-' at either end. */
export function portNameProblem(name: string): string | undefined {
  if (typeof name !== 'string') return `must be a string, got ${describeValue(name)}`;
  if (name.length > MAX_PORT_NAME_LENGTH) return `'${name}' has ${name.length} characters; a port name has at most ${MAX_PORT_NAME_LENGTH}`;
  if (!/^[-a-z0-9]+$/.test(name)) return `'${name}' may contain only lowercase letters, digits and '-'`;
  if (!/[a-z]/.test(name)) return `'${name}' must contain at least one letter`;
  if (name.includes('--')) return `'${name}' must not contain '--'`;
  if (name.startsWith('-') || name.endsWith('-')) return `'${name}' must not start or end with '-'`;
  return undefined;
}

/** A port number: 1 to 65535. */
export function portNumberProblem(port: unknown): string | undefined {
  if (typeof port !== 'number') return `must be a number, got ${describeValue(port)}`;
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? undefined : `${port} is not a port number (1 to 65535)`;
}

/** A label or annotation key: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
export function qualifiedNameProblem(key: string): string | undefined {
  if (typeof key !== 'string') return `must be a string, got ${describeValue(key)}`;
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !isDnsSubdomain(prefix)) {
    return `the prefix '${prefix}' of '${key}' is not a DNS subdomain (lowercase letters, digits, '-' and '.', at most ${MAX_DNS_SUBDOMAIN_LENGTH} characters)`;
  }
  if (name.length === 0 || name.length > MAX_DNS_LABEL_LENGTH || !QUALIFIED_NAME.test(name)) {
    return `'${key}' is not a qualified name: the part after an optional 'prefix/' has 1 to ${MAX_DNS_LABEL_LENGTH} letters, digits, '-', '_' or '.', starting and ending alphanumeric`;
  }
  return undefined;
}

/** A label value: empty, or at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric. */
export function labelValueProblem(value: string): string | undefined {
  if (typeof value !== 'string') return `must be a string, got ${describeValue(value)}`;
  return value.length <= MAX_DNS_LABEL_LENGTH && LABEL_VALUE.test(value) ? undefined
    : `'${value}' is not a label value (at most ${MAX_DNS_LABEL_LENGTH} letters, digits, '-', '_' or '.', starting and ending alphanumeric)`;
}

/** An environment variable name of a container: letters, digits, '-', '_' and '.', not starting with a digit. */
export function envVarNameProblem(name: string): string | undefined {
  return ENV_VAR_NAME.test(name) ? undefined : `'${name}' is not an environment variable name (letters, digits, '-', '_' and '.', not starting with a digit)`;
}

/** A user or group id: a whole number from 0 to 2147483647. */
export function idProblem(id: unknown): string | undefined {
  if (typeof id !== 'number') return `must be a number, got ${describeValue(id)}`;
  return Number.isInteger(id) && id >= 0 && id <= MAX_INT32 ? undefined : `${id} is not a user or group id (a whole number from 0 to ${MAX_INT32})`;
}

/** An Ingress host: a DNS name, optionally starting with '*.', never an IP address. */
export function ingressHostProblem(host: unknown): string | undefined {
  if (typeof host !== 'string') return `must be a string, got ${describeValue(host)}`;
  if (IPV4.test(host) || host.includes(':')) return `'${host}' is an IP address; an Ingress host must be a DNS name`;
  const name = host.startsWith('*.') ? host.slice(2) : host;
  return name.length > 0 && host.length <= MAX_DNS_SUBDOMAIN_LENGTH && isDnsSubdomain(name) ? undefined
    : `'${host}' is not a host name (lowercase DNS name, optionally starting with '*.')`;
}

/** An Ingress path: absolute; for the Exact and Prefix types also without `//`, `/./`, `/../`, `%2f` and a trailing `/.` or `/..`. */
export function ingressPathProblem(path: unknown, implementationSpecific: boolean): string | undefined {
  if (typeof path !== 'string') return `must be a string, got ${describeValue(path)}`;
  if (!path.startsWith('/')) return `'${path}' is not an absolute path`;
  if (implementationSpecific) return undefined;
  const sequence = INVALID_PATH_SEQUENCES.find(s => path.includes(s));
  if (sequence) return `'${path}' contains '${sequence}', which the API server refuses in an Exact or Prefix path`;
  const suffix = INVALID_PATH_SUFFIXES.find(s => path.endsWith(s));
  return suffix ? `'${path}' ends with '${suffix}', which the API server refuses in an Exact or Prefix path` : undefined;
}

/**
 * A CIDR range as the API server checks one in a new object (IsValidCIDR with strict IP parsing, and
 * GetWarningsForCIDR): an IPv4 address without leading zeros or an IPv6 address (not IPv4-mapped),
 * '/', a prefix length in range, and no bits set after the prefix (Node's isIPv4 already refuses an
 * octet with a leading zero).
 */
export function cidrProblem(range: unknown): string | undefined {
  if (typeof range !== 'string') return `must be a string, got ${describeValue(range)}`;
  const slash = range.indexOf('/');
  const address = range.slice(0, slash);
  const prefix = range.slice(slash + 1);
  const v4 = isIPv4(address);
  const bits = v4 ? 32 : 128;
  if (slash < 0 || !/^(0|[1-9][0-9]{0,2})$/.test(prefix) || Number(prefix) > bits || !(v4 || isIPv6(address))) {
    return `'${range}' is not a CIDR range (an IPv4 or IPv6 address, '/', a prefix length)`;
  }
  if (!v4 && /^::ffff:|\./i.test(address)) return `'${range}' is an IPv6 range holding an IPv4 address (IPv4-mapped), which the API server refuses`;
  const value = v4 ? address.split('.').reduce((n, octet) => n * BigInt(256) + BigInt(octet), BigInt(0)) : ipv6Value(address);
  if (value % BigInt(2) ** BigInt(bits - Number(prefix)) !== BigInt(0)) {
    return `'${range}' has bits set after the /${prefix} prefix, which the API server warns is non-standard and will refuse`;
  }
  return undefined;
}

/** The 128-bit value of an IPv6 address in text (already checked by isIPv6, no embedded IPv4). */
function ipv6Value(address: string): bigint {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((n, g) => n * BigInt(65536) + BigInt(parseInt(g, 16)), BigInt(0));
}

/**
 * A key of a ConfigMap or Secret, also where a pod refers to one (`secretKeyRef.key`): at most 253 of
 * letters, digits, '-', '_' and '.', neither '.' nor '..' nor starting with '..'.
 */
export function configKeyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string') return `must be a string, got ${describeValue(key)}`;
  if (key.length === 0) return 'must not be empty';
  if (key.length > MAX_DNS_SUBDOMAIN_LENGTH) return `'${key.slice(0, 20)}…' has ${key.length} characters; a key has at most ${MAX_DNS_SUBDOMAIN_LENGTH}`;
  if (!CONFIG_KEY.test(key)) return `'${key}' may contain only letters, digits, '-', '_' and '.'`;
  if (key === '.' || key.startsWith('..')) return `'${key}' must not be '.' or start with '..'`;
  return undefined;
}

/** An object name that must be a DNS subdomain (IngressClass, StorageClass, Secret). */
export function subdomainNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `must be a string, got ${describeValue(name)}`;
  return isDnsSubdomain(name) ? undefined
    : `'${name}' is not a valid name (a DNS subdomain: lowercase letters, digits, '-' and '.', at most ${MAX_DNS_SUBDOMAIN_LENGTH} characters)`;
}

/**
 * An object a pod refers to by name (a Secret, a ServiceAccount), given as a cdk8s-plus reference: its
 * name must be a DNS subdomain, the only name such an object can have.
 */
export function referenceNameProblem(kind: string, reference: unknown): string | undefined {
  const name = typeof reference === 'object' && reference !== null ? (reference as { name?: unknown }).name : undefined;
  if (typeof name !== 'string') return `${kind} must be an object with a name (made in the app or imported by name), got ${describeValue(reference)}`;
  const problem = subdomainNameProblem(name);
  return problem && `${kind} name ${problem}`;
}

/**
 * A resource request and limit (quantities as cdk8s-plus renders them): each readable and not negative,
 * the request not above the limit.
 */
export function requestLimitProblem(resource: string, request: unknown, limit: unknown): string | undefined {
  for (const [what, value] of [['request', request], ['limit', limit]] as const) {
    if (value === undefined) continue;
    const amount = parseQuantity(value);
    if (amount === undefined || (typeof value === 'string' && !QUANTITY.test(value))) {
      return `the ${resource} ${what} '${String(value)}' is not a quantity the API server reads (a number and at most one suffix such as m, Mi or Gi; no exponent next to a suffix)`;
    }
    if (amount < 0) return `the ${resource} ${what} ${String(value)} is negative`;
    // warnings.go: "fractional byte value ... is invalid, must be an integer"
    if (resource === 'memory' && isWholeQuantity(value) === false) {
      return `the memory ${what} ${String(value)} is not a whole number of bytes (the API server warns "fractional byte value")`;
    }
  }
  if (request !== undefined && limit !== undefined && (compareQuantities(request, limit) ?? 0) > 0) {
    return `the ${resource} request ${String(request)} is above its limit ${String(limit)}`;
  }
  return undefined;
}

/** How a value of the wrong type is named in a problem. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string '${value}'`;
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** Records every label of `labels` (at prop `where`) whose key or value the API server refuses. */
export function checkLabels(where: string, labels: { [key: string]: string }, problems: ProblemList): void {
  for (const [key, value] of Object.entries(labels)) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem) problems.add(`${where}.${key}`, `the label key ${keyProblem}`, 'use a key such as \'team\' or \'example.com/team\'');
    const valueProblem = labelValueProblem(value);
    if (valueProblem) problems.add(`${where}.${key}`, `the label value ${valueProblem}`, 'shorten the value or replace other characters by \'-\'; put free text in an annotation');
  }
}

/** Records every annotation key of `annotations` (at prop `where`) the API server refuses, and a total size over 256 KiB. */
export function checkAnnotations(where: string, annotations: { [key: string]: string }, problems: ProblemList): void {
  if (typeof annotations !== 'object' || annotations === null || Array.isArray(annotations)) {
    problems.add(where, `must be an object of strings, got ${describeValue(annotations)}`, `pass ${where.split('.').pop()}: { 'example.com/key': 'value' }`);
    return;
  }
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations)) {
    // the API server checks the lowercased key (ValidateAnnotations)
    const keyProblem = qualifiedNameProblem(key.toLowerCase());
    if (keyProblem) problems.add(`${where}.${key}`, `the annotation key ${keyProblem}`, 'use a key such as \'example.com/owner\'');
    if (typeof value !== 'string') problems.add(`${where}.${key}`, `the annotation value must be a string, got ${describeValue(value)}`, 'quote the value');
    bytes += Buffer.byteLength(key) + Buffer.byteLength(String(value));
  }
  if (bytes > MAX_ANNOTATIONS_BYTES) {
    problems.add(where, `the annotations take ${bytes} bytes; the API server accepts at most ${MAX_ANNOTATIONS_BYTES}`, 'move large content into a ConfigMap');
  }
}
