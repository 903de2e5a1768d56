/**
 * Peak heap of one synthesis, measured in a child process of its own so the
 * other variant's garbage and the timing runs do not pollute it.
 */
import * as v8 from 'v8';
import { ApiObject } from 'cdk8s';
import { resultOfChild } from './child';
import { buildApp, floorManifests, Variant } from './synthesize';
import { collectGarbage } from './timing';
import { workloadMix } from './workload-mix';

/** Heap use of one synthesis. */
export interface HeapResult {
  /** Heap used after start-up and garbage collection, before building (MiB). */
  readonly baseMiB: number;
  /** Largest heap used sampled while building and synthesizing (MiB, absolute). */
  readonly peakMiB: number;
  /** Peak resident set size of the process (MiB; includes code, ts-node and buffers). */
  readonly maxRssMiB: number;
  /** Heap limit of the process (MiB). */
  readonly heapLimitMiB: number;
  /** Objects synthesized. */
  readonly objects: number;
}

const MIB = 1024 * 1024;
/** Heap samples taken while building and again while synthesizing. */
const SAMPLES_PER_PHASE = 50;

/**
 * Builds and synthesizes `size` components of the mix in this process,
 * sampling `used_heap_size` after every size/50 components and after every
 * objects/50 `ApiObject.toJson()` calls during `synthYaml()`. The floor's input
 * (RainbondComponent's manifests) is built first and counts in the idle heap.
 */
export function measureHeapHere(variant: Variant, size: number): HeapResult {
  const specs = workloadMix(size);
  if (variant === 'floor') floorManifests(specs); // the floor's input exists before the idle heap is measured
  collectGarbage();
  collectGarbage();
  const baseBytes = v8.getHeapStatistics().used_heap_size;
  let peakBytes = baseBytes;
  const sample = () => {
    const used = v8.getHeapStatistics().used_heap_size;
    if (used > peakBytes) peakBytes = used;
  };
  const every = Math.max(1, Math.floor(size / SAMPLES_PER_PHASE));
  const { app, chart } = buildApp(variant, specs, i => { if (i % every === 0) sample(); });
  sample();
  const objectCount = chart.node.findAll().filter(c => c instanceof ApiObject).length;
  const toJsonEvery = Math.max(1, Math.floor(objectCount / SAMPLES_PER_PHASE));
  const originalToJson = ApiObject.prototype.toJson;
  let calls = 0;
  ApiObject.prototype.toJson = function sampledToJson(this: ApiObject) {
    if (++calls % toJsonEvery === 0) sample();
    return originalToJson.call(this);
  };
  let yaml: string;
  try {
    yaml = app.synthYaml();
  } finally {
    ApiObject.prototype.toJson = originalToJson;
  }
  sample();
  if (yaml.length === 0) throw new Error('bench: empty synthesis');
  return {
    baseMiB: baseBytes / MIB,
    peakMiB: peakBytes / MIB,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    heapLimitMiB: v8.getHeapStatistics().heap_size_limit / MIB,
    objects: objectCount,
  };
}

/** Command-line flags of the heap child (see `synth-bench.ts`). */
export function heapChildArgs(variant: Variant, size: number): string[] {
  return ['--child-heap', '--variant', variant, '--size', String(size)];
}

/**
 * Runs `measureHeapHere` in a forked Node process limited to `heapLimitMiB`
 * of old space (ts-node in transpile-only mode, so no type checker in the heap).
 * Rejects when the child fails, e.g. runs out of heap.
 */
export function measureHeapInChild(script: string, variant: Variant, size: number, heapLimitMiB: number): Promise<HeapResult> {
  return resultOfChild<HeapResult>(script, heapChildArgs(variant, size), {
    execArgv: ['--expose-gc', `--max-old-space-size=${heapLimitMiB}`, '-r', 'ts-node/register'],
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
  }, exit => `heap measurement of ${variant} at N=${size} failed (${exit}) with a ${heapLimitMiB} MiB heap limit`);
}
