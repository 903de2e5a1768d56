/**
 * Turns measurements into the BENCHMARKS.md table and the target checks.
 * Pure: no timing, no file system.
 */
import { describeCounts, totalObjects } from './census';
import { HeapResult } from './heap';
import { median, range } from './stats';
import { Variant, variantTitle } from './synthesize';
import { MAX_REPS } from './timing';
import { MIX_CYCLE_LENGTH } from './workload-mix';

/** Largest RainbondComponent / baseline ratio of median times the issue accepts. */
export const MAX_RATIO = 1.2;
/** Largest rise of time per component from a smaller to a larger size still called flat (quadratic work would give ~50 from 100 to 5000). */
export const MAX_PER_COMPONENT_GROWTH = 1.5;
/** Smallest size whose time per component counts for flatness (smaller ones are dominated by fixed costs). */
export const FLATNESS_FROM_SIZE = 100;
/** Size at which the heap target applies. */
export const HEAP_TARGET_SIZE = 5000;

/** The machine and software the numbers come from. */
export interface MachineInfo {
  readonly date: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly defaultHeapLimitMiB: number;
  /** 1-minute load average when the run started and when it ended (other processes share the machine). */
  readonly loadAverage: { start: number; end: number };
  readonly versions: { [pkg: string]: string };
}

/** How the bench ran. */
export interface RunSettings {
  readonly command: string;
  readonly reps: number;
  readonly minSeconds: number;
  readonly warmup: number;
  readonly warmupSize: number;
  readonly warmupRounds: number;
  /** Old-space limit of the heap children (MiB). */
  readonly heapLimitMiB: number;
}

/** Everything measured at one size. */
export interface SizeResult {
  readonly size: number;
  readonly kinds: Record<Variant, Record<string, number>>;
  readonly timesMs: Record<Variant, number[]>;
  /** CPU milliseconds per repetition and variant, in repetition order. */
  readonly cpuMs: Record<Variant, number[]>;
  /** Heap per variant; missing when heap measurement was skipped. */
  readonly heap?: Partial<Record<Variant, HeapResult>>;
  /** Why a heap measurement failed (e.g. out of memory). */
  readonly heapErrors?: string[];
}

/** Result of comparing the two variants' manifests object by object. */
export interface Equivalence {
  readonly size: number;
  readonly objects: number;
  readonly differing: string[];
}

/** Derived numbers of one size. */
export interface SizeSummary {
  readonly size: number;
  readonly objects: number;
  readonly medianMs: Record<Variant, number>;
  /** Median RainbondComponent wall-clock time / median baseline wall-clock time. */
  readonly ratio: number;
  /** The same for CPU time (less sensitive to other processes on the machine). */
  readonly cpuRatio: number;
  /** Ratio of the fastest wall-clock repetitions (the least disturbed by other processes). */
  readonly bestRatio: number;
  readonly usPerComponent: Record<Variant, number>;
}

/** One target of the issue and whether it is met. */
export interface TargetCheck {
  readonly target: string;
  /** undefined when the run did not measure it. */
  readonly met?: boolean;
  readonly detail: string;
}

/** Medians, ratio and time per component at one size; fails when the variants produced different objects. */
export function summarize(result: SizeResult): SizeSummary {
  const rb = JSON.stringify(result.kinds.rainbond);
  const bl = JSON.stringify(result.kinds.baseline);
  if (rb !== bl) {
    throw new Error(`bench: at N=${result.size} RainbondComponent produced ${describeCounts(result.kinds.rainbond)} `
      + `but the baseline ${describeCounts(result.kinds.baseline)}. Fix: make bench/baseline.ts write the same objects.`);
  }
  const medianMs = { rainbond: median(result.timesMs.rainbond), baseline: median(result.timesMs.baseline) };
  return {
    size: result.size,
    objects: totalObjects(result.kinds.rainbond),
    medianMs,
    ratio: medianMs.rainbond / medianMs.baseline,
    cpuRatio: median(result.cpuMs.rainbond) / median(result.cpuMs.baseline),
    bestRatio: range(result.timesMs.rainbond).min / range(result.timesMs.baseline).min,
    usPerComponent: {
      rainbond: (medianMs.rainbond * 1000) / result.size,
      baseline: (medianMs.baseline * 1000) / result.size,
    },
  };
}

/** The three targets checked against the summaries. */
export function checkTargets(results: readonly SizeResult[], summaries: readonly SizeSummary[]): TargetCheck[] {
  return [ratioTarget(summaries), flatnessTarget(summaries), heapTarget(results)];
}

function ratioTarget(summaries: readonly SizeSummary[]): TargetCheck {
  const target = `ratio RainbondComponent / baseline <= ${MAX_RATIO} at every N`;
  if (summaries.length === 0) return { target, detail: 'no size measured' };
  const worst = summaries.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  const worstCpu = summaries.reduce((a, b) => (b.cpuRatio > a.cpuRatio ? b : a));
  return {
    target,
    met: worst.ratio <= MAX_RATIO,
    detail: `worst ${worst.ratio.toFixed(2)} at N=${worst.size} (CPU time: worst ${worstCpu.cpuRatio.toFixed(2)} at N=${worstCpu.size})`,
  };
}

/**
 * Largest factor by which time per component rises from a smaller to a larger
 * size (1 when it never rises). Falling time per component, as fixed costs per
 * synthesis are shared by more components, does not count.
 */
export function perComponentGrowth(usPerComponent: readonly number[]): number {
  let growth = 1;
  usPerComponent.forEach((earlier, i) => {
    for (const later of usPerComponent.slice(i + 1)) growth = Math.max(growth, later / earlier);
  });
  return growth;
}

function flatnessTarget(summaries: readonly SizeSummary[]): TargetCheck {
  const target = `time per component does not grow from N=${FLATNESS_FROM_SIZE} up (largest rise to a larger N <= ${MAX_PER_COMPONENT_GROWTH})`;
  const counted = [...summaries].filter(s => s.size >= FLATNESS_FROM_SIZE).sort((a, b) => a.size - b.size);
  if (counted.length < 2) return { target, detail: `needs two sizes >= ${FLATNESS_FROM_SIZE}` };
  const rb = perComponentGrowth(counted.map(s => s.usPerComponent.rainbond));
  const bl = perComponentGrowth(counted.map(s => s.usPerComponent.baseline));
  const values = counted.map(s => `${s.usPerComponent.rainbond.toFixed(0)} µs at N=${s.size}`).join(', ');
  return { target, met: rb <= MAX_PER_COMPONENT_GROWTH, detail: `RainbondComponent ${values}: rise ${rb.toFixed(2)} (baseline ${bl.toFixed(2)})` };
}

function heapTarget(results: readonly SizeResult[]): TargetCheck {
  const target = `${HEAP_TARGET_SIZE} components synthesize within the heap limit of the measuring process`;
  const large = results.filter(r => r.size >= HEAP_TARGET_SIZE && (r.heap || r.heapErrors));
  if (large.length === 0) return { target, detail: `heap not measured at N >= ${HEAP_TARGET_SIZE}` };
  const result = large[large.length - 1];
  const heap = result.heap?.rainbond;
  if (!heap) return { target, met: false, detail: (result.heapErrors ?? []).join('; ') || 'no measurement' };
  return {
    target,
    met: heap.peakMiB < heap.heapLimitMiB,
    detail: `peak heap ${heap.peakMiB.toFixed(0)} MiB of ${heap.heapLimitMiB.toFixed(0)} MiB at N=${result.size} (peak RSS of the process ${heap.maxRssMiB.toFixed(0)} MiB)`,
  };
}

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));

function timeCell(times: readonly number[]): string {
  const { min, max } = range(times);
  return `${ms(median(times))} (${ms(min)}–${ms(max)})`;
}

function heapCell(heap: HeapResult | undefined): string {
  return heap ? `${heap.peakMiB.toFixed(0)} (+${(heap.peakMiB - heap.baseMiB).toFixed(0)})` : '–';
}

function mark(met: boolean | undefined): string {
  return met === undefined ? 'not measured' : met ? 'met' : 'MISSED';
}

/** The whole BENCHMARKS.md text. */
export function renderReport(machine: MachineInfo, settings: RunSettings, results: readonly SizeResult[], equivalence: Equivalence): string {
  const summaries = results.map(summarize);
  const targets = checkTargets(results, summaries);
  const versions = Object.entries(machine.versions).map(([pkg, version]) => `${pkg} ${version}`).join(', ');
  const lines = [
    '# Synthesis benchmark',
    '',
    `Written by \`${settings.command}\` on ${machine.date}.`,
    '',
    `- Machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB.toFixed(1)} GiB memory, ${machine.platform}`,
    `- Node ${machine.node} (default heap limit here ${machine.defaultHeapLimitMiB.toFixed(0)} MiB), ${versions}`,
    `- 1-minute load average ${machine.loadAverage.start.toFixed(2)} at the start, ${machine.loadAverage.end.toFixed(2)} at the end of the run`,
    `- Both variants in one process: ${settings.warmupRounds} untimed rounds of both at N=${settings.warmupSize} first; then per N ${settings.warmup} untimed`
      + ` and at least ${settings.reps} timed repetitions (more until each variant has ${settings.minSeconds} s of measured time, at most ${MAX_REPS}),`
      + ' the variants back to back in alternating order, garbage collected before each synthesis',
    '',
    '## What is measured',
    '',
    `N components of a fixed mix (a cycle of ${MIX_CYCLE_LENGTH}: every deploy type, etcd and ZooKeeper presets, most with volumes; see \`bench/workload-mix.ts\`),`,
    'each written once with `RainbondComponent` and once by hand with cdk8s-plus-28 and its typed `k8s` classes',
    '(`bench/baseline.ts`: `KubeStatefulSet` with `volumeClaimTemplates`, `kplus.Deployment`, `kplus.Service`, `kplus.PersistentVolumeClaim`, `kplus.ConfigMap`, `KubePodDisruptionBudget`).',
    'Time is wall time of building the construct tree plus `app.synthYaml()`. Peak heap is `used_heap_size` sampled',
    `while building and during \`synthYaml()\`, in a separate child process per variant and N, with old space limited to ${settings.heapLimitMiB} MiB`,
    '(less than Node 20 gives by default on a 2-core CI machine with 7 GiB, about a quarter of its memory);',
    'shown as absolute MiB (+ growth over the idle process). The ratio is median RainbondComponent time / median',
    'baseline time; in brackets the same for CPU time (user + system of the process), and the ratio of the fastest',
    'repetitions (the least disturbed by other processes).',
    '',
    `Same application: at N=${equivalence.size} the two variants' ${equivalence.objects} objects are `
      + (equivalence.differing.length === 0
        ? 'identical field by field (apart from the `cdk8s.io/metadata.addr` pod label cdk8s-plus derives from the construct path).'
        : `NOT identical: ${equivalence.differing.length} differ (${equivalence.differing.slice(0, 5).join(', ')}).`),
    'At every N both produce the same number of objects of each kind (checked on every repetition).',
    '',
    '## Results',
    '',
    '| N | objects | reps | RainbondComponent ms, median (min–max) | baseline ms, median (min–max) | ratio (CPU, best) | µs / component (RC / baseline) | peak heap MiB RC | peak heap MiB baseline |',
    '|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...summaries.map((s, i) => {
      const r = results[i];
      return `| ${s.size} | ${s.objects} | ${r.timesMs.rainbond.length} | ${timeCell(r.timesMs.rainbond)} | ${timeCell(r.timesMs.baseline)} | ${s.ratio.toFixed(2)} (${s.cpuRatio.toFixed(2)}, ${s.bestRatio.toFixed(2)}) `
        + `| ${s.usPerComponent.rainbond.toFixed(0)} / ${s.usPerComponent.baseline.toFixed(0)} | ${heapCell(r.heap?.rainbond)} | ${heapCell(r.heap?.baseline)} |`;
    }),
    '',
    ...results.flatMap(r => (r.heapErrors ?? []).map(e => `- Heap measurement failed: ${e}`)),
    `Objects per kind at the largest N: ${results.length > 0 ? describeCounts(results[results.length - 1].kinds.rainbond) : '–'}.`,
    '',
    '## Targets',
    '',
    '| target | result | detail |',
    '|---|---|---|',
    ...targets.map(t => `| ${t.target} | ${mark(t.met)} | ${t.detail} |`),
    '',
    `Variants: ${variantTitle('rainbond')} (RC) and ${variantTitle('baseline')} (baseline).`,
    'Where the time goes, with CPU-profile evidence: [bench/PROFILE.md](bench/PROFILE.md).',
    '',
  ];
  return lines.join('\n');
}
