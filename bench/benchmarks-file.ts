/**
 * BENCHMARKS.md holds two reports: the synthesis benchmark's (`npm run bench`) and, from
 * {@link OPERATIONS_MARKER} on, the operations benchmark's (`npm run bench:ops`). Each benchmark
 * rewrites its own part and keeps the other's.
 */
import { existsSync, readFileSync } from 'fs';

/** The line where the operations report begins. */
export const OPERATIONS_MARKER = '<!-- written by npm run bench:ops from here on -->';

function current(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** The file's text with the synthesis report replaced by `report`, the operations report kept. */
export function withSynthesisReport(file: string, report: string): string {
  const text = current(file);
  const at = text.indexOf(OPERATIONS_MARKER);
  return at < 0 ? report : `${report.trimEnd()}\n\n${text.slice(at)}`;
}

/** The file's text with the operations report replaced by `report`, the synthesis report kept. */
export function withOperationsReport(file: string, report: string): string {
  const text = current(file);
  const at = text.indexOf(OPERATIONS_MARKER);
  const synthesis = (at < 0 ? text : text.slice(0, at)).trimEnd();
  return `${synthesis ? `${synthesis}\n\n` : ''}${OPERATIONS_MARKER}\n\n${report.trimEnd()}\n`;
}
