/**
 * The JavaScript types of a preset's options. A caller in plain JavaScript or another jsii language can
 * pass null, a string for a Size or an enum value the enum does not have; each wrong type becomes a preset
 * problem ("what. Fix: how."), never a TypeError or a silently wrong manifest. The options the preset then
 * renders from hold only well-typed values: null is an omitted option (jsii passes None as null or
 * undefined), and a value of the wrong type is left out too (its problem stops the synthesis).
 * Pure. Nothing here is exported from the package index.
 */
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describeValue } from '../_kube-rules';
import { isObject } from '../_shapes';

/** What one option must be. */
export interface OptionType {
  /** What the option must be, e.g. `a string`. */
  readonly expected: string;
  /** Valid values for the fix, e.g. `e.g. Size.gibibytes(8)`. */
  readonly fix: string;
  /** Whether a value (never null or undefined) has the type. */
  readonly accepts: (value: unknown) => boolean;
  /** Types of the fields of an object option, checked once the object itself is accepted. */
  readonly fields?: OptionTypes;
  /** Type of every value of a map option, checked once the map itself is accepted. */
  readonly values?: OptionType;
}

/** Types of options, by option name. */
export interface OptionTypes {
  readonly [name: string]: OptionType;
}

/** The options as rendered from, and the problems of the wrong types. */
export interface CheckedOptions<T> {
  /** The options without null and wrong-typed values. */
  readonly options: T;
  /** One problem per wrong type. */
  readonly problems: string[];
  /** Paths (e.g. `tls.clientCertAuth`) of the values left out because their type was wrong. */
  readonly refused: string[];
}

/** A value whose rules are checked elsewhere (e.g. the component's volume rules for `storageSize`). */
export const CHECKED_ELSEWHERE: OptionType = { expected: 'anything', fix: '', accepts: () => true };

/** A string, e.g. `'app'`. */
export function stringType(example: string): OptionType {
  return { expected: 'a string', fix: `e.g. '${example}'`, accepts: v => typeof v === 'string' };
}

/** A number (written without quotes), e.g. `5000`; its range is checked by the preset's rules. */
export function numberType(example: number): OptionType {
  return { expected: 'a number', fix: `e.g. ${example} (not in quotes)`, accepts: v => typeof v === 'number' };
}

/** true or false. */
export const BOOLEAN: OptionType = { expected: 'true or false', fix: 'true or false (not in quotes)', accepts: v => typeof v === 'boolean' };

/** A cdk8s `Size`, e.g. `Size.gibibytes(8)`. */
export function sizeType(example: string): OptionType {
  return { expected: 'a Size', fix: `e.g. ${example}`, accepts: v => v instanceof Size };
}

/** A cdk8s-plus `Cpu`. */
const CPU: OptionType = { expected: 'a Cpu', fix: 'e.g. Cpu.millis(500)', accepts: v => v instanceof kplus.Cpu };

/**
 * A Secret a preset's pods and dependants refer to (`kplus.ISecret`: an object with a name). Its name is
 * checked by `secretOptionProblems`.
 */
export const SECRET: OptionType = {
  expected: 'a Secret (kplus.ISecret)',
  fix: 'e.g. kplus.Secret.fromSecretName(this, \'Credentials\', \'orders-credentials\')',
  accepts: v => isObject(v) && typeof v.name === 'string',
};

/** A member of a TypeScript string enum (`enumName` names it in the message). */
export function enumType(members: { [member: string]: string }, enumName: string): OptionType {
  const values = Object.values(members);
  return {
    expected: `one of ${values.join(', ')} (${enumName})`,
    fix: Object.keys(members).map(member => `${enumName}.${member}`).join(' or '),
    accepts: v => values.includes(v as string),
  };
}

/** An object whose fields have the given types (fields not listed are kept as given). */
export function objectType(fields: OptionTypes, example: string): OptionType {
  return { expected: 'an object', fix: `e.g. ${example}`, accepts: isObject, fields };
}

/** An object of strings, e.g. `{ maxClientCnxns: '200' }`. */
export function stringMapType(example: string): OptionType {
  return { expected: 'an object of strings', fix: `e.g. ${example}`, accepts: isObject, values: { expected: 'a string', fix: 'the value in quotes', accepts: v => typeof v === 'string' } };
}

/** A request and a limit of one resource. */
function pairType(item: OptionType, example: string): OptionType {
  return objectType({ request: item, limit: item }, example);
}

/** `kplus.ContainerResources`: CPU as `Cpu`, memory and ephemeral storage as `Size`. */
export const RESOURCES: OptionType = objectType({
  cpu: pairType(CPU, '{ request: Cpu.millis(250), limit: Cpu.units(1) }'),
  memory: pairType(sizeType('Size.gibibytes(1)'), '{ request: Size.gibibytes(1), limit: Size.gibibytes(1) }'),
  ephemeralStorage: pairType(sizeType('Size.gibibytes(1)'), '{ limit: Size.gibibytes(1) }'),
}, '{ memory: { request: Size.gibibytes(1), limit: Size.gibibytes(1) } }');

/**
 * Types of the options every preset has (`ClusterPresetOptions`); `imageExample` is the preset's image.
 * The size and StorageClass of the data volume are checked by the component's volume rules and the
 * NetworkPolicy by the preset binding, which name them as preset options.
 */
export function clusterPresetOptionTypes(imageExample: string): OptionTypes {
  return {
    image: { expected: 'an image reference (a string)', fix: `e.g. '${imageExample}'`, accepts: v => typeof v === 'string' },
    storageSize: CHECKED_ELSEWHERE,
    storageClassName: CHECKED_ELSEWHERE,
    resources: RESOURCES,
    networkPolicy: CHECKED_ELSEWHERE,
  };
}

/** One value checked against its type: what is kept (undefined when left out), with the problems found. */
function checkValue(value: unknown, type: OptionType, path: string, label: (path: string) => string,
  problems: string[], refused: string[]): unknown {
  if (value === undefined || value === null) return undefined;
  if (!type.accepts(value)) {
    problems.push(`${label(path)} must be ${type.expected}, got ${describeValue(value)}. Fix: pass ${type.fix}, or omit it.`);
    refused.push(path);
    return undefined;
  }
  if (type.fields) return checkFields(value as { [key: string]: unknown }, type.fields, `${path}.`, label, problems, refused);
  if (type.values) {
    const kept: { [key: string]: unknown } = {};
    for (const [key, item] of Object.entries(value as object)) {
      const checked = checkValue(item, type.values, `${path}.${key}`, label, problems, refused);
      if (checked !== undefined) kept[key] = checked;
    }
    return kept;
  }
  return value;
}

/** The fields of an object, each checked against its type; fields without a type are kept as given (null left out). */
function checkFields(value: { [key: string]: unknown }, types: OptionTypes, prefix: string, label: (path: string) => string,
  problems: string[], refused: string[]): { [key: string]: unknown } {
  const kept: { [key: string]: unknown } = {};
  // the typed fields are read by name too, so an options object with getters is read like the preset reads it
  for (const key of new Set([...Object.keys(types), ...Object.keys(value)])) {
    const type = Object.prototype.hasOwnProperty.call(types, key) ? types[key] : CHECKED_ELSEWHERE;
    const checked = checkValue(value[key], type, `${prefix}${key}`, label, problems, refused);
    if (checked !== undefined) kept[key] = checked;
  }
  return kept;
}

/**
 * Checks the options of a preset against their types. Null or undefined options are no options; options
 * that are no object are one problem. `label` writes an option's path as the preset's messages do
 * (quoted or not).
 */
export function checkOptionTypes<T>(options: unknown, types: OptionTypes, label: (path: string) => string): CheckedOptions<T> {
  const problems: string[] = [];
  const refused: string[] = [];
  if (options === undefined || options === null) return { options: {} as T, problems, refused };
  if (!isObject(options)) {
    problems.push(`the options must be an object, got ${describeValue(options)}. Fix: pass the options as an object, e.g. { storageSize: Size.gibibytes(8) }, or none.`);
    return { options: {} as T, problems, refused };
  }
  return { options: checkFields(options, types, '', label, problems, refused) as T, problems, refused };
}

/** An option's path as the etcd and ZooKeeper presets write it (unquoted). */
export function plainLabel(path: string): string {
  return path;
}

/** An option's path as the Redis and MySQL presets write it (quoted). */
export function quotedLabel(path: string): string {
  return `'${path}'`;
}
