/**
 * Test helpers for the npm package: compile the library as `npx projen compile` does, list what
 * `npm pack` would ship, and lay the packed tarball out as an installed dependency of a fresh app.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The repository root (where package.json lives). */
export const REPO = path.resolve(__dirname, '..', '..');

/** Peer dependencies an app installs beside the library (linked from this repository's node_modules). */
export const PEERS = ['cdk8s', 'cdk8s-plus-28', 'constructs'];

/** One file of `npm pack --dry-run --json`. */
export interface PackedFile {
  readonly path: string;
  readonly mode: number;
  readonly size: number;
}

/** The parts of `npm pack --json` the tests read. */
export interface PackResult {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: PackedFile[];
}

/** Compiles src/ into lib/ and .jsii with jsii, exactly as the projen `compile` task does. */
export function compileLibrary(): void {
  execFileSync(path.join(REPO, 'node_modules', '.bin', 'jsii'), ['--silence-warnings=reserved-word'], {
    cwd: REPO,
    stdio: 'pipe',
  });
}

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** What `npm pack` would put into the tarball, without writing it. */
export function packDryRun(): PackResult {
  const [result] = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'], REPO));
  return result;
}

/** Packs the library into `destination` and returns the tarball's path. */
export function packTarball(destination: string): string {
  const [result] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', destination], REPO));
  return path.join(destination, result.filename);
}

/**
 * Lays the tarball out in a fresh app directory outside this repository, as `npm install <tgz>`
 * would: the package under `node_modules/cdk8s-rainbond` (with its bundled dependencies) and the peer
 * dependencies beside it. Nothing of the repository (src/, its node_modules) is reachable from there
 * except the linked peers. Returns the app directory.
 */
export function installPackedLayout(tarball: string): string {
  const app = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-rainbond-app-'));
  const pkg = path.join(app, 'node_modules', 'cdk8s-rainbond');
  fs.mkdirSync(pkg, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', pkg, '--strip-components=1']);
  for (const peer of PEERS) {
    fs.symlinkSync(path.join(REPO, 'node_modules', peer), path.join(app, 'node_modules', peer), 'dir');
  }
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'packed-app', private: true }));
  return app;
}
