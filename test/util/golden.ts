/**
 * Output fingerprints for refactors that must not change a byte (issue: one rendering).
 * With RAINBOND_GOLDEN_DIR set, every synthesis of the unit tests (`Testing.synth`, `synthValid`)
 * is recorded as the SHA-256 of its JSON, keyed by test file, test name and the synthesis's ordinal in
 * that test, one JSON file per test file. Record before a change into one folder, after it into another,
 * and `diff -r` them. Unset (the default), nothing is recorded.
 */
import { createHash } from 'crypto';
import { mkdirSync, writeFileSync } from 'fs';
import { dirname, join, relative } from 'path';

const dir = process.env.RAINBOND_GOLDEN_DIR;
const fingerprints: { [key: string]: string } = {};
const counts = new Map<string, number>();

/** Records the objects of one synthesis (no-op unless RAINBOND_GOLDEN_DIR is set). */
export function recordGolden(objects: unknown[]): void {
  if (!dir) return;
  const name = expect.getState().currentTestName ?? '(outside a test)';
  const n = counts.get(name) ?? 0;
  counts.set(name, n + 1);
  fingerprints[`${name} #${n}`] = createHash('sha256').update(JSON.stringify(objects)).digest('hex');
}

if (dir) {
  afterAll(() => {
    const testPath = expect.getState().testPath ?? 'unknown';
    const file = join(dir, `${relative(process.cwd(), testPath)}.json`);
    mkdirSync(dirname(file), { recursive: true });
    const sorted = Object.fromEntries(Object.entries(fingerprints).sort(([a], [b]) => a.localeCompare(b)));
    writeFileSync(file, JSON.stringify(sorted, null, 1) + '\n');
  });
}
