/**
 * Same-process A/B of two versions of the code: the working tree's RainbondComponent against a
 * base checkout's, and the floor, alternating in all six orders, garbage collected before each
 * synthesis. Separate processes drift by a few percent on a shared machine, more than most single
 * changes are worth; in one process both versions meet the same machine state.
 *
 *   git worktree add /tmp/base <rev> && ln -s "$PWD/node_modules" /tmp/base/node_modules
 *   node --expose-gc -r ts-node/register bench/versions.ts --base /tmp/base [--size 1000] [--reps 18]
 *
 * The base's `node_modules` must be this checkout's (the symlink), so that both versions build
 * their trees with the same cdk8s instance. Prints medians per phase (build, `Chart.toJson()`,
 * `Yaml.stringify`) and the per-repetition median of current / base. Findings: bench/PROFILE.md.
 */
import { join, resolve } from 'path';
import { parseArgs } from 'util';
import { Yaml } from 'cdk8s';
import { median } from './stats';
import * as current from './synthesize';
import { collectGarbage } from './timing';
import { workloadMix } from './workload-mix';

type Version = 'current' | 'base' | 'floor';
const ORDERS: readonly Version[][] = [
  ['current', 'base', 'floor'], ['base', 'floor', 'current'], ['floor', 'current', 'base'],
  ['current', 'floor', 'base'], ['base', 'current', 'floor'], ['floor', 'base', 'current'],
];
const PHASES = ['build', 'toJson', 'yaml', 'total'] as const;

function main(): void {
  const { values } = parseArgs({
    options: { base: { type: 'string' }, size: { type: 'string', default: '1000' }, reps: { type: 'string', default: '18' } },
  });
  const size = Number(values.size);
  const reps = Number(values.reps);
  if (!values.base || !Number.isInteger(size) || size < 1 || !Number.isInteger(reps) || reps < 1) {
    throw new Error('versions: give --base <checkout of the base version>, and whole numbers of at least 1 for --size and --reps');
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const base = require(join(resolve(values.base), 'bench', 'synthesize')) as typeof current;
  const specs = workloadMix(size);
  current.floorManifests(specs); // the floor's input, untimed

  const synthesize = (version: Version): number[] => {
    collectGarbage();
    const start = performance.now();
    const { chart } = version === 'base' ? base.buildApp('rainbond', specs) : current.buildApp(version === 'floor' ? 'floor' : 'rainbond', specs);
    const built = performance.now();
    const json = chart.toJson();
    const rendered = performance.now();
    Yaml.stringify(...json);
    const end = performance.now();
    return [built - start, rendered - built, end - rendered, end - start];
  };
  const times: Record<Version, number[][]> = { current: [], base: [], floor: [] };
  const warmup = 2;
  for (let rep = 0; rep < warmup + reps; rep++) {
    for (const version of ORDERS[rep % ORDERS.length]) {
      const phases = synthesize(version);
      if (rep >= warmup) times[version].push(phases);
    }
  }

  const floorTotal = median(times.floor.map(t => t[3]));
  console.log(`N=${size}, ${reps} repetitions; median ms`);
  console.log(`| version | ${PHASES.join(' | ')} | total / floor |\n|---|--:|--:|--:|--:|--:|`);
  for (const version of ['current', 'base', 'floor'] as Version[]) {
    const cells = PHASES.map((_, i) => median(times[version].map(t => t[i])).toFixed(1));
    console.log(`| ${version} | ${cells.join(' | ')} | ${(median(times[version].map(t => t[3])) / floorTotal).toFixed(3)} |`);
  }
  const perRep = (i: number) => median(times.current.map((t, rep) => t[i] / times.base[rep][i])).toFixed(3);
  console.log(`current / base, median of the repetitions: ${PHASES.map((phase, i) => `${phase} ${perRep(i)}`).join(', ')}`);
}

if (require.main === module) main();
