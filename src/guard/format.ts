import { GuardComponentReport, GuardFinding, GuardFormatOptions, GuardReport, GuardSeverity } from './report';

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

/**
 * The report as plain text for a terminal or a CI log. By default only the components a finding
 * concerns are named; `verbose` also lists the others and the objects not made by cdk8s-rainbond.
 */
export function formatReport(report: GuardReport, options: GuardFormatOptions = {}): string {
  const verbose = options.verbose ?? false;
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
