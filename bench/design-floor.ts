/**
 * What any component design pays at the least over the floor, measured in one process: the floor's
 * manifests grouped under one construct per component, then also allocated inside the timed
 * region (deep-copied while the tree is built, as a component that writes its manifests must at
 * least allocate them), against the floor and RainbondComponent. The variants alternate in all
 * orders, garbage collected before each synthesis; prints the median milliseconds per phase and
 * total / floor.
 *
 *   node --expose-gc -r ts-node/register bench/design-floor.ts [--size 1000] [--reps 14]
 *
 * Findings: bench/PROFILE.md ("What any design pays", issue 9, sixth step).
 */
import { parseArgs } from 'util';
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { alternatePhases, PhaseTimes } from './phases';
import { median } from './stats';
import { buildApp, floorManifests } from './synthesize';
import { BENCH_NAMESPACE, ComponentSpec, workloadMix } from './workload-mix';
import { LABEL_INSTANCE } from '../src/guard/manifest';

type DesignVariant = 'floor' | 'grouped' | 'copied' | 'rainbond';
const DESIGN_VARIANTS: readonly DesignVariant[] = ['floor', 'grouped', 'copied', 'rainbond'];

/** What each variant is, for the printed table. */
const DESCRIPTIONS: Record<DesignVariant, string> = {
  floor: 'the floor: manifests replayed as ApiObjects under the chart',
  grouped: 'the same ApiObjects under one construct per component',
  copied: 'grouped, each manifest deep-copied while the tree is built',
  rainbond: 'RainbondComponent',
};

/** A deep copy of a JSON value, made by allocating every object and array again. */
export function copyJson(value: any): any {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyJson);
  const copy: any = {};
  for (const key of Object.keys(value)) copy[key] = copyJson(value[key]);
  return copy;
}

/**
 * The manifests split into runs of consecutive objects of one component, in order, by the instance
 * label every object of a component carries. Throws for a manifest without the label: every object of the mix has one.
 */
export function componentRuns(manifests: readonly any[]): any[][] {
  const runs: any[][] = [];
  let current: string | undefined;
  for (const manifest of manifests) {
    const instance = manifest.metadata?.labels?.[LABEL_INSTANCE];
    if (instance === undefined) throw new Error(`design-floor: ${manifest.kind} ${manifest.metadata?.name} has no ${LABEL_INSTANCE} label`);
    if (instance !== current) runs.push([]);
    runs[runs.length - 1].push(manifest);
    current = instance;
  }
  return runs;
}

/** The floor's manifests under one construct per component, copied first when `copy` is set. */
function buildGrouped(specs: readonly ComponentSpec[], copy: boolean): Chart {
  const chart = new Chart(new App(), 'bench', { namespace: BENCH_NAMESPACE });
  componentRuns(floorManifests(specs)).forEach((run, index) => {
    const scope = new Construct(chart, `c${index}`);
    run.forEach((manifest, i) => new ApiObject(scope, `o${i}`, copy ? copyJson(manifest) : manifest));
  });
  return chart;
}

function main(): void {
  const { values } = parseArgs({ options: { size: { type: 'string', default: '1000' }, reps: { type: 'string', default: '14' } } });
  const size = Number(values.size);
  const reps = Number(values.reps);
  if (!Number.isInteger(size) || size < 1 || !Number.isInteger(reps) || reps < 1) {
    throw new Error('design-floor: give whole numbers of at least 1 for --size and --reps');
  }
  const specs = workloadMix(size);
  floorManifests(specs); // the floor's input, untimed
  const build: Record<DesignVariant, () => Chart> = {
    floor: () => buildApp('floor', specs).chart,
    grouped: () => buildGrouped(specs, false),
    copied: () => buildGrouped(specs, true),
    rainbond: () => buildApp('rainbond', specs).chart,
  };
  const times = alternatePhases(build, reps);
  const floorTotal = median(times.floor.map(t => t.total));
  console.log(`N=${size}, ${reps} repetitions; median ms`);
  console.log('| variant | build | toJson | yaml | total | total / floor |\n|---|--:|--:|--:|--:|--:|');
  for (const variant of DESIGN_VARIANTS) {
    const cell = (phase: keyof PhaseTimes) => median(times[variant].map(t => t[phase])).toFixed(1);
    const ratio = (median(times[variant].map(t => t.total)) / floorTotal).toFixed(3);
    console.log(`| ${DESCRIPTIONS[variant]} | ${cell('build')} | ${cell('toJson')} | ${cell('yaml')} | ${cell('total')} | ${ratio} |`);
  }
}

if (require.main === module) main();
