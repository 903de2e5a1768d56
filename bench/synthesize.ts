/**
 * One synthesis of the benchmark application by any variant: the unit the
 * bench times and measures.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { addHandWrittenComponent } from './baseline';
import { addRainbondComponent } from './rainbond-variant';
import { BENCH_NAMESPACE, ComponentSpec } from './workload-mix';

/**
 * How the application is written: with RainbondComponent, by hand with cdk8s-plus,
 * or as the floor: RainbondComponent's synthesized manifests replayed as plain
 * `ApiObject`s in a fresh app (what cdk8s itself costs for the same objects).
 */
export type Variant = 'rainbond' | 'baseline' | 'floor';

/** Every variant, in the order they are reported. */
export const VARIANTS: readonly Variant[] = ['rainbond', 'baseline', 'floor'];

/** Display name of a variant. */
export function variantTitle(variant: Variant): string {
  switch (variant) {
    case 'rainbond': return 'RainbondComponent';
    case 'baseline': return 'hand-written cdk8s-plus';
    case 'floor': return 'plain ApiObjects (floor)';
  }
}

/** The floor's input per mix: computed once per spec array, untimed, shared by every repetition. */
const floorInputs = new WeakMap<readonly ComponentSpec[], readonly any[]>();

/**
 * The manifests the floor replays: RainbondComponent's synthesized objects for
 * `specs` (computed on the first call for this array and cached, so timing the
 * floor never pays for producing its input).
 */
export function floorManifests(specs: readonly ComponentSpec[]): readonly any[] {
  let manifests = floorInputs.get(specs);
  if (!manifests) {
    manifests = synthesizeObjects('rainbond', specs);
    floorInputs.set(specs, manifests);
  }
  return manifests;
}

/** Adds every manifest to `chart` as a plain ApiObject, in order. cdk8s does not modify the props it is given. */
export function replayManifests(chart: Chart, manifests: readonly any[], afterObject?: (index: number) => void): void {
  manifests.forEach((manifest, index) => {
    new ApiObject(chart, `o${index}`, manifest);
    afterObject?.(index);
  });
}

/**
 * Builds the construct tree of the application: one chart in namespace
 * `bench`, one component per spec (the floor: one ApiObject per manifest).
 * `afterComponent(i)` runs after component (or floor object) i, to sample the heap.
 * Call `floorManifests(specs)` first to keep the floor's input out of a measurement.
 */
export function buildApp(variant: Variant, specs: readonly ComponentSpec[], afterComponent?: (index: number) => void): { app: App; chart: Chart } {
  const manifests = variant === 'floor' ? floorManifests(specs) : undefined;
  const app = new App();
  const chart = new Chart(app, 'bench', { namespace: BENCH_NAMESPACE });
  if (manifests) {
    replayManifests(chart, manifests, afterComponent);
    return { app, chart };
  }
  specs.forEach((spec, index) => {
    if (variant === 'rainbond') addRainbondComponent(chart, spec);
    else addHandWrittenComponent(chart, spec, BENCH_NAMESPACE);
    afterComponent?.(index);
  });
  return { app, chart };
}

/** What the bench times: the construct tree plus `app.synthYaml()`. Returns the YAML. */
export function synthesizeYaml(variant: Variant, specs: readonly ComponentSpec[]): string {
  return buildApp(variant, specs).app.synthYaml();
}

/** The synthesized objects as plain JSON (for checks, not timed). */
export function synthesizeObjects(variant: Variant, specs: readonly ComponentSpec[]): any[] {
  return buildApp(variant, specs).chart.toJson();
}
