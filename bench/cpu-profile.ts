/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): inclusive time of
 * every function, optionally only below frames matching a pattern.
 *
 *   node -r ts-node/register bench/cpu-profile.ts <file.cpuprofile> [frame regex] [top]
 *   e.g. ... bench-out/prof/CPU.x.cpuprofile '^RainbondComponent ' 30
 *
 * Frames are named `<function> <file after node_modules/ or the repo>:<line>`.
 */
import { readFileSync } from 'fs';

/** The parts of a V8 CPU profile this summary reads. */
export interface CpuProfile {
  readonly nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** Inclusive time below the matching frames. */
export interface ProfileSummary {
  /** Microseconds of samples with a matching frame on their stack (all samples without a pattern). */
  readonly totalUs: number;
  /** Inclusive microseconds per frame name, largest first; a frame counts once per sample even when recursive. */
  readonly frames: { name: string; us: number }[];
}

function frameName(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const file = frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\//, '').replace(/^.*?\/(src|bench|test)\//, '$1/');
  return `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
}

/**
 * Inclusive time per frame. With `below`, only samples whose stack has a frame
 * matching it count, and only the frames called from the innermost match are listed.
 */
export function summarizeProfile(profile: CpuProfile, below?: RegExp): ProfileSummary {
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  let totalUs = 0;
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const stack: string[] = [];
    for (let current: number | undefined = id; current !== undefined; current = parentOf.get(current)) {
      stack.push(frameName(byId.get(current)!.callFrame));
    }
    const cut = below ? stack.findIndex(name => below.test(name)) : stack.length;
    if (cut < 0) continue;
    totalUs += us;
    for (const name of new Set(stack.slice(0, cut))) inclusive.set(name, (inclusive.get(name) ?? 0) + us);
  }
  const frames = [...inclusive].map(([name, us]) => ({ name, us })).sort((a, b) => b.us - a.us);
  return { totalUs, frames };
}

function main(argv: string[]): void {
  const [file, pattern, top] = argv;
  if (!file) throw new Error('usage: bench/cpu-profile.ts <file.cpuprofile> [frame regex] [top]');
  const summary = summarizeProfile(JSON.parse(readFileSync(file, 'utf-8')), pattern ? new RegExp(pattern) : undefined);
  console.log(`${(summary.totalUs / 1000).toFixed(0)} ms${pattern ? ` below /${pattern}/` : ' in total'}`);
  for (const { name, us } of summary.frames.slice(0, Number(top ?? 40))) {
    console.log(`${(us / 1000).toFixed(0).padStart(8)} ms ${(100 * us / summary.totalUs).toFixed(1).padStart(5)}%  ${name}`);
  }
}

if (require.main === module) main(process.argv.slice(2));
