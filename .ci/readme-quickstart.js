#!/usr/bin/env node
// Runs the README as a new user would, in a fresh directory outside the repository:
//  1. "Quick start": the pack commands in this clone, the `npm install <tarball> ...` line in a new
//     app next to it (peer dependencies come from the npm registry), then the quick start's code;
//  2. "Change guard": the CI step's `run:` commands against a git history of that app, once with no
//     change (exit 0) and once after switching a stateful component to stateless (exit 1).
// Every command is taken from README.md, so a README that stops working fails CI. Two substitutions,
// printed when made: `npx cdk8s synth` runs the app with ts-node as cdk8s-cli's `app: npx ts-node
// main.ts` would (cdk8s-cli is not installed), and `/tmp/` becomes this run's own temporary folder.
// Spawned programs run on the Node that runs this script (its folder goes first on PATH).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const repo = path.resolve(__dirname, '..');
const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf-8');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-quickstart-'));
const env = { ...process.env, npm_config_loglevel: 'warn', PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` };

class Failure extends Error {}
function fail(message) {
  throw new Failure(message);
}

/** The text of a `## title` section of the README. */
function section(title) {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) fail(`README has no section '## ${title}'`);
  const rest = readme.slice(start + 1);
  const end = rest.indexOf('\n## ', 1);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The fenced code blocks of one language in a text. */
function blocks(text, lang) {
  return [...text.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map(m => m[1]);
}

/** Runs a shell command; returns its result (stdout and stderr are printed). */
function sh(command, cwd, { expect = 0 } = {}) {
  process.stdout.write(`$ (cd ${cwd} && ${command})\n`);
  const result = spawnSync('bash', ['-euo', 'pipefail', '-c', command], { cwd, env, encoding: 'utf-8', timeout: 300_000 });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  if (result.status !== expect) fail(`'${command}' exited ${result.status ?? result.signal}, expected ${expect}`);
  return result;
}

let tarballName;
try {
  const quickStart = section('Quick start');
  const [installBlock] = blocks(quickStart, 'sh');
  const [appCode] = blocks(quickStart, 'ts');
  if (!installBlock || !appCode) fail('the quick start has no sh block or no ts block');
  const commands = installBlock.split('\n').map(l => l.replace(/#.*$/, '').trim()).filter(Boolean);
  if (commands.length !== 2) fail(`expected two commands in the quick start sh block (pack, install), got ${commands.length}`);
  const [packLine, installLine] = commands;

  // 1a. Pack in the clone. CI ran `npm ci` at its start; the rest of the line runs as written.
  const packSteps = packLine.split('&&').map(s => s.trim());
  if (packSteps[0] !== 'npm ci') fail(`the pack line should start with 'npm ci': ${packLine}`);
  process.stdout.write('(npm ci: already done by .ci/run at its start)\n');
  const packed = sh(packSteps.slice(1).join(' && '), repo);
  tarballName = packed.stdout.trim().split('\n').pop();
  if (!installLine.includes(`/${tarballName} `)) fail(`npm pack wrote ${tarballName}, the README installs: ${installLine}`);

  // 1b. A new app next to the clone, installing the tarball with the README's command.
  const clone = path.join(work, 'cdk8s-rainbond');
  const app = path.join(work, 'app');
  fs.symlinkSync(repo, clone, 'dir');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '0.0.0', private: true }, null, 2));
  fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: false },
    include: ['main.ts'],
  }, null, 2));
  sh(installLine, app);
  const installed = JSON.parse(fs.readFileSync(path.join(app, 'node_modules', 'cdk8s-rainbond', 'package.json'), 'utf-8'));
  const peers = ['cdk8s', 'cdk8s-plus-28', 'constructs']
    .map(p => `${p}@${JSON.parse(fs.readFileSync(path.join(app, 'node_modules', p, 'package.json'), 'utf-8')).version}`);
  process.stdout.write(`installed cdk8s-rainbond@${installed.version} with ${peers.join(', ')}\n`);

  // 1c. The quick start code, type-checked against the installed declarations, synthesized.
  fs.writeFileSync(path.join(app, 'main.ts'), appCode);
  const synth = `node -r ${path.join(repo, 'node_modules', 'ts-node', 'register')} main.ts`;
  sh(synth, app);
  const written = fs.readdirSync(path.join(app, 'dist'));
  process.stdout.write(`dist/: ${written.join(', ')}\n`);

  // 2. The change guard's CI step, against a git history where dist/ is committed.
  const guardYaml = blocks(fs.readFileSync(path.join(repo, 'docs', 'guard.md'), 'utf-8'), 'yaml')[0];
  if (!guardYaml) fail('the change guard section has no yaml block');
  const runs = [];
  const lines = guardYaml.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)run: (.*)$/.exec(lines[i]);
    if (!m) continue;
    if (m[2].trim() !== '|') { runs.push(m[2].replace(/\s#.*$/, '').trim()); continue; }
    const body = [];
    while (i + 1 < lines.length && /^\s{4,}\S/.test(lines[i + 1]) && !/^\s*- /.test(lines[i + 1])) body.push(lines[++i].trim());
    runs.push(body.join('\n'));
  }
  if (runs.length !== 2 || runs[0] !== 'npx cdk8s synth') fail(`expected the steps 'npx cdk8s synth' and the guard, got ${JSON.stringify(runs)}`);
  const guardStep = runs[1].replace(/\/tmp\//g, `${work}/`);
  process.stdout.write(`(npx cdk8s synth -> ${synth}; /tmp/ -> ${work}/)\n`);
  for (const file of guardStep.match(/dist\/[^\s]+/g) ?? []) {
    if (!written.includes(path.basename(file))) fail(`the guard step reads ${file}, the quick start app wrote dist/${written.join(', dist/')}`);
  }

  fs.writeFileSync(path.join(app, '.gitignore'), 'node_modules/\n');
  sh('git init -q && git add -A && git -c user.name=ci -c user.email=ci@localhost commit -qm deployed && git update-ref refs/remotes/origin/main HEAD', app);

  sh(synth, app);
  const unchanged = sh(guardStep, app, { expect: 0 });
  if (!/^OK: 0 blocking, 0 allowed, 0 notice\(s\)$/m.test(unchanged.stdout)) fail('the guard did not report "OK: 0 blocking, 0 allowed, 0 notice(s)" for an unchanged app');

  // A stateless component has no per-instance DNS names: drop the podDnsName call with the switch.
  const switched = appCode.replace(/DeployType\.STATEFUL_(SINGLE|MULTIPLE)/, 'DeployType.STATELESS_$1')
    .split('\n').filter(l => !l.includes('.podDnsName(')).join('\n');
  if (switched === appCode) fail('the quick start has no stateful component to switch');
  fs.writeFileSync(path.join(app, 'main.ts'), switched);
  sh(synth, app);
  const blocked = sh(guardStep, app, { expect: 1 });
  if (!blocked.stdout.includes('deploy-type-switch')) fail('the guard did not name deploy-type-switch for a stateful -> stateless switch');

  process.stdout.write(`readme-quickstart: OK on Node ${process.version}\n`);
} catch (e) {
  process.stderr.write(`readme-quickstart: FAILED: ${e instanceof Failure ? e.message : e.stack}\n`);
  process.exitCode = 1;
} finally {
  fs.rmSync(work, { recursive: true, force: true });
  if (tarballName) fs.rmSync(path.join(repo, tarballName), { force: true });
}
