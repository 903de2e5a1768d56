import { parseArgs } from 'util';
import { compareManifests } from '../guard/compare';
import { formatReport } from '../guard/format';
import { GuardInputError, loadManifests } from '../guard/load';
import { GuardReport, GuardSeverity } from '../guard/report';
import { RULES } from '../guard/rules';

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** Exit codes of `cdk8s-rainbond guard`. */
export const EXIT_OK = 0;
export const EXIT_BLOCKED = 1;
export const EXIT_BAD_INPUT = 2;

const PROCESS_IO: CliIo = {
  out: text => process.stdout.write(text),
  err: text => process.stderr.write(text),
};

const RULE_WIDTH = Math.max(...RULES.map(r => r.id.length));

/** Help text of the `guard` command, listing every rule id. */
export function guardUsage(): string {
  return [
    'Usage: cdk8s-rainbond guard --before <dir|file> --after <dir|file> [--allow <rule>]... [--json]',
    '',
    'Compares the synthesized manifests of what is deployed now (--before) with the',
    'manifests about to be applied (--after), matched by kind, namespace and name, and',
    'reports per component the changes that lose data, that the API server refuses, or',
    'that break a clustered system. A directory is read recursively (*.yaml, *.yml, *.json).',
    '',
    'Options:',
    '  --before <path>   manifests of what is deployed now (file or directory)',
    '  --after <path>    manifests about to be applied (file or directory)',
    '  --allow <rule>    acknowledge a finding on purpose (repeatable); <rule>, <rule>:<component>',
    '                    or <rule>:<namespace>/<component>',
    '  --json            print the report as JSON',
    '  -h, --help        show this help',
    '',
    'Rules:',
    ...RULES.map(r => `  ${r.id.padEnd(RULE_WIDTH)}  ${r.severity === GuardSeverity.NOTICE ? '' : '[blocking] '}${r.description}`),
    '',
    'Exit codes: 0 nothing blocks, 1 a blocking finding remains, 2 unusable input.',
    '',
  ].join('\n');
}

const TOP_USAGE = 'Usage: cdk8s-rainbond <command> [options]\n\nCommands:\n  guard   check a manifest change before it is applied (cdk8s-rainbond guard --help)\n';

/**
 * Runs the CLI with the arguments after the program name (e.g. `['guard', '--before', 'a', '--after', 'b']`).
 * Returns the exit code; never exits the process.
 */
export async function main(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help') {
    io.out(TOP_USAGE);
    return EXIT_OK;
  }
  if (command !== 'guard') {
    io.err(`${command === undefined ? 'missing command' : `unknown command '${command}'`}\n\n${TOP_USAGE}`);
    return EXIT_BAD_INPUT;
  }
  return guardCommand(rest, io);
}

async function guardCommand(argv: string[], io: CliIo): Promise<number> {
  const json = argv.includes('--json');
  const fail = (message: string): number => {
    io.err(`cdk8s-rainbond guard: ${message}\n`);
    if (json) io.out(JSON.stringify({ error: message, exitCode: EXIT_BAD_INPUT }, undefined, 2) + '\n');
    return EXIT_BAD_INPUT;
  };
  let values: { before?: string; after?: string; allow?: string[]; json?: boolean; help?: boolean };
  try {
    values = parseArgs({
      args: argv,
      options: {
        before: { type: 'string' },
        after: { type: 'string' },
        allow: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    return fail(`${(e as Error).message} (see cdk8s-rainbond guard --help)`);
  }
  if (values.help) {
    io.out(guardUsage());
    return EXIT_OK;
  }
  const missing = (['before', 'after'] as const).filter(flag => !values[flag]);
  if (missing.length > 0) {
    return fail(`missing ${missing.map(f => `--${f} <dir|file>`).join(' and ')} (see cdk8s-rainbond guard --help)`);
  }
  let report: GuardReport;
  try {
    report = compareManifests(loadManifests(values.before!), loadManifests(values.after!), { allow: values.allow ?? [] });
  } catch (e) {
    if (e instanceof GuardInputError) return fail(e.message);
    return fail(`unexpected error: ${(e as Error).message ?? String(e)}`);
  }
  const exitCode = report.blocked ? EXIT_BLOCKED : EXIT_OK;
  io.out(json ? JSON.stringify({ ...report, exitCode }, undefined, 2) + '\n' : formatReport(report));
  return exitCode;
}

/** Entry point of the `cdk8s-rainbond` bin: runs `main` on the process arguments and sets the exit code. */
export async function run(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2));
}
