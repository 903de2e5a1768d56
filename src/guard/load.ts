import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { describe, KubeObject, ManifestSet, objectKey } from './manifest';
import { describeValue, shapeProblem } from './shape';

/**
 * Unusable guard input (unreadable path, malformed YAML, no objects, a manifest field the guard reads
 * holding the wrong type, an API argument or option of the wrong type). The CLI exits with 2.
 */
export class GuardInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GuardInputError';
  }
}

/**
 * An options object of the API: undefined and null are no options (jsii passes an omitted one as null);
 * anything else but an object is refused, naming the option.
 */
export function optionsObject<T extends object>(value: T | null | undefined, name: string, example: string): T {
  if (value === undefined || value === null) return {} as T;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new GuardInputError(`${name} must be an object such as ${example}, got ${describeValue(value)}; leave it out (or pass null) for the defaults`);
  }
  return value;
}

/**
 * A string argument of the API (manifest text or a path). Callers in any jsii language can pass null or
 * another type; `emptyMeansNothing` adds the hint for `before`, where `''` means nothing is deployed yet.
 */
export function stringArgument(value: unknown, name: string, what: string, emptyMeansNothing: boolean): string {
  if (typeof value === 'string') return value;
  throw new GuardInputError(`${name} must be ${what} (a string), got ${describeValue(value)}`
    + (emptyMeansNothing ? '; pass \'\' when nothing is deployed yet' : ''));
}

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * Parses the documents of one YAML (or JSON) text. cdk8s writes YAML 1.1,
 * so the text is read with the 1.1 schema. `List` kinds are expanded; empty documents skipped.
 */
export function parseManifestText(text: string, source: string): KubeObject[] {
  const docs = YAML.parseAllDocuments(text, { version: '1.1', prettyErrors: true });
  const objects: KubeObject[] = [];
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, index) => {
    const where = list.length > 1 ? `${source} (document ${index + 1})` : source;
    if (doc.errors.length > 0) {
      throw new GuardInputError(`${where}: malformed YAML: ${firstLine(doc.errors[0].message)}`);
    }
    let value: unknown;
    try {
      value = doc.toJS();
    } catch (e) {
      throw new GuardInputError(`${where}: malformed YAML: ${firstLine((e as Error).message)}`);
    }
    objects.push(...toObjects(value, where));
  });
  return objects;
}

/** Validates one parsed document as Kubernetes object(s). */
function toObjects(value: unknown, where: string): KubeObject[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => toObjects(item, `${where} item ${i + 1}`));
  if (typeof value !== 'object') {
    throw new GuardInputError(`${where}: expected a Kubernetes object (a mapping with apiVersion, kind and metadata.name), got ${typeof value}`);
  }
  const obj = value as Record<string, any>;
  if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
    return obj.items.flatMap((item: unknown, i: number) => toObjects(item, `${where} ${obj.kind} item ${i + 1}`));
  }
  const missing = ['apiVersion', 'kind'].filter(field => typeof obj[field] !== 'string' || obj[field] === '');
  if (typeof obj.metadata?.name !== 'string' || obj.metadata.name === '') missing.push('metadata.name');
  if (missing.length > 0) {
    throw new GuardInputError(`${where}: not a Kubernetes object, missing ${missing.join(', ')}`);
  }
  const namespace = obj.metadata.namespace;
  if (namespace !== undefined && namespace !== null && typeof namespace !== 'string') {
    throw new GuardInputError(`${where}: ${obj.kind} ${obj.metadata.name}: metadata.namespace must be a string, got ${typeof namespace} ${String(namespace)}`
      + ' (YAML 1.1 reads unquoted y/n/yes/no/on/off as booleans: quote the value)');
  }
  const problem = shapeProblem(obj as KubeObject);
  if (problem) throw new GuardInputError(`${where}: ${describe(obj as KubeObject)}: ${problem}`);
  return [obj as KubeObject];
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}

/** Parses JSON text: one object, an array of objects or a List. */
function parseJsonText(text: string, source: string): KubeObject[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new GuardInputError(`${source}: malformed JSON: ${(e as Error).message}`);
  }
  return toObjects(value, source);
}

/** Objects of one file; `.json` files are read as JSON, everything else as YAML. */
export function parseManifestFile(file: string): KubeObject[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch (e) {
    throw new GuardInputError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return file.toLowerCase().endsWith('.json') ? parseJsonText(text, file) : parseManifestText(text, file);
}

/** Manifest files under a directory (recursive, sorted; hidden folders and node_modules skipped). */
export function listManifestFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && entry.name !== 'node_modules') files.push(...listManifestFiles(full));
    } else if (MANIFEST_EXTENSIONS.some(ext => entry.name.toLowerCase().endsWith(ext))) {
      files.push(full);
    }
  }
  return files;
}

/** Keys objects by `kind/namespace/name`; the same object twice in one input is an error. */
export function toManifestSet(source: string, objects: KubeObject[]): ManifestSet {
  if (objects.length === 0) {
    throw new GuardInputError(`${source}: contains no Kubernetes objects`);
  }
  const map = new Map<string, KubeObject>();
  for (const obj of objects) {
    const key = objectKey(obj);
    if (map.has(key)) {
      throw new GuardInputError(`${source}: ${obj.kind} ${obj.metadata.namespace ?? ''}/${obj.metadata.name} appears twice; each object must be defined once`);
    }
    map.set(key, obj);
  }
  return { source, objects: map };
}

/** Loads a file or a directory of manifests (`*.yaml`, `*.yml`, `*.json`). */
export function loadManifests(target: string): ManifestSet {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw new GuardInputError(`${target}: no such file or directory`);
  }
  if (stat.isDirectory()) {
    const files = listManifestFiles(target);
    if (files.length === 0) {
      throw new GuardInputError(`${target}: no manifests (*.yaml, *.yml, *.json) in this directory`);
    }
    return toManifestSet(target, files.flatMap(parseManifestFile));
  }
  return toManifestSet(target, parseManifestFile(target));
}

/** Loads manifests from YAML (or JSON) text. */
export function loadManifestText(text: string, source: string): ManifestSet {
  return toManifestSet(source, parseManifestText(text, source));
}

/** No objects: nothing is deployed yet. */
function nothingDeployed(source: string): ManifestSet {
  return { source: `${source} (nothing deployed)`, objects: new Map() };
}

/**
 * What is deployed now, from text. Text without any object (empty, whitespace, comments) means
 * nothing is deployed yet: a first deployment.
 */
export function loadDeployedText(text: string, source: string): ManifestSet {
  const objects = parseManifestText(text, source);
  return objects.length === 0 ? nothingDeployed(source) : toManifestSet(source, objects);
}

/**
 * What is deployed now, from a path. Undefined or `''`, an empty file and a directory without
 * manifests mean nothing is deployed yet (a first deployment); a path that does not exist stays an
 * error, so a typo can't turn the guard into a no-op.
 */
export function loadDeployedManifests(target: string | undefined): ManifestSet {
  if (target === undefined || target.trim() === '') return nothingDeployed('before');
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(target);
  } catch {
    stat = undefined; // loadManifests reports the missing path
  }
  if (stat?.isDirectory() && listManifestFiles(target).length === 0) return nothingDeployed(target);
  if (stat?.isFile()) {
    const objects = parseManifestFile(target);
    return objects.length === 0 ? nothingDeployed(target) : toManifestSet(target, objects);
  }
  return loadManifests(target);
}
