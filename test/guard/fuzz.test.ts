/**
 * Property test: a field of a real synthesized manifest (the before/after pairs of the corpus) set to a
 * value of the wrong type (a list to a string, a mapping to a number, anything to null, ...) gives either
 * a report (which formats) or the guard's own GuardInputError naming the object and the field, never a
 * TypeError from inside the guard. Seeded, so a failure reproduces; the case is in the failure message.
 */
import { corpusPairs } from './corpus-pairs';
import { toYaml } from './synth';
import { ManifestGuard } from '../../src/guard';

/** Park-Miller minimal standard generator: seeded, so every run draws the same cases. */
function random(seed: number): () => number {
  let state = seed % 2147483647;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

/** Values of the wrong type for most fields, and of the right type for some. */
const VALUES: unknown[] = ['', 'x', '3', 0, 5, -1, 1.5, Infinity, null, true, {}, { a: 5 }, [], [null], [5], ['x'], [{}]];

/** Every path into an object, e.g. `['spec', 'template', 'spec', 'containers', '0', 'image']`. */
function paths(value: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      out.push([...prefix, key]);
      paths((value as any)[key], [...prefix, key], out);
    }
  }
  return out;
}

/** Identity fields: their checks are the loader's (test/guard/load.test.ts). */
function isIdentity(path: string[]): boolean {
  const field = path.join('.');
  return ['apiVersion', 'kind', 'metadata', 'metadata.name', 'metadata.namespace'].includes(field);
}

/** A path as the guard's messages write it: `spec.containers[0].env`, `metadata.annotations["rainbond.io/component"]`. */
function fieldName(path: string[]): string {
  return path.map((key, i) => {
    if (/^\d+$/.test(key)) return `[${key}]`;
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return i === 0 ? key : `.${key}`;
    return `[${JSON.stringify(key)}]`;
  }).join('');
}

function setPath(obj: any, path: string[], value: unknown): void {
  let at = obj;
  for (const key of path.slice(0, -1)) at = at[key];
  at[path[path.length - 1]] = value;
}

const clone = <T>(value: T): T => structuredClone(value);

const CASES = 1000;

test(`${CASES} manifests with a field of the wrong type: a report or a GuardInputError naming the object and the field`, () => {
  const pairs = corpusPairs();
  const next = random(20240611);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  let reports = 0;
  let refused = 0;
  for (let i = 0; i < CASES; i++) {
    const pair = pick(pairs);
    const side = pick(['before', 'after', 'both'] as const);
    const target = pick(side === 'after' ? pair.after : pair.before);
    const path = pick(paths(target).filter(p => !isIdentity(p)));
    const value = pick(VALUES);
    const before = clone(pair.before);
    const after = clone(pair.after);
    for (const objects of side === 'before' ? [before] : side === 'after' ? [after] : [before, after]) {
      const obj = objects.find(o => o.kind === target.kind && o.metadata.name === target.metadata.name);
      if (obj) setPath(obj, path, clone(value));
    }
    const object = `${target.kind} ${target.metadata.namespace ? `${target.metadata.namespace}/` : ''}${target.metadata.name}`;
    const what = `case ${i}: ${pair.name}, ${side}: ${object} ${fieldName(path)} = ${JSON.stringify(value)}`;
    try {
      const report = ManifestGuard.compare(toYaml(before), toYaml(after));
      expect(typeof ManifestGuard.format(report, { verbose: true })).toBe('string');
      reports++;
    } catch (e) {
      const error = e as Error;
      if (error instanceof TypeError || error.name !== 'GuardInputError') {
        throw new Error(`${what}: ${error.name}: ${error.message}\n${error.stack}`);
      }
      // the mutated object is the only one whose fields changed, so it is the one named; the field is the mutated one, one that
      // holds it, or one inside the value it was set to
      const shape = /^(?:before|after) \(document \d+\): (.+?): ((?:metadata|spec|data|binaryData|stringData)\S*) must be /.exec(error.message);
      if (shape) {
        if (shape[1] !== object) throw new Error(`${what}: names ${shape[1]}, not ${object}: ${error.message}`);
        const field = fieldName(path);
        const named = shape[2];
        const within = (inner: string, outer: string) => inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
        if (!within(field, named) && !within(named, field)) {
          throw new Error(`${what}: names the field ${named}, which neither holds nor is inside ${field}: ${error.message}`);
        }
      } else if (!/contains objects made by cdk8s-rainbond/.test(error.message)) {
        // the only other refusal: a marker set to a falsy value leaves no component to check
        throw new Error(`${what}: unexpected GuardInputError: ${error.message}`);
      }
      refused++;
    }
  }
  // both outcomes are exercised
  expect(reports).toBeGreaterThan(CASES / 4);
  expect(refused).toBeGreaterThan(CASES / 20);
}, 120_000);
