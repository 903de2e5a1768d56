/**
 * Strict Kubernetes 1.28 validation of synthesized objects.
 *
 * The definitions come from the type metadata cdk8s-plus-28 ships in its jsii
 * assembly (`node_modules/cdk8s-plus-28/.jsii`): 582 types generated from the
 * Kubernetes 1.28 OpenAPI document, each property with its JSON name
 * (`docs.custom.schema = "<definition>#<field>"`), its type and whether it is
 * optional. They are turned into JSON Schema with `additionalProperties: false`
 * and checked with ajv: unknown fields, missing required fields and wrong types fail.
 */
import * as fs from 'fs';
import Ajv, { ValidateFunction } from 'ajv';

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

const PREFIX = 'cdk8s-plus-28.k8s.';

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
};

function schemaFor(ref: JsiiTypeRef): object {
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
    const items = schemaFor(ref.collection.elementtype);
    return ref.collection.kind === 'array'
      ? { type: 'array', items }
      : { type: 'object', additionalProperties: items };
  }
  const fqn = ref.fqn!;
  if (fqn === `${PREFIX}Quantity`) return { type: ['string', 'number'] };
  if (fqn === `${PREFIX}IntOrString`) return { anyOf: [{ type: 'string' }, { type: 'integer' }] };
  if (!fqn.startsWith(PREFIX)) return {};
  return { $ref: `#/definitions/${fqn.slice(PREFIX.length)}` };
}

/** JSON field name of a property: the part after '#' of its schema reference. */
function jsonName(property: JsiiProperty): string {
  const schema = property.docs?.custom?.schema;
  return schema && schema.includes('#') ? schema.slice(schema.indexOf('#') + 1) : property.name;
}

function objectSchema(type: JsiiType): object {
  const properties: Record<string, object> = {};
  const required: string[] = [];
  for (const property of type.properties ?? []) {
    const name = jsonName(property);
    properties[name] = schemaFor(property.type);
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

/** Validates Kubernetes objects strictly against the 1.28 API. */
export class K8sSchema {
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly propsTypeOf = new Map<string, string>();
  /** Number of type definitions read from the assembly. */
  public readonly definitionCount: number;

  constructor() {
    const assembly = JSON.parse(fs.readFileSync(require.resolve('cdk8s-plus-28/.jsii'), 'utf-8'));
    const definitions: Record<string, object> = {};
    for (const [fqn, type] of Object.entries<JsiiType>(assembly.types)) {
      if (!fqn.startsWith(PREFIX)) continue;
      const name = fqn.slice(PREFIX.length);
      if (type.kind === 'interface') definitions[name] = objectSchema(type);
      const summary = type.initializer?.docs?.summary;
      const match = type.kind === 'class' && summary ? /^Defines a "(.+)" API object\.$/.exec(summary) : null;
      const gvk = match ? groupVersionKind(match[1]) : undefined;
      if (gvk) this.propsTypeOf.set(`${gvk.apiVersion}/${gvk.kind}`, `${name}Props`);
    }
    this.definitionCount = Object.keys(assembly.types).filter(t => t.startsWith(PREFIX)).length;
    this.ajv = new Ajv({ allErrors: true, strict: false });
    this.ajv.addSchema({ $id: 'k8s', definitions }, 'k8s');
  }

  /** Returns the validation errors of one object (empty when it is valid). */
  public errors(object: any): string[] {
    const key = `${object?.apiVersion}/${object?.kind}`;
    const propsType = this.propsTypeOf.get(key);
    if (!propsType) return [`no Kubernetes 1.28 schema for apiVersion/kind '${key}'`];
    let validate = this.validators.get(propsType);
    if (!validate) {
      validate = this.ajv.getSchema(`k8s#/definitions/${propsType}`)!;
      this.validators.set(propsType, validate);
    }
    const { apiVersion: _apiVersion, kind: _kind, ...body } = object;
    const problems: string[] = [];
    if (typeof object.metadata?.name !== 'string') problems.push(`${object.kind}: /metadata/name is required`);
    if (!validate(body)) {
      for (const e of validate.errors ?? []) {
        const extra = 'additionalProperty' in e.params ? ` '${(e.params as any).additionalProperty}'` : '';
        problems.push(`${object.kind} ${object.metadata?.name ?? '?'}: ${e.instancePath || '/'} ${e.message}${extra}`);
      }
    }
    return problems;
  }
}
