/**
 * The documentation's shape: the README is the overview a newcomer reads first, the reference lives
 * under docs/, and every relative link between them resolves.
 */
import * as fs from 'fs';
import * as path from 'path';
import { docPage, docPages } from './util/docs';

const ROOT = path.join(__dirname, '..');

test('every relative link of README.md and docs/ points to a file that exists', () => {
  const broken: string[] = [];
  for (const page of docPages()) {
    for (const [, target] of page.text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
      if (/^[a-z]+:/.test(target)) continue; // http:, https:, mailto:
      const file = path.join(ROOT, path.dirname(page.path), target);
      if (!fs.existsSync(file)) broken.push(`${page.path}: ${target}`);
    }
  }
  expect(broken).toEqual([]);
});

test('the README keeps what a newcomer needs first and links every reference page', () => {
  const readme = docPage('README.md');
  expect(readme).toContain('npm ci && npm run synth:example');
  expect(readme).toContain('npm ci && npm test');
  for (const heading of ['## Set up on a fresh machine', '## Deploy types', '## Quick start', '## Read on']) expect(readme).toContain(`\n${heading}\n`);
  const linked = new Set([...readme.matchAll(/\]\((docs\/[^)#]+)/g)].map(m => m[1]));
  const pages = fs.readdirSync(path.join(ROOT, 'docs')).filter(f => f.endsWith('.md')).map(f => `docs/${f}`);
  expect(pages.filter(p => !linked.has(p))).toEqual([]);
  expect(readme.split('\n').length).toBeLessThan(300);
});
