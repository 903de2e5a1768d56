/**
 * Records every object that the unit tests synthesize, for the real-API-server tier
 * (test/apiserver): when RAINBOND_RECORD_SYNTH_DIR is set, each Kubernetes object of every
 * `Chart.toJson()` (what `Testing.synth`, `synthValid` and `App.synth` all call) is written to that
 * dir as `<sha256 of the object>.json`, once per distinct object, with the test that made it first.
 * Unset (as in `npm test`), it changes nothing.
 *
 * Objects that fail this repository's own schema check are not recorded: those are the
 * deliberately invalid objects of the schema-check tests, and a synthesis that yields them throws.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { k8sErrors } from './synth';

/** `apps/v1` → `apps`, `v1` → `` (core), `cert-manager.io/v1` → `cert-manager.io`. */
export function groupOf(apiVersion: unknown): string {
  return typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/** One recorded object and where it came from. */
export interface RecordedObject {
  readonly source: string;
  readonly object: any;
}

/**
 * Wraps `Chart.prototype.toJson` so that it records, when RAINBOND_RECORD_SYNTH_DIR is set.
 * `isRecorded(group)` picks the API groups (`apps`, `` for core) whose objects are written.
 */
export function recordEverySynth(isRecorded: (group: string) => boolean): void {
  const dir = process.env.RAINBOND_RECORD_SYNTH_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  const toJson = Chart.prototype.toJson;
  Chart.prototype.toJson = function recordingToJson(this: Chart): any[] {
    const objects = toJson.call(this);
    for (const object of objects) {
      if (!isRecorded(groupOf(object?.apiVersion))) continue;
      const text = JSON.stringify(object);
      const file = path.join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 32)}.json`);
      if (fs.existsSync(file) || k8sErrors([object]).length > 0) continue;
      const state = typeof expect === 'function' ? expect.getState() : undefined;
      const source = state ? `${path.relative(process.cwd(), state.testPath ?? '?')}: ${state.currentTestName ?? '(outside a test)'}` : '?';
      const recorded: RecordedObject = { source, object };
      const temporary = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, JSON.stringify(recorded));
      fs.renameSync(temporary, file); // several jest workers may record the same object at once
    }
    return objects;
  };
}
