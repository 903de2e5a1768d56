import { GuardInputError, optionsObject } from './load';
import { GuardComponentReport, GuardFinding, GuardFormatOptions, GuardReport, GuardSeverity } from './report';
import { describeValue } from './shape';

function label(finding: GuardFinding): string {
  if (finding.severity === GuardSeverity.NOTICE) return 'NOTICE';
  return finding.acknowledged ? 'ALLOWED' : 'BLOCKING';
}

function formatFinding(finding: GuardFinding): string[] {
  return [
    `  ${label(finding)} [${finding.rule}] ${finding.message}`,
    `    objects: ${finding.objects.join(', ')}`,
    '    what to do:',
    ...finding.steps.map((step, i) => `      ${i + 1}. ${step}`),
  ];
}

function componentId(component: GuardComponentReport): string {
  return component.namespace ? `${component.namespace}/${component.component}` : component.component;
}

function reportProblem(path: string, expected: string, value: unknown): GuardInputError {
  return new GuardInputError(`ManifestGuard.format: ${path} must be ${expected}, got ${describeValue(value)}; `
    + 'pass the report that ManifestGuard.compare or ManifestGuard.compareFiles returns');
}

function objectAt(value: unknown, path: string, expected: string): Record<string, any> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, any>;
  throw reportProblem(path, expected, value);
}

function listAt(value: unknown, path: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw reportProblem(path, 'a list', value);
}

/** The lists the text is made of: a report is plain data, so a caller can hand over anything. */
function checkReport(report: unknown): void {
  const r = objectAt(report, 'report', 'a GuardReport');
  listAt(r.skipped, 'report.skipped');
  listAt(r.foreign, 'report.foreign');
  listAt(r.components, 'report.components').forEach((component, i) => {
    const c = objectAt(component, `report.components[${i}]`, 'a GuardComponentReport');
    listAt(c.findings, `report.components[${i}].findings`).forEach((finding, j) => {
      const f = objectAt(finding, `report.components[${i}].findings[${j}]`, 'a GuardFinding');
      listAt(f.objects, `report.components[${i}].findings[${j}].objects`);
      listAt(f.steps, `report.components[${i}].findings[${j}].steps`);
    });
  });
}

/**
 * The report as plain text for a terminal or a CI log. By default only the components a finding
 * concerns are named; `verbose` also lists the others and the objects not made by cdk8s-rainbond.
 */
export function formatReport(report: GuardReport, options: GuardFormatOptions | null = {}): string {
  checkReport(report);
  const verbose = optionsObject<GuardFormatOptions>(options, 'options (GuardFormatOptions)', '{ verbose: true }').verbose ?? false;
  const lines: string[] = [];
  const quiet = report.components.filter(c => c.findings.length === 0);
  for (const component of report.components) {
    if (component.findings.length === 0 && !verbose) continue;
    lines.push(`${componentId(component)} (${component.change})${component.findings.length === 0 ? ': no findings' : ''}`);
    for (const finding of component.findings) lines.push(...formatFinding(finding));
  }
  if (report.skipped.length > 0) {
    lines.push('', `skipped ${report.skipped.length} object(s):`, ...report.skipped.map(s => `  - ${s}`));
  }
  if (verbose && report.foreign.length > 0) {
    lines.push('', `not checked, ${report.foreign.length} object(s) not made by cdk8s-rainbond:`, ...report.foreign.map(s => `  - ${s}`));
  }
  const hidden: string[] = [];
  if (!verbose && quiet.length > 0) hidden.push(`${quiet.length} component(s) without findings`);
  if (!verbose && report.foreign.length > 0) hidden.push(`${report.foreign.length} object(s) not made by cdk8s-rainbond`);
  if (lines.length > 0) lines.push('');
  lines.push(`checked ${report.components.length} component(s)${hidden.length > 0 ? `; not listed: ${hidden.join(', ')} (--verbose lists them)` : ''}`);
  lines.push(`${report.blocked ? 'BLOCKED' : 'OK'}: ${report.blockingCount} blocking, ${report.acknowledgedCount} allowed, ${report.noticeCount} notice(s)`);
  return lines.join('\n') + '\n';
}
