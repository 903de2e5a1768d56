/**
 * The project's documentation as the tests read it: README.md, the overview, and the reference pages
 * under docs/ it links. Their snippets and claims are checked wherever they live.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** The text of one page: `README.md` or `docs/<name>.md`. */
export function docPage(relativePath: string): string {
  return fs.readFileSync(path.join(ROOT, relativePath), 'utf8');
}

/** Every page, README.md first, then docs/*.md by name. */
export function docPages(): { path: string; text: string }[] {
  const docs = fs.readdirSync(path.join(ROOT, 'docs')).filter(f => f.endsWith('.md')).sort().map(f => `docs/${f}`);
  return ['README.md', ...docs].map(p => ({ path: p, text: docPage(p) }));
}

/** All pages as one text, each after a blank line (for snippet and command scans). */
export function allDocs(): string {
  return docPages().map(p => p.text).join('\n\n');
}
