/**
 * Every variant synthesized alternately in one process, each inside a
 * function of its own, so one CPU profile separates them:
 *
 *   node --cpu-prof --cpu-prof-dir bench-out/prof --expose-gc -r ts-node/register bench/pair-run.ts 2000 5
 *   node -r ts-node/register bench/cpu-profile.ts bench-out/prof/<file>.cpuprofile '^synthRainbond ' 30
 *   node -r ts-node/register bench/cpu-profile.ts bench-out/prof/<file>.cpuprofile '^synthBaseline ' 30
 *   node -r ts-node/register bench/cpu-profile.ts bench-out/prof/<file>.cpuprofile '^synthFloor ' 30
 */
import { floorManifests, synthesizeYaml } from './synthesize';
import { collectGarbage, variantOrder } from './timing';
import { ComponentSpec, workloadMix } from './workload-mix';

/** One RainbondComponent synthesis (a profile frame of its own). */
export function synthRainbond(specs: readonly ComponentSpec[]): string {
  return synthesizeYaml('rainbond', specs);
}

/** One baseline synthesis (a profile frame of its own). */
export function synthBaseline(specs: readonly ComponentSpec[]): string {
  return synthesizeYaml('baseline', specs);
}

/** One floor synthesis: RainbondComponent's manifests replayed as plain ApiObjects (a profile frame of its own). */
export function synthFloor(specs: readonly ComponentSpec[]): string {
  return synthesizeYaml('floor', specs);
}

/** `rounds` rounds of every variant at `size`, alternating which runs first. */
export function pairRun(size: number, rounds: number): void {
  const specs = workloadMix(size);
  floorManifests(specs);
  for (let round = 0; round < rounds; round++) {
    for (const variant of variantOrder(round)) {
      collectGarbage();
      if (variant === 'rainbond') synthRainbond(specs);
      else if (variant === 'baseline') synthBaseline(specs);
      else synthFloor(specs);
    }
  }
}

if (require.main === module) {
  const [size, rounds] = process.argv.slice(2).map(Number);
  pairRun(size || 2000, rounds || 5);
}
