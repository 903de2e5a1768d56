/**
 * Strict validation of synthesized objects against every supported Kubernetes minor.
 *
 * 1.35 and later: the definitions are the OpenAPI v3 documents a real kube-apiserver of that release
 * serves, built from its Go modules (test/fixtures/kubernetes-openapi/v<version>.json, written by
 * control-plane/openapi-v3 and control-plane/schema-fixture). Every object schema with properties
 * gets `additionalProperties: false` (what the API server's strict field validation does), unless
 * the API marks it `x-kubernetes-preserve-unknown-fields`; enums, required fields and types are the
 * server's own.
 *
 * 1.28 to 1.34: the definitions come from the type metadata each cdk8s-plus-<minor> package ships
 * in its jsii assembly (`node_modules/cdk8s-plus-<minor>/.jsii`, installed as dev
 * dependencies): the types generated from that Kubernetes minor's OpenAPI document,
 * each property with its JSON name (`docs.custom.schema = "<definition>#<field>"`),
 * its type and whether it is optional. They are turned into JSON Schema with
 * `additionalProperties: false` and checked with ajv: unknown fields (including a
 * field a later minor removed or renamed), missing required fields and wrong types fail.
 *
 * Compiling the validators of ten minors costs a few seconds; the compiled code is
 * cached on disk (ajv standalone code in node_modules/.cache, keyed by a hash of the assembly or fixture,
 * of ajv's version and of this file); jest's globalSetup (k8s-schema-global-setup.ts) fills the
 * cache once before the workers start, so each test file loads rather than compiles them.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';

/** Where the schema fixtures of real API servers are (one `v<version>.json` per minor). */
const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures', 'kubernetes-openapi');

/** The minors whose schema comes from a cdk8s-plus package's type metadata. */
const PACKAGE_MINORS: readonly number[] = [28, 29, 30, 31, 32, 33, 34];

/** The release (`1.36.3`) of each minor that has a fixture from a real API server. */
export const SERVER_RELEASES: Readonly<Record<number, string>> = Object.fromEntries(fs.readdirSync(FIXTURE_DIR)
  .map(file => /^v(1\.(\d+)\.\d+)\.json$/.exec(file))
  .filter((match): match is RegExpExecArray => match !== null)
  .map(match => [Number(match[2]), match[1]]));

/** The Kubernetes minors every synthesized object is validated against (1.x). */
export const KUBERNETES_MINORS: readonly number[] = [...new Set([...PACKAGE_MINORS, ...Object.keys(SERVER_RELEASES).map(Number)])]
  .sort((a, b) => a - b);

interface JsiiTypeRef {
  readonly primitive?: string;
  readonly fqn?: string;
  readonly collection?: { readonly kind: 'array' | 'map'; readonly elementtype: JsiiTypeRef };
}
interface JsiiProperty {
  readonly name: string;
  readonly optional?: boolean;
  readonly type: JsiiTypeRef;
  readonly docs?: { readonly custom?: { readonly schema?: string } };
}
interface JsiiType {
  readonly kind: string;
  readonly properties?: JsiiProperty[];
  readonly initializer?: { readonly docs?: { readonly summary?: string } };
}

/** API groups whose name is not `<short name>` or `<short name>.k8s.io`. */
const GROUP_NAMES: Record<string, string> = {
  core: '',
  apps: 'apps',
  batch: 'batch',
  policy: 'policy',
  autoscaling: 'autoscaling',
  rbac: 'rbac.authorization.k8s.io',
  authentication: 'authentication.k8s.io',
  authorization: 'authorization.k8s.io',
  certificates: 'certificates.k8s.io',
  admissionregistration: 'admissionregistration.k8s.io',
  apiextensions: 'apiextensions.k8s.io',
  apiregistration: 'apiregistration.k8s.io',
  flowcontrol: 'flowcontrol.apiserver.k8s.io',
  apiserverinternal: 'internal.apiserver.k8s.io',
};

function schemaFor(ref: JsiiTypeRef, prefix: string, enums: ReadonlySet<string>): object {
  if (ref.primitive) {
    switch (ref.primitive) {
      case 'string': return { type: 'string' };
      case 'number': return { type: 'number' };
      case 'boolean': return { type: 'boolean' };
      case 'date': return { type: 'string' };
      default: return {};
    }
  }
  if (ref.collection) {
    const items = schemaFor(ref.collection.elementtype, prefix, enums);
    return ref.collection.kind === 'array'
      ? { type: 'array', items }
      : { type: 'object', additionalProperties: items };
  }
  const fqn = ref.fqn!;
  if (fqn === `${prefix}Quantity`) return { type: ['string', 'number'] };
  if (fqn === `${prefix}IntOrString`) return { anyOf: [{ type: 'string' }, { type: 'integer' }] };
  if (!fqn.startsWith(prefix)) return {};
  // jsii keeps an enum's member names, not its JSON values (e.g. the `kind` of DeleteOptions)
  if (enums.has(fqn)) return { type: 'string' };
  return { $ref: `#/definitions/${fqn.slice(prefix.length)}` };
}

/** JSON field name of a property: the part after '#' of its schema reference. */
function jsonName(property: JsiiProperty): string {
  const schema = property.docs?.custom?.schema;
  return schema && schema.includes('#') ? schema.slice(schema.indexOf('#') + 1) : property.name;
}

function objectSchema(type: JsiiType, prefix: string, enums: ReadonlySet<string>): object {
  const properties: Record<string, object> = {};
  const required: string[] = [];
  for (const property of type.properties ?? []) {
    const name = jsonName(property);
    properties[name] = schemaFor(property.type, prefix, enums);
    if (!property.optional) required.push(name);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

/** `io.k8s.api.apps.v1.StatefulSet` → `apps/v1` + `StatefulSet`. */
function groupVersionKind(definition: string): { apiVersion: string; kind: string } | undefined {
  const parts = definition.split('.');
  const kind = parts[parts.length - 1];
  const version = parts[parts.length - 2];
  const apiIndex = parts.indexOf('apis') >= 0 ? parts.indexOf('apis') : parts.indexOf('api');
  if (apiIndex < 0) return undefined;
  const short = parts[apiIndex + 1];
  const group = short in GROUP_NAMES ? GROUP_NAMES[short] : `${short}.k8s.io`;
  return { apiVersion: group ? `${group}/${version}` : version, kind };
}

/** Compiled validators of one minor: one per `apiVersion/kind`. */
type Validators = Record<string, ValidateFunction>;

/** Where compiled validators are cached between test files and runs. */
const CACHE_DIR = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'cdk8s-rainbond-k8s-schema');

function assemblyPath(minor: number): string {
  return require.resolve(`cdk8s-plus-${minor}/.jsii`);
}

/** Reads one minor's assembly and compiles a validator per top-level kind. */
function compile(minor: number, assemblyText: string): { validators: Validators; source: string; definitionCount: number } {
  const prefix = `cdk8s-plus-${minor}.k8s.`;
  const assembly = JSON.parse(assemblyText);
  const enums = new Set(Object.keys(assembly.types).filter(fqn => assembly.types[fqn].kind === 'enum'));
  const definitions: Record<string, object> = {};
  const kinds: Record<string, string> = {};
  for (const [fqn, type] of Object.entries<JsiiType>(assembly.types)) {
    if (!fqn.startsWith(prefix)) continue;
    const name = fqn.slice(prefix.length);
    if (type.kind === 'interface') definitions[name] = objectSchema(type, prefix, enums);
    const summary = type.initializer?.docs?.summary;
    const match = type.kind === 'class' && summary ? /^Defines a "(.+)" API object\.$/.exec(summary) : null;
    const gvk = match ? groupVersionKind(match[1]) : undefined;
    if (gvk) kinds[`${gvk.apiVersion}/${gvk.kind}`] = `${name}Props`;
  }
  const definitionCount = Object.keys(assembly.types).filter(t => t.startsWith(prefix)).length;
  const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true } });
  ajv.addSchema({ $id: 'k8s', definitions }, 'k8s');
  const refs: Record<string, string> = {};
  for (const [key, props] of Object.entries(kinds)) refs[key] = `k8s#/definitions/${props}`;
  return compiled(ajv, refs, definitionCount, false);
}

/**
 * Every kind's validator compiled now (that is what the standalone module exports), and the module's
 * source: the validators by `apiVersion/kind`, `definitionCount` and `wholeObjects` (whether a validator
 * takes whole objects, or objects without apiVersion and kind).
 */
function compiled(ajv: Ajv, refs: Record<string, string>, definitionCount: number, wholeObjects: boolean)
  : { validators: Validators; source: string; definitionCount: number } {
  const validators: Validators = {};
  for (const [key, ref] of Object.entries(refs)) validators[key] = ajv.getSchema(ref)!;
  const source = `${standaloneCode(ajv, refs)}\nexports.definitionCount = ${definitionCount};\nexports.wholeObjects = ${wholeObjects};\n`;
  return { validators, source, definitionCount };
}

/** `additionalProperties: false` on every object schema with properties that the API does not leave open. */
function closeObjects(value: any): any {
  if (Array.isArray(value)) return value.map(closeObjects);
  if (!value || typeof value !== 'object') return value;
  const out: any = {};
  for (const [key, v] of Object.entries(value)) {
    // `properties` maps field names to schemas: a field may be called `properties` or `additionalProperties`
    out[key] = key === 'properties'
      ? Object.fromEntries(Object.entries(v as object).map(([field, schema]) => [field, closeObjects(schema)]))
      : closeObjects(v);
  }
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  return out;
}

/** Compiles a validator per kind from a real API server's schema fixture (whole objects: apiVersion and kind are in the schemas). */
function compileServerFixture(fixtureText: string): { validators: Validators; source: string; definitionCount: number } {
  const fixture = JSON.parse(fixtureText) as { kinds: Record<string, string>; schemas: Record<string, object> };
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, code: { source: true } });
  ajv.addSchema({ $id: 'k8s', components: { schemas: closeObjects(fixture.schemas) } }, 'k8s');
  const refs: Record<string, string> = {};
  for (const [key, name] of Object.entries(fixture.kinds)) refs[key] = `k8s#/components/schemas/${name}`;
  return compiled(ajv, refs, Object.keys(fixture.schemas).length, true);
}

/** Validators of one minor: from the disk cache when it matches, else compiled (and cached). */
function load(minor: number): { validators: Validators; definitionCount: number; wholeObjects: boolean } {
  const release = SERVER_RELEASES[minor];
  const fromServer = release !== undefined;
  const schemaText = fs.readFileSync(fromServer ? path.join(FIXTURE_DIR, `v${release}.json`) : assemblyPath(minor), 'utf-8');
  const key = createHash('sha256')
    .update(schemaText)
    .update(fs.readFileSync(__filename))
    .update(fs.readFileSync(require.resolve('ajv/package.json')))
    .digest('hex')
    .slice(0, 16);
  const file = path.join(CACHE_DIR, `k8s-1.${minor}-${key}.js`);
  if (fs.existsSync(file)) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the cache is generated CommonJS code
      const cached = require(file);
      return { validators: cached, definitionCount: cached.definitionCount, wholeObjects: cached.wholeObjects === true };
    } catch {
      // fall through: a corrupt cache file is recompiled
    }
  }
  const { validators, source, definitionCount } = fromServer ? compileServerFixture(schemaText) : compile(minor, schemaText);
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, source);
    fs.renameSync(temporary, file); // atomic: parallel jest workers never read a half-written file
  } catch {
    // a read-only node_modules only costs the compile time
  }
  return { validators, definitionCount, wholeObjects: fromServer };
}

/** Validates Kubernetes objects strictly against one Kubernetes minor's API (errors do not name the minor; K8sSchemaSet adds it). */
export class K8sSchema {
  /** Number of type definitions read from the assembly or the server's fixture. */
  public readonly definitionCount: number;
  /** The real API server release whose OpenAPI v3 documents define this minor, if any (else a cdk8s-plus package does). */
  public readonly serverRelease?: string;
  private readonly validators: Validators;
  /** Whether the validators take whole objects (server fixtures) or objects without apiVersion and kind (jsii props). */
  private readonly wholeObjects: boolean;

  /** @param minor the Kubernetes minor (1.x), one of KUBERNETES_MINORS */
  constructor(public readonly minor: number = 28) {
    if (!KUBERNETES_MINORS.includes(minor)) throw new Error(`no schema for Kubernetes 1.${minor}; supported: ${KUBERNETES_MINORS.map(m => `1.${m}`).join(', ')}`);
    const loaded = load(minor);
    this.validators = loaded.validators;
    this.definitionCount = loaded.definitionCount;
    this.wholeObjects = loaded.wholeObjects;
    this.serverRelease = SERVER_RELEASES[minor];
  }

  /** The validation errors of one object (empty when it is valid). */
  public errors(object: any): string[] {
    const key = `${object?.apiVersion}/${object?.kind}`;
    const validate = Object.prototype.hasOwnProperty.call(this.validators, key) ? this.validators[key] : undefined;
    if (typeof validate !== 'function') return [`unknown apiVersion/kind '${key}'`];
    const { apiVersion: _apiVersion, kind: _kind, ...body } = object;
    const problems: string[] = [];
    if (typeof object.metadata?.name !== 'string') problems.push(`${object.kind}: /metadata/name is required`);
    if (!validate(this.wholeObjects ? object : body)) {
      for (const e of validate.errors ?? []) {
        const extra = 'additionalProperty' in e.params ? ` '${(e.params as any).additionalProperty}'` : '';
        problems.push(`${object.kind} ${object.metadata?.name ?? '?'}: ${e.instancePath || '/'} ${e.message}${extra}`);
      }
    }
    return problems;
  }
}

/** `[28, 29, 30, 32]` → `1.28-1.30, 1.32`. */
export function describeMinors(minors: readonly number[]): string {
  const sorted = [...minors].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    ranges.push(i === j ? `1.${sorted[i]}` : `1.${sorted[i]}-1.${sorted[j]}`);
    i = j;
  }
  return ranges.join(', ');
}

/** Validates Kubernetes objects strictly against several minors; one line per distinct error with the minors it fails on. */
export class K8sSchemaSet {
  public readonly schemas: readonly K8sSchema[];

  constructor(public readonly minors: readonly number[] = KUBERNETES_MINORS) {
    this.schemas = minors.map(m => new K8sSchema(m));
  }

  /** The validation errors of one object on any of the minors (empty when it is valid on all). */
  public errors(object: any): string[] {
    const failing = new Map<string, number[]>();
    for (const schema of this.schemas) {
      for (const error of schema.errors(object)) failing.set(error, [...failing.get(error) ?? [], schema.minor]);
    }
    return [...failing].map(([error, minors]) => `Kubernetes ${describeMinors(minors)}: ${error}`);
  }
}
