/**
 * One synthesis of the benchmark application by either variant: the unit the
 * bench times and measures.
 */
import { App, Chart } from 'cdk8s';
import { addHandWrittenComponent } from './baseline';
import { addRainbondComponent } from './rainbond-variant';
import { BENCH_NAMESPACE, ComponentSpec } from './workload-mix';

/** How the application is written. */
export type Variant = 'rainbond' | 'baseline';

/** Both variants, in the order they are reported. */
export const VARIANTS: readonly Variant[] = ['rainbond', 'baseline'];

/** Display name of a variant. */
export function variantTitle(variant: Variant): string {
  return variant === 'rainbond' ? 'RainbondComponent' : 'hand-written cdk8s-plus';
}

/**
 * Builds the construct tree of the application: one chart in namespace
 * `bench`, one component per spec. `afterComponent(i)` runs after component i
 * (used to sample the heap).
 */
export function buildApp(variant: Variant, specs: readonly ComponentSpec[], afterComponent?: (index: number) => void): { app: App; chart: Chart } {
  const app = new App();
  const chart = new Chart(app, 'bench', { namespace: BENCH_NAMESPACE });
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
