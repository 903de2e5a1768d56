/**
 * Same-process A/B of the synthesis phases: every variant builds its construct tree, renders it
 * (`Chart.toJson()`) and writes YAML (`Yaml.stringify`), alternating in all six orders, garbage
 * collected before each synthesis; prints the median (and fastest) milliseconds per phase and the
 * RainbondComponent / floor ratios; then times YAML of the same documents as RainbondComponent and as the
 * floor render them (cdk8s-plus's generated serializers build other objects than plain `ApiObject`s do).
 * A quick check of a change before a full `npm run bench`:
 *
 *   node --expose-gc -r ts-node/register bench/phases.ts [--size 1000] [--reps 12]
 */
import { parseArgs } from 'util';
import { Chart, Yaml } from 'cdk8s';
import { median } from './stats';
import { buildApp, floorManifests, synthesizeObjects, Variant, VARIANTS } from './synthesize';
import { collectGarbage, permutations } from './timing';
import { workloadMix } from './workload-mix';

/** The phases of one synthesis, in milliseconds. */
export interface PhaseTimes {
  readonly build: number;
  readonly toJson: number;
  readonly yaml: number;
  readonly total: number;
  /** User + system CPU time of the process (includes the garbage collector's threads). */
  readonly cpu: number;
}

/** Times the phases of one synthesis of the chart `build` returns: building it is the first phase. */
export function timeSynthesisPhases(build: () => Chart): PhaseTimes {
  collectGarbage();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const chart = build();
  const built = performance.now();
  const json = chart.toJson();
  const rendered = performance.now();
  Yaml.stringify(...json);
  const end = performance.now();
  const cpu = process.cpuUsage(cpuStart);
  return { build: built - start, toJson: rendered - built, yaml: end - rendered, total: end - start, cpu: (cpu.user + cpu.system) / 1000 };
}

/**
 * The results of `reps` runs of every function `runs` holds, after `warmup` untimed rounds; the
 * functions alternate, their order cycling through every permutation of the keys.
 */
export function alternate<K extends string, T>(runs: Record<K, () => T>, reps: number, warmup = 2): Record<K, T[]> {
  const keys = Object.keys(runs) as K[];
  const orders = permutations(keys);
  const samples = Object.fromEntries(keys.map(key => [key, []])) as unknown as Record<K, T[]>;
  for (let rep = 0; rep < warmup + reps; rep++) {
    for (const key of orders[rep % orders.length]) {
      const result = runs[key]();
      if (rep >= warmup) samples[key].push(result);
    }
  }
  return samples;
}

/**
 * The phases of `reps` syntheses of every chart `builds` returns, after `warmup` untimed rounds; the
 * builders alternate, their order cycling through every permutation of the keys.
 */
export function alternatePhases<K extends string>(builds: Record<K, () => Chart>, reps: number, warmup = 2): Record<K, PhaseTimes[]> {
  const keys = Object.keys(builds) as K[];
  const runs = Object.fromEntries(keys.map(key => [key, () => timeSynthesisPhases(builds[key])])) as unknown as Record<K, () => PhaseTimes>;
  return alternate(runs, reps, warmup);
}

/** Medians and minima of every phase per variant, after `warmup` untimed rounds. */
export function measurePhases(size: number, reps: number, warmup = 2): Record<Variant, { median: PhaseTimes; min: PhaseTimes }> {
  const specs = workloadMix(size);
  floorManifests(specs); // the floor's input, untimed
  const builds = Object.fromEntries(VARIANTS.map(variant => [variant, () => buildApp(variant, specs).chart])) as Record<Variant, () => Chart>;
  const samples = alternatePhases(builds, reps, warmup);
  const summarize = (of: PhaseTimes[], f: (values: number[]) => number): PhaseTimes => ({
    build: f(of.map(t => t.build)),
    toJson: f(of.map(t => t.toJson)),
    yaml: f(of.map(t => t.yaml)),
    total: f(of.map(t => t.total)),
    cpu: f(of.map(t => t.cpu)),
  });
  const result = {} as Record<Variant, { median: PhaseTimes; min: PhaseTimes }>;
  for (const variant of VARIANTS) {
    result[variant] = { median: summarize(samples[variant], median), min: summarize(samples[variant], values => Math.min(...values)) };
  }
  return result;
}

/**
 * Milliseconds of `reps` runs of `Yaml.stringify` over each of `documents`' arrays, alternating, after
 * `warmup` untimed rounds, garbage collected before each. The arrays are the same documents as two
 * renderings built them: they must write the same YAML, byte for byte, or this throws.
 */
export function timeYamlOfSameDocuments<K extends string>(documents: Record<K, readonly any[]>, reps: number, warmup = 2): Record<K, number[]> {
  const keys = Object.keys(documents) as K[];
  const yaml = keys.map(key => Yaml.stringify(...documents[key]));
  const differing = keys.filter((_, i) => yaml[i] !== yaml[0]);
  if (differing.length > 0) {
    throw new Error(`timeYamlOfSameDocuments: ${differing.join(', ')} write other YAML than ${keys[0]}; compare the same documents`);
  }
  const timeYaml = (key: K) => () => {
    collectGarbage();
    const start = performance.now();
    Yaml.stringify(...documents[key]);
    return performance.now() - start;
  };
  return alternate(Object.fromEntries(keys.map(key => [key, timeYaml(key)])) as unknown as Record<K, () => number>, reps, warmup);
}

if (require.main === module) {
  const { values } = parseArgs({ options: { size: { type: 'string', default: '1000' }, reps: { type: 'string', default: '12' } } });
  const size = Number(values.size);
  const reps = Number(values.reps);
  if (!Number.isInteger(size) || size < 1 || !Number.isInteger(reps) || reps < 1) {
    throw new Error(`phases: --size and --reps must be whole numbers of at least 1, got '${values.size}' and '${values.reps}'`);
  }
  const result = measurePhases(size, reps);
  const cell = (variant: Variant, phase: keyof PhaseTimes) => `${result[variant].median[phase].toFixed(0)} (${result[variant].min[phase].toFixed(0)})`;
  console.log(`N=${size}, ${reps} repetitions; median (fastest) ms`);
  console.log('| variant | build | toJson | YAML | total | CPU |\n|---|--:|--:|--:|--:|--:|');
  for (const variant of VARIANTS) {
    console.log(`| ${variant} | ${(['build', 'toJson', 'yaml', 'total', 'cpu'] as const).map(p => cell(variant, p)).join(' | ')} |`);
  }
  const ratio = (phase: keyof PhaseTimes) => (result.rainbond.median[phase] / result.floor.median[phase]).toFixed(3);
  const nonYaml = (v: Variant) => result[v].median.build + result[v].median.toJson;
  console.log(`RainbondComponent / floor: total ${ratio('total')}, CPU ${ratio('cpu')}, without YAML ${(nonYaml('rainbond') / nonYaml('floor')).toFixed(2)}`);
  const specs = workloadMix(size);
  const yaml = timeYamlOfSameDocuments({ rainbond: synthesizeObjects('rainbond', specs), floor: synthesizeObjects('floor', specs) }, reps);
  const ms = (samples: number[]) => `${median(samples).toFixed(0)} (${Math.min(...samples).toFixed(0)})`;
  console.log(`YAML of the same documents, byte for byte, as RainbondComponent renders them ${ms(yaml.rainbond)} ms, as the floor renders them ${ms(yaml.floor)} ms: `
    + `ratio ${(median(yaml.rainbond) / median(yaml.floor)).toFixed(3)}`);
}
