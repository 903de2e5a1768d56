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
 * `Yaml.stringify`) and the per-repetition median of current / base.
 */
import { join, resolve } from 'path';
import { parseArgs } from 'util';
import { Chart } from 'cdk8s';
import { alternatePhases } from './phases';
import { median } from './stats';
import * as current from './synthesize';
import { workloadMix } from './workload-mix';

type Version = 'current' | 'base' | 'floor';
const VERSIONS: readonly Version[] = ['current', 'base', 'floor'];
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

  const build: Record<Version, () => Chart> = {
    current: () => current.buildApp('rainbond', specs).chart,
    base: () => base.buildApp('rainbond', specs).chart,
    floor: () => current.buildApp('floor', specs).chart,
  };
  const times = alternatePhases(build, reps);

  const floorTotal = median(times.floor.map(t => t.total));
  console.log(`N=${size}, ${reps} repetitions; median ms`);
  console.log(`| version | ${PHASES.join(' | ')} | total / floor |\n|---|--:|--:|--:|--:|--:|`);
  for (const version of VERSIONS) {
    const cells = PHASES.map(phase => median(times[version].map(t => t[phase])).toFixed(1));
    console.log(`| ${version} | ${cells.join(' | ')} | ${(median(times[version].map(t => t.total)) / floorTotal).toFixed(3)} |`);
  }
  const perRep = (phase: typeof PHASES[number]) => median(times.current.map((t, rep) => t[phase] / times.base[rep][phase])).toFixed(3);
  console.log(`current / base, median of the repetitions: ${PHASES.map(phase => `${phase} ${perRep(phase)}`).join(', ')}`);
}

if (require.main === module) main();
