/**
 * `npm run bench`: synthesis cost of RainbondComponent against the same
 * objects written by hand and against the floor (its manifests replayed as
 * plain ApiObjects), at several sizes; writes a Markdown report.
 *
 *   npm run bench                      # N = 10,100,1000,5000; >= 9 reps and >= 10 s per variant and N, in 3 processes; writes BENCHMARKS.md
 *   npm run bench -- --quick           # N = 10,100, 2 reps in 2 processes; writes bench-out/BENCHMARKS.quick.md (CI)
 *   npm run bench -- --sizes 10,100 --reps 3 --min-seconds 0 --warmup 1 --processes 1 --out bench-out/x.md [--no-heap] [--heap-limit 1536]
 *
 * Every size is timed in fresh child processes (`--processes`, one after another), each warmed up
 * on its own; the heap of every variant and size is measured in a child of its own too.
 *
 * Profiling one variant at one size (the heap child mode doubles as a profiling entry):
 *   node --cpu-prof --cpu-prof-dir bench-out -r ts-node/register bench/synth-bench.ts --child-heap --variant rainbond --size 5000
 * The profile opens in Chrome DevTools (Performance) or any .cpuprofile viewer.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import * as v8 from 'v8';
import { withSynthesisReport } from './benchmarks-file';
import { normalizedManifests, objectIds } from './census';
import { HeapResult, measureHeapHere, measureHeapInChild } from './heap';
import { Equivalence, MachineInfo, renderReport, SizeResult } from './report';
import { median } from './stats';
import { synthesizeObjects, synthesizeYaml, Variant, VARIANTS } from './synthesize';
import { timeHere, TimingChildRequest, timeSizeInProcesses } from './timing';
import { MIX_CYCLE_LENGTH, workloadMix } from './workload-mix';

/** Settings of a bench run. */
export interface BenchSettings {
  readonly sizes: number[];
  /** Fewest timed repetitions per N. */
  readonly reps: number;
  /** Least measured wall time per variant and N, in seconds (adds repetitions at small N). */
  readonly minSeconds: number;
  /** Untimed repetitions per N before the timed ones. */
  readonly warmup: number;
  /** Size of the two untimed rounds of every variant before anything is measured. */
  readonly warmupSize: number;
  readonly out: string;
  readonly heap: boolean;
  readonly heapLimitMiB: number;
  /** Fresh processes each size is timed in, one after another; they share the repetitions. */
  readonly processes: number;
}

/** A heap child invocation. */
export interface HeapChildRequest {
  readonly variant: Variant;
  readonly size: number;
}

/** Uncommitted directory for the raw measurements of the last run. */
const RAW_DIR = 'bench-out';

/** Untimed rounds of every variant before the first measurement. */
const GLOBAL_WARMUP_ROUNDS = 2;

/** Settings of `--quick` (CI: proves the bench still works, writes an uncommitted file). */
export const QUICK: BenchSettings = {
  sizes: [10, 100], reps: 2, minSeconds: 0, warmup: 1, warmupSize: 50, out: 'bench-out/BENCHMARKS.quick.md', heap: true, heapLimitMiB: 1536, processes: 2,
};
/**
 * Settings of a full run. At N=1000 the ratio to the floor sits within a few percent of its rail, and a
 * major garbage collection that lands in one repetition and not in another moves it by as much: with 9
 * repetitions in 3 processes two runs on one day gave 1.49 and 1.44, so a run takes at least 12
 * repetitions and 30 s of measured time per variant, in 6 processes.
 */
export const FULL: BenchSettings = {
  sizes: [10, 100, 1000, 5000], reps: 12, minSeconds: 30, warmup: 1, warmupSize: 500, out: 'BENCHMARKS.md', heap: true, heapLimitMiB: 1536, processes: 6,
};

function wholeNumber(flag: string, text: string, min: number): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min) {
    throw new Error(`bench: --${flag} must be a whole number of at least ${min}, got '${text}'`);
  }
  return Number(text);
}

function positiveInteger(flag: string, text: string): number {
  return wholeNumber(flag, text, 1);
}

/** A number of at least 0, fractions allowed (a share of the measured seconds). */
function nonNegativeNumber(flag: string, text: string): number {
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`bench: --${flag} must be a number of at least 0, got '${text}'`);
  return value;
}

/** Parses the command line: bench settings, or the request of a heap or timing child. */
export function parseCommandLine(argv: string[]): BenchSettings | HeapChildRequest | TimingChildRequest {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'quick': { type: 'boolean' },
      'sizes': { type: 'string' },
      'reps': { type: 'string' },
      'min-seconds': { type: 'string' },
      'warmup': { type: 'string' },
      'out': { type: 'string' },
      'no-heap': { type: 'boolean' },
      'heap-limit': { type: 'string' },
      'processes': { type: 'string' },
      'child-heap': { type: 'boolean' },
      'variant': { type: 'string' },
      'size': { type: 'string' },
      'child-timing': { type: 'boolean' },
      'max-reps': { type: 'string' },
      'warmup-size': { type: 'string' },
      'warmup-rounds': { type: 'string' },
      'order-offset': { type: 'string' },
    },
  });
  if (values['child-heap']) {
    const variant = values.variant as Variant;
    if (!VARIANTS.includes(variant)) throw new Error(`bench: --variant must be one of ${VARIANTS.join(', ')}, got '${values.variant}'`);
    return { variant, size: positiveInteger('size', values.size ?? '') };
  }
  if (values['child-timing']) {
    return {
      size: positiveInteger('size', values.size ?? ''),
      plan: {
        reps: positiveInteger('reps', values.reps ?? ''),
        minSeconds: nonNegativeNumber('min-seconds', values['min-seconds'] ?? ''),
        maxReps: positiveInteger('max-reps', values['max-reps'] ?? ''),
        warmup: wholeNumber('warmup', values.warmup ?? '', 0),
        orderOffset: wholeNumber('order-offset', values['order-offset'] ?? '', 0),
      },
      warmupSize: positiveInteger('warmup-size', values['warmup-size'] ?? ''),
      warmupRounds: wholeNumber('warmup-rounds', values['warmup-rounds'] ?? '', 0),
    };
  }
  const base = values.quick ? QUICK : FULL;
  return {
    sizes: values.sizes !== undefined ? values.sizes.split(',').map(s => positiveInteger('sizes', s)) : base.sizes,
    reps: values.reps !== undefined ? positiveInteger('reps', values.reps) : base.reps,
    minSeconds: values['min-seconds'] !== undefined ? wholeNumber('min-seconds', values['min-seconds'], 0) : base.minSeconds,
    warmup: values.warmup !== undefined ? wholeNumber('warmup', values.warmup, 0) : base.warmup,
    warmupSize: base.warmupSize,
    out: values.out ?? base.out,
    heap: !values['no-heap'],
    heapLimitMiB: values['heap-limit'] !== undefined ? positiveInteger('heap-limit', values['heap-limit']) : base.heapLimitMiB,
    processes: values.processes !== undefined ? positiveInteger('processes', values.processes) : base.processes,
  };
}

/**
 * Compares the baseline's manifests with RainbondComponent's object by object at two cycles of
 * the mix (returns the ids that differ), and the floor's YAML with RainbondComponent's byte for byte.
 */
export function checkEquivalence(size: number = 2 * MIX_CYCLE_LENGTH): Equivalence {
  const rb = synthesizeObjects('rainbond', workloadMix(size));
  const bl = synthesizeObjects('baseline', workloadMix(size));
  const rbIds = objectIds(rb);
  const blIds = objectIds(bl);
  if (JSON.stringify(rbIds) !== JSON.stringify(blIds)) {
    const missing = rbIds.filter(id => !blIds.includes(id));
    const extra = blIds.filter(id => !rbIds.includes(id));
    throw new Error(`bench: the baseline does not write the same objects as RainbondComponent (missing: ${missing.join(', ') || 'none'}; extra: ${extra.join(', ') || 'none'}). Fix bench/baseline.ts.`);
  }
  const rbJson = normalizedManifests(rb);
  const blJson = normalizedManifests(bl);
  const specs = workloadMix(size);
  const floorIdentical = synthesizeYaml('floor', specs) === synthesizeYaml('rainbond', specs);
  return { size, objects: rb.length, differing: rbIds.filter((_, i) => rbJson[i] !== blJson[i]), floorIdentical };
}

function packageVersion(name: string): string {
  const file = require.resolve(`${name}/package.json`);
  return JSON.parse(readFileSync(file, 'utf-8')).version;
}

function machineInfo(loadAtStart: number): MachineInfo {
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: os.totalmem() / 1024 ** 3,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: { start: loadAtStart, end: os.loadavg()[0] },
    defaultHeapLimitMiB: v8.getHeapStatistics().heap_size_limit / 1024 ** 2,
    versions: Object.fromEntries(['cdk8s', 'cdk8s-plus-28', 'constructs'].map(p => [p, packageVersion(p)])),
  };
}

function commandText(argv: string[]): string {
  return ['npm run bench', ...argv.length > 0 ? ['--', ...argv] : []].join(' ');
}

async function runBench(settings: BenchSettings, argv: string[]): Promise<void> {
  if ((globalThis as { gc?: unknown }).gc === undefined) {
    console.warn('bench: run with node --expose-gc (npm run bench does) so every measurement starts from a collected heap');
  }
  const started = Date.now();
  const loadAtStart = os.loadavg()[0];
  const log = (text: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${text}`);
  const equivalence = checkEquivalence();
  log(`equivalence at N=${equivalence.size}: ${equivalence.objects} objects, ${equivalence.differing.length} of the baseline differ, floor YAML ${equivalence.floorIdentical ? 'identical' : 'DIFFERENT'}`);
  const results: SizeResult[] = [];
  for (const size of settings.sizes) {
    const timings = await timeSizeInProcesses(__filename, size, settings, settings.processes,
      { size: settings.warmupSize, rounds: GLOBAL_WARMUP_ROUNDS });
    const heap: Partial<Record<Variant, HeapResult>> = {};
    const heapErrors: string[] = [];
    if (settings.heap) {
      for (const variant of VARIANTS) {
        try {
          heap[variant] = await measureHeapInChild(__filename, variant, size, settings.heapLimitMiB);
        } catch (e) {
          heapErrors.push((e as Error).message);
        }
      }
    }
    results.push({
      size,
      ...timings,
      heap: settings.heap ? heap : undefined,
      heapErrors: heapErrors.length > 0 ? heapErrors : undefined,
    });
    const medianOf = (v: Variant) => median(timings.timesMs[v]).toFixed(1);
    log(`N=${size}: RainbondComponent ${medianOf('rainbond')} ms, baseline ${medianOf('baseline')} ms, floor ${medianOf('floor')} ms`
      + (heap.rainbond ? `, peak heap ${heap.rainbond.peakMiB.toFixed(0)} / ${heap.baseline?.peakMiB.toFixed(0)} / ${heap.floor?.peakMiB.toFixed(0)} MiB` : ''));
  }
  const runSettings = { ...settings, command: commandText(argv), warmupRounds: GLOBAL_WARMUP_ROUNDS };
  const machine = machineInfo(loadAtStart);
  const report = renderReport(machine, runSettings, results, equivalence);
  mkdirSync(path.dirname(path.resolve(settings.out)), { recursive: true });
  writeFileSync(settings.out, withSynthesisReport(settings.out, report));
  mkdirSync(RAW_DIR, { recursive: true });
  writeFileSync(path.join(RAW_DIR, 'last-run.json'), JSON.stringify({ machine, runSettings, results, equivalence }, undefined, 1));
  log(`wrote ${settings.out} (every measurement: ${RAW_DIR}/last-run.json)`);
  console.log(report);
}

async function main(argv: string[]): Promise<void> {
  const request = parseCommandLine(argv);
  if ('variant' in request || 'plan' in request) {
    const result = 'variant' in request ? measureHeapHere(request.variant, request.size) : timeHere(request);
    if (process.send) process.send(result);
    else console.log(JSON.stringify(result));
    return;
  }
  await runBench(request, argv);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch(error => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
